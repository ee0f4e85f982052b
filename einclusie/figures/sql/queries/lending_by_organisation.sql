-- The figures uitleendienst_loans and uitleendienst_devices_lent_to_organisations per
-- borrowing organisation (their part): the $limit largest by devices first (all when $limit
-- is null), the rest together in one last row, so the columns add up to the two figures. The
-- lending service has no wijk: with a wijk filter nothing is left.
with
loans as (
    select
        onderdeel as organisatie,
        sum(waarde) filter (where figuur = 'uitleendienst_loans') as ontleningen,
        sum(waarde) filter (where figuur = 'uitleendienst_devices_lent_to_organisations') as toestellen
    from facts
    where figuur in ('uitleendienst_loans', 'uitleendienst_devices_lent_to_organisations')
      and datum between $van and $tot
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by onderdeel
),
ranked as (
    select *, row_number() over (order by toestellen desc, ontleningen desc, organisatie) as rang
    from loans
)
select organisatie, cast(ontleningen as bigint) as ontleningen, cast(toestellen as bigint) as toestellen
from (
    select organisatie, ontleningen, toestellen, rang
    from ranked
    where $limit is null or rang <= $limit
    union all
    select 'Andere organisaties (' || count(*) || ')', sum(ontleningen), sum(toestellen), $limit + 1
    from ranked
    where rang > $limit
    having count(*) > 0
)
order by rang
