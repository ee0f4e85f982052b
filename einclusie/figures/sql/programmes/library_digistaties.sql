-- label: Digistaties
-- definitie: Aantal bibliotheekactiviteiten 'Digistatie' (één rij is één activiteit).
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Digistatie'
