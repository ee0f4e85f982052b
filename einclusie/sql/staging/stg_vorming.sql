-- One row per training session in the training register; programma says who ran it.
select
    id,
    datum,
    programma,
    locatie_id,
    locatie,
    wijk,
    titel,
    doelgroep,
    deelnemers
from vorming
