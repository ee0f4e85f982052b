-- label: Opleidingsreeksen binnen Allemaal Digitaal
-- definitie: Opleidingsreeksen van Allemaal Digitaal in de periode: elke actie 'Opleiding' in de export van Allemaal Digitaal telt één keer.
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Allemaal Digitaal'
