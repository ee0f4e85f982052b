-- Loans of the Digitale Uitleendienst per borrowing organisation in the period (Ontlening rows):
-- number of loans and devices lent, the $limit largest by devices first (all when $limit is
-- null), the rest together in one last row so that the columns add up to the programme figures.
-- The lending service has no wijk: with a wijk filter nothing is left.
with
loans as (
    select organisatie, count(*) as ontleningen, sum(aantal) as toestellen
    from stg_uitleendienst
    where soort = 'Ontlening'
      and datum between $van and $tot
      and in_selection(wijk, $wijken)
      and (len($programmas) = 0 or list_contains($programmas, programma))
    group by organisatie
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
