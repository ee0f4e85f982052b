-- One row per action inside a city service; internal, so never tied to a wijk.
select
    id,
    datum,
    stadsdienst,
    actie,
    doelgroep,
    aantal,
    cast(null as varchar) as wijk,
    'Allemaal Digitaal' as programma
from allemaal_digitaal
