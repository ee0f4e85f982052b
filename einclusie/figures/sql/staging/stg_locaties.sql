-- The location register as loaded: one row per location, with its opening period.
select
    locatie_id,
    naam,
    type as locatietype,
    wijk,
    digipunt,
    surfpunt,
    publieke_computers,
    lat,
    lon,
    actief_van,
    actief_tot
from locaties
