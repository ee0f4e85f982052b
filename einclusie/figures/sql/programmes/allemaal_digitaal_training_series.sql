-- label: Opleidingsreeksen binnen Allemaal Digitaal
-- definitie: Aantal Allemaal Digitaal-acties 'Opleiding' (één rij is één opleidingsreeks).
-- programma: Allemaal Digitaal
-- per_wijk: nee
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Allemaal Digitaal'
