-- Per file with rows the last load quarantined: its source, the load (lading) that first
-- loaded the file as it is now (the manifest's eerst_geladen_run), when, and how many rows.
-- Newest load first: a correction sent this month comes before last year's files.
with
last_run as (select max(run) as run from runs),
files as (
    select bestand, eerst_geladen_run as lading
    from manifest
    where run = (select run from last_run)
)
select
    q.bron,
    q.bestand,
    f.lading,
    cast(left(r.gestart, 19) as timestamp) as geladen,
    coalesce(f.lading = (select run from last_run), false) as nieuw,
    count(*) as rijen
from quarantaine q
left join files f on f.bestand = q.bestand
left join runs r on r.run = f.lading
where q.run = (select run from last_run)
group by q.bron, q.bestand, f.lading, r.gestart
order by f.lading desc nulls last, q.bron, q.bestand
