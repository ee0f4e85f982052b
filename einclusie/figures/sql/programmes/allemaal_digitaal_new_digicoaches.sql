-- label: Nieuwe digicoaches
-- definitie: Som van 'aantal' van de Allemaal Digitaal-acties 'Digicoach gestart'; een deel van de gecoachte professionals.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_professionals_coached
where programma = 'Allemaal Digitaal'
