-- label: Bezoekers digistaties
-- definitie: Deelnemers aan de digistaties van de bibliotheek in de periode: de deelnemers bij 'Digistatie' in de export van de bibliotheek, opgeteld. Ze tellen mee bij de mensen die hun digitale vaardigheden versterkten.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, waarde as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Digistatie'
