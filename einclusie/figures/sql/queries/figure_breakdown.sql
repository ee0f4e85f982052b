-- The facts of some figures ($keys) for the selection, per programme, part (onderdeel) and
-- wijk: flows inside the period, stocks up to its last day, exactly as their values count them.
select
    figuur,
    programma,
    onderdeel,
    wijk,
    cast(sum(waarde) as bigint) as waarde
from facts
where list_contains($keys, figuur)
  and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
  and in_selection(wijk, $wijken)
  and (len($programmas) = 0 or list_contains($programmas, programma))
group by all
