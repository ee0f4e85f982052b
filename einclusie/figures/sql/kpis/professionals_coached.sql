-- label: Eerstelijnsprofessionals kregen coaching rond digitale inclusie
-- definitie: Digibank-groepsvorming voor professionals, nieuwe digicoaches in Allemaal Digitaal en vorming voor professionals uit het vormingsregister.
-- per_wijk: deels
select datum, wijk, programma, activiteit as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank as locatie
from stg_digibanken
where activiteit = 'Groepsvorming' and doelgroep = 'Professional'
union all
select datum, wijk, programma, actie, aantal, 'stroom', cast(null as varchar)
from stg_allemaal_digitaal
where actie = 'Digicoach gestart'
union all
select datum, wijk, programma, vormingsprogramma, deelnemers, 'stroom', locatie
from stg_vorming
where doelgroep = 'Professional'
