-- The facts of some KPIs ($keys) for the selection, per programme, part (onderdeel) and wijk:
-- flows inside the period, stocks up to its last day, exactly as the cards count them.
select
    kpi,
    programma,
    onderdeel,
    wijk,
    cast(sum(waarde) as bigint) as waarde
from kpi_facts
where list_contains($keys, kpi)
  and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
  and in_selection(wijk, $wijken)
  and (len($programmas) = 0 or list_contains($programmas, programma))
group by all
