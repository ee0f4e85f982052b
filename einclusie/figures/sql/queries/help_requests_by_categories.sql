-- The facts of help_requests_digipunten and help_requests_at_home (kanaal in $kanalen) per
-- kanaal, per vraagtype and per leeftijdsgroep (`indeling`), in one scan of the facts
-- (grouping sets: three scans took three times as long at 100x). Every category of the
-- loaded suite ($kanaal_categories, ...: in that order) is present, with 0 when nothing.
with
facts_of_both as (
    select * from kpi_help_requests_digipunten
    union all
    select * from kpi_help_requests_at_home
),
counts as (
    select
        case
            when grouping(kanaal) = 0 then 'kanaal'
            when grouping(vraagtype) = 0 then 'vraagtype'
            else 'leeftijdsgroep'
        end as indeling,
        case
            when grouping(kanaal) = 0 then kanaal
            when grouping(vraagtype) = 0 then vraagtype
            else leeftijdsgroep
        end as categorie,
        sum(waarde) as aantal
    from facts_of_both
    where list_contains($kanalen, kanaal)
      and datum between $van and $tot
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by grouping sets ((kanaal), (vraagtype), (leeftijdsgroep))
),
categories as (
    select 'kanaal' as indeling, unnest($kanaal_categories) as categorie,
        generate_subscripts($kanaal_categories, 1) as volgorde
    union all
    select 'vraagtype', unnest($vraagtype_categories), generate_subscripts($vraagtype_categories, 1)
    union all
    select 'leeftijdsgroep', unnest($leeftijdsgroep_categories),
        generate_subscripts($leeftijdsgroep_categories, 1)
)
select indeling, categorie, cast(coalesce(n.aantal, 0) as bigint) as aantal
from categories c
full join counts n using (indeling, categorie)
order by indeling, coalesce(c.volgorde, 1000), categorie
