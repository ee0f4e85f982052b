-- The valid rows a later export replaced, per file ($bestand; null: all) and row, with the
-- file whose row counts instead. $limit and $offset give one page of them (null: all).
select bron, bestand, rij, id, vervangen_door
from vervangen
where $bestand is null or bestand = $bestand
order by bestand, rij, id
limit $limit offset $offset
