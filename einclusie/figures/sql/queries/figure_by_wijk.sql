-- Figures ($keys) for each of the 25 wijken (0 where nothing), for the period and programmes,
-- with each wijk's share of the city built the same way: the sum over the 25 wijken, so
-- city-wide rows (no wijk) are in neither and the shares add up to 100 %.
with per_wijk as (
    select figuur, wijk, sum(waarde) as waarde
    from facts
    where list_contains($keys, figuur)
      and wijk is not null
      and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by figuur, wijk
),
grid as (
    select k.figuur, w.wijknr, w.wijk, cast(coalesce(p.waarde, 0) as bigint) as waarde
    from (select unnest($keys) as figuur) k
    cross join wijken w
    left join per_wijk p on p.figuur = k.figuur and p.wijk = w.wijk
)
select
    figuur,
    wijknr,
    wijk,
    waarde,
    sum(waarde) over (partition by figuur) as gent,
    100.0 * waarde / nullif(sum(waarde) over (partition by figuur), 0) as aandeel
from grid
order by figuur, wijknr
