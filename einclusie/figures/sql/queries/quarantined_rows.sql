-- The rows the last load quarantined, newest load first (lading: the load that first loaded
-- the file as it is now), then where and why, then the values as the file holds them: a
-- column per field of the contract. $bron, $bestand, $lading narrow them (null: all);
-- $limit and $offset give one page of them (null: all).
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
    q.rij,
    q.id,
    q.reden,
    q.* exclude (run, bron, bestand, rij, id, reden)
from quarantaine q
left join files f on f.bestand = q.bestand
left join runs r on r.run = f.lading
where q.run = (select run from last_run)
  and ($bron is null or q.bron = $bron)
  and ($bestand is null or q.bestand = $bestand)
  and ($lading is null or f.lading = $lading)
order by f.lading desc nulls last, q.bron, q.bestand, q.rij, q.id
limit $limit offset $offset
