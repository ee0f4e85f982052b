-- Per source: the newest date in its table and what the last load did with its files.
with
last_run as (
    select run, cast(left(gestart, 19) as timestamp) as gestart
    from runs
    order by run desc
    limit 1
),
newest(volgorde, bron, nieuwste_datum) as (
    select 1, 'digipunten', max(datum) from digipunten
    union all select 2, 'digibanken', max(datum) from digibanken
    union all select 3, 'allemaal_digitaal', max(datum) from allemaal_digitaal
    union all select 4, 'bibliotheek', max(datum) from bibliotheek
    union all select 5, 'uitleendienst', max(datum) from uitleendienst
    union all select 6, 'vorming', max(datum) from vorming
),
files as (
    select
        bron,
        count(*) as bestanden,
        sum(rijen_gelezen) as rijen_gelezen,
        sum(rijen_geladen) as rijen_geladen,
        sum(rijen_quarantaine) as rijen_quarantaine,
        count(*) filter (where status = 'geweigerd') as bestanden_geweigerd
    from manifest
    where run = (select run from last_run)
    group by bron
)
select
    n.bron,
    n.nieuwste_datum,
    (select gestart from last_run) as laatste_lading,
    cast(coalesce(f.bestanden, 0) as bigint) as bestanden,
    cast(coalesce(f.rijen_gelezen, 0) as bigint) as rijen_gelezen,
    cast(coalesce(f.rijen_geladen, 0) as bigint) as rijen_geladen,
    cast(coalesce(f.rijen_quarantaine, 0) as bigint) as rijen_quarantaine,
    cast(coalesce(f.bestanden_geweigerd, 0) as bigint) as bestanden_geweigerd
from newest n
left join files f using (bron)
order by n.volgorde
