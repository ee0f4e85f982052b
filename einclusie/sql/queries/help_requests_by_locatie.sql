-- The busiest locations: help requests of the Digipunten KPIs ($keys: help_requests_digipunten
-- and/or help_requests_at_home, whose onderdeel is the location; at home counts for the
-- Digipunt that sent the helper) per location and its wijk, the $limit busiest (all when
-- $limit is null), busiest first.
with
counts as (
    select onderdeel as locatie, wijk, sum(waarde) as aantal
    from kpi_facts
    where list_contains($keys, kpi)
      and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by onderdeel, wijk
)
select locatie, wijk, cast(aantal as bigint) as aantal
from counts
order by aantal desc, locatie
limit $limit
