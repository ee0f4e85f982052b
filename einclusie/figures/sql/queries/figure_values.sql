-- The value of figures ($keys) for a period and an optional selection of wijken and
-- programmes, and per part (onderdeel) for the figures in $per_part. Flows ('stroom') count
-- inside the period; stocks ('stand') everything up to its last day. Rows without a wijk
-- (city-wide) only count when no wijk is chosen. `rijen` is the number of facts counted: a
-- part is listed only when it has some.
with counted as (
    select figuur, onderdeel, waarde
    from facts
    where list_contains($keys, figuur)
      and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
)
select figuur, cast(null as varchar) as onderdeel, cast(sum(waarde) as bigint) as waarde
from counted
group by figuur
union all
select figuur, onderdeel, cast(sum(waarde) as bigint)
from counted
where list_contains($per_part, figuur)
group by figuur, onderdeel
