-- label: Workshops maakatelier
-- definitie: Workshops in het maakatelier van de bibliotheek in de periode: elke activiteit 'Maakatelier' in de export van de bibliotheek telt één keer.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Maakatelier'
