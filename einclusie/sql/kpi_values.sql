-- The value of every KPI for a period and an optional selection of wijken and programmes.
-- Flows ('stroom') count inside the period; stocks ('stand') count everything up to its last day.
-- Rows without a wijk (city-wide) only count when no wijk is chosen.
select
    kpi,
    coalesce(sum(waarde) filter (
        where (soort = 'stroom' and datum between $van and $tot)
           or (soort = 'stand' and datum <= $tot)
    ), 0)::bigint as waarde
from kpi_facts
where in_selection(wijk, $wijken)
  and (len($programmas) = 0 or list_contains($programmas, programma))
group by kpi
