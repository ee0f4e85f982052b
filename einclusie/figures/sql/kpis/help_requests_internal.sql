-- label: Digitale hulpvragen binnen Allemaal Digitaal (intern)
-- definitie: Som van 'aantal' van de Allemaal Digitaal-acties 'Hulpvraag' in stadsdiensten.
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Hulpvraag'
