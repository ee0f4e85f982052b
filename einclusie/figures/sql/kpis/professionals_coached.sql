-- label: Eerstelijnsprofessionals kregen coaching rond digitale inclusie
-- definitie: Professionals die in de periode vorming of coaching kregen: deelnemers aan groepsvorming voor professionals in de Digibanken en aan vorming voor professionals uit het vormingsregister, en nieuwe digicoaches van Allemaal Digitaal.
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
