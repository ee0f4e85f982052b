-- Digipunt help requests (the rows of help_requests_digipunten and help_requests_at_home, i.e.
-- kanaal in $kanalen) per kanaal, vraagtype or leeftijdsgroep ($dimension). Every category of
-- $categories (the suite's values, in that order) is present, with 0 when nothing.
with
counts as (
    select
        case $dimension
            when 'kanaal' then kanaal
            when 'vraagtype' then vraagtype
            else coalesce(leeftijdsgroep, 'onbekend')
        end as categorie,
        count(*) as aantal
    from stg_digipunten
    where list_contains($kanalen, kanaal)
      and datum between $van and $tot
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by categorie
),
categories as (
    select unnest($categories) as categorie, generate_subscripts($categories, 1) as volgorde
)
select categorie, cast(coalesce(n.aantal, 0) as bigint) as aantal
from categories c
full join counts n using (categorie)
order by coalesce(c.volgorde, 1000), categorie
