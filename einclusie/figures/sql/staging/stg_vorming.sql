-- One row per training session in the training register; vormingsprogramma says who ran it
-- (the dashboard's programme filter knows these rows as 'Vorming').
select
    id,
    datum,
    'Vorming' as programma,
    programma as vormingsprogramma,
    locatie_id,
    locatie,
    wijk,
    titel,
    doelgroep,
    deelnemers
from vorming
