-- The facts of help_requests_digipunten and help_requests_at_home (kanaal in $kanalen) per
-- kanaal, vraagtype or leeftijdsgroep ($dimension). Every category of $categories (the
-- loaded suite's values, in that order) is present, with 0 when nothing.
with
facts_of_both as (
    select * from kpi_help_requests_digipunten
    union all
    select * from kpi_help_requests_at_home
),
counts as (
    select
        case $dimension
            when 'kanaal' then kanaal
            when 'vraagtype' then vraagtype
            else leeftijdsgroep
        end as categorie,
        sum(waarde) as aantal
    from facts_of_both
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
