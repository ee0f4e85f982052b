-- label: Digitale activiteiten in de bibliotheek
-- definitie: Digitale activiteiten van de bibliotheek in de periode: digicafés, digistaties, maakateliers en OpenTechTalks, niet de surfsessies; elke activiteit in de export van de bibliotheek telt één keer.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek'
