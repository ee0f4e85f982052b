-- Per file whose valid rows a later export replaced (same id): how many, and which files
-- replaced them (the row of the file loaded last is the one that counts).
select
    bron,
    bestand,
    count(*) as rijen,
    string_agg(distinct vervangen_door, ', ' order by vervangen_door) as vervangen_door
from vervangen
group by bron, bestand
order by bestand
