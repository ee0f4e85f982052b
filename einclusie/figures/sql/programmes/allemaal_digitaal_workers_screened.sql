-- label: Niet-pc-werkers gescreend
-- definitie: Medewerkers zonder werkpc van wie Allemaal Digitaal in de periode de digitale vaardigheden in kaart bracht: de aantallen bij 'Screening' in de export van Allemaal Digitaal, opgeteld.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, stadsdienst as onderdeel, aantal as waarde, 'stroom' as soort
from stg_allemaal_digitaal
where actie = 'Screening'
