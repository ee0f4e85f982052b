-- label: Gedeelde toestellen geplaatst
-- definitie: Som van 'aantal' van de Allemaal Digitaal-acties 'Gedeeld toestel geplaatst' in stadsdiensten.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Gedeeld toestel geplaatst'
