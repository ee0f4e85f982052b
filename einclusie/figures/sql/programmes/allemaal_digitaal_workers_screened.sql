-- label: Niet-pc-werkers gescreend
-- definitie: Som van 'aantal' van de Allemaal Digitaal-acties 'Screening': medewerkers zonder werkpc van wie de digitale vaardigheden in kaart gebracht werden.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Screening'
