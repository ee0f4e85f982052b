-- label: Digitale hulpvragen binnen Allemaal Digitaal (intern)
-- definitie: Digitale hulpvragen die Allemaal Digitaal in de periode in de stadsdiensten beantwoordde: de aantallen bij 'Hulpvraag' in de export van Allemaal Digitaal, opgeteld.
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Hulpvraag'
