-- label: Niet-pc-werkers in opleiding
-- definitie: Deelnemers aan de opleidingen van Allemaal Digitaal in de periode: de aantallen bij 'Opleiding' in de export van Allemaal Digitaal, opgeteld. Ze tellen mee bij de mensen die hun digitale vaardigheden versterkten.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_people_trained
where programma = 'Allemaal Digitaal'
