-- label: Deelnemers aan digitale activiteiten in de bibliotheek
-- definitie: Deelnemers aan de digitale activiteiten van de bibliotheek in de periode (digicafés, digistaties, maakateliers en OpenTechTalks, niet de surfsessies), opgeteld uit de export van de bibliotheek: het deel van de bibliotheek in de mensen die hun digitale vaardigheden versterkten.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, waarde as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek'
