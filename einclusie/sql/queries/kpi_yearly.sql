-- KPIs ($keys, in that order) for every year of the data, whatever period is chosen: flows
-- summed per calendar year, stocks as they stand on 31/12 (for the last, partial year: on the
-- newest date in the data). Wijken and programmes filter as everywhere.
with
data_range as (
    select min(eerste) as eerste, max(laatste) as laatste
    from (
        select min(datum) as eerste, max(datum) as laatste from digipunten
        union all select min(datum), max(datum) from digibanken
        union all select min(datum), max(datum) from allemaal_digitaal
        union all select min(datum), max(datum) from bibliotheek
        union all select min(datum), max(datum) from uitleendienst
        union all select min(datum), max(datum) from vorming
    )
),
years as (
    select cast(jaar as integer) as jaar
    from data_range, range(year(eerste), year(laatste) + 1) as t(jaar)
),
keys as (
    select unnest($keys) as kpi, generate_subscripts($keys, 1) as volgorde
),
facts as (
    -- Stocks dated before the first year make up its opening balance.
    select kpi, soort, waarde, greatest(year(datum), year(eerste)) as jaar
    from kpi_facts, data_range
    where list_contains($keys, kpi)
      and datum <= laatste
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
),
per_year as (
    select
        kpi,
        jaar,
        coalesce(sum(waarde) filter (where soort = 'stroom'), 0) as stroom,
        coalesce(sum(waarde) filter (where soort = 'stand'), 0) as stand
    from facts
    group by kpi, jaar
)
select
    k.kpi,
    y.jaar,
    cast(
        coalesce(p.stroom, 0)
        + sum(coalesce(p.stand, 0)) over (partition by k.kpi order by y.jaar)
        as bigint
    ) as waarde
from keys k
cross join years y
left join per_year p on p.kpi = k.kpi and p.jaar = y.jaar
order by k.volgorde, y.jaar
