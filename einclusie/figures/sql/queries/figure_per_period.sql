-- Figures per $grain ('month' or 'year') of the period ($keys, in that order, never a figure
-- that mixes flows and stocks): flows ('stroom') summed within each month or year, clipped to
-- the period, so they add up to the period's figure; stocks ('stand') as they stand on its
-- last day, or on the period's last day for the final one. Every month or year overlapping the
-- period is present.
with
months as (
    select cast(m as date) as maand
    from generate_series(
        date_trunc($grain, $van::date), date_trunc($grain, $tot::date),
        case $grain when 'year' then interval 1 year else interval 1 month end
    ) as t(m)
),
keys as (
    select unnest($keys) as figuur, generate_subscripts($keys, 1) as volgorde
),
counted as (
    -- Stocks dated before the period make up its first month's opening balance.
    select
        figuur,
        soort,
        waarde,
        cast(date_trunc($grain, greatest(datum, $van::date)) as date) as maand
    from facts
    where list_contains($keys, figuur)
      and ((soort = 'stroom' and datum between $van and $tot) or (soort = 'stand' and datum <= $tot))
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
),
per_month as (
    select
        figuur,
        maand,
        coalesce(sum(waarde) filter (where soort = 'stroom'), 0) as stroom,
        coalesce(sum(waarde) filter (where soort = 'stand'), 0) as stand
    from counted
    group by figuur, maand
)
select
    k.figuur,
    m.maand,
    cast(
        coalesce(p.stroom, 0)
        + sum(coalesce(p.stand, 0)) over (partition by k.figuur order by m.maand)
        as bigint
    ) as waarde
from keys k
cross join months m
left join per_month p on p.figuur = k.figuur and p.maand = m.maand
order by k.volgorde, m.maand
