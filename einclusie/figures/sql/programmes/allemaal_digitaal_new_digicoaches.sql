-- label: Nieuwe digicoaches
-- definitie: Digicoaches die in de periode bij Allemaal Digitaal begonnen: de aantallen bij 'Digicoach gestart' in de export van Allemaal Digitaal, opgeteld. Ze tellen mee bij de gecoachte professionals.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_professionals_coached
where programma = 'Allemaal Digitaal'
