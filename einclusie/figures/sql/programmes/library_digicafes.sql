-- label: Digicafés
-- definitie: Digicafés van de bibliotheek in de periode: elke activiteit 'Digicafé' in de export van de bibliotheek telt één keer.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Digicafé'
