-- The busiest locations: the facts of help_requests_digipunten and/or help_requests_at_home
-- ($keys), whose part (onderdeel) is the location, per location and its wijk; at home counts
-- for the Digipunt that sent the helper. The $limit busiest (all when $limit is null) first.
with
counts as (
    select onderdeel as locatie, wijk, sum(waarde) as aantal
    from facts
    where list_contains($keys, figuur)
      and datum between $van and $tot
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by onderdeel, wijk
)
select locatie, wijk, cast(aantal as bigint) as aantal
from counts
order by aantal desc, locatie
limit $limit
