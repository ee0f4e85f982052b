-- label: Digitale activiteiten in de bibliotheek
-- definitie: Aantal bibliotheekactiviteiten zonder de surfsessies: digicafés, digistaties, maakatelier en OpenTechTalks.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek'
