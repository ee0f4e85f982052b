-- label: Bezoekers digistaties
-- definitie: Som van 'deelnemers' van de bibliotheekactiviteiten 'Digistatie'; een deel van de mensen die hun digitale vaardigheden versterkten.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, waarde as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Digistatie'
