-- label: Gedeelde toestellen geplaatst
-- definitie: Gedeelde toestellen die Allemaal Digitaal in de periode in stadsdiensten plaatste: de aantallen bij 'Gedeeld toestel geplaatst' in de export van Allemaal Digitaal, opgeteld.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Gedeeld toestel geplaatst'
