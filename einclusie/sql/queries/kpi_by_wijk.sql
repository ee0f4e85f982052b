-- One KPI ($key) for each of the 25 wijken (0 where nothing), for the period and programmes.
-- City-wide rows (no wijk) belong to no wijk and are left out.
with per_wijk as (
    select wijk, sum(waarde) as waarde
    from kpi_facts
    where kpi = $key
      and wijk is not null
      and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by wijk
)
select w.wijknr, w.wijk, cast(coalesce(p.waarde, 0) as bigint) as waarde
from wijken w
left join per_wijk p using (wijk)
order by w.wijknr
