-- label: Eerstelijnsprofessionals kregen coaching rond digitale inclusie
-- definitie: Digibank-groepsvorming voor professionals, nieuwe digicoaches in Allemaal Digitaal en vorming voor professionals uit het vormingsregister.
select datum, wijk, programma, aantal as waarde, 'stroom' as soort
from stg_digibanken
where activiteit = 'Groepsvorming' and doelgroep = 'Professional'
union all
select datum, wijk, programma, aantal, 'stroom'
from stg_allemaal_digitaal
where actie = 'Digicoach gestart'
union all
select datum, wijk, programma, deelnemers, 'stroom'
from stg_vorming
where doelgroep = 'Professional'
