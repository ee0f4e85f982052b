-- One row per library activity, or per branch and day of public-computer use (Surfsessies).
select
    id,
    datum,
    locatie_id,
    vestiging,
    wijk,
    activiteit,
    deelnemers,
    'Bibliotheek' as programma
from bibliotheek
