-- label: Bezoekers maakatelier
-- definitie: Deelnemers aan de workshops in het maakatelier van de bibliotheek in de periode: de deelnemers bij 'Maakatelier' in de export van de bibliotheek, opgeteld. Ze tellen mee bij de mensen die hun digitale vaardigheden versterkten.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, waarde as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Maakatelier'
