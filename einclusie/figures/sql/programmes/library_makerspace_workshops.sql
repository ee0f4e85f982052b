-- label: Workshops maakatelier
-- definitie: Aantal bibliotheekactiviteiten 'Maakatelier' (één rij is één workshop).
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek' and onderdeel = 'Maakatelier'
