-- One row per Digibank activity; aantal is people or devices depending on the activity.
select
    id,
    datum,
    locatie_id,
    digibank,
    wijk,
    activiteit,
    onderwerp,
    toesteltype,
    doelgroep,
    aantal,
    'Digibanken' as programma
from digibanken
