-- label: Niet-pc-werkers in opleiding
-- definitie: Som van 'aantal' van de Allemaal Digitaal-acties 'Opleiding'; een deel van de mensen die hun digitale vaardigheden versterkten.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_people_trained
where programma = 'Allemaal Digitaal'
