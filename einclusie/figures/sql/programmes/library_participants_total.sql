-- label: Deelnemers aan digitale activiteiten in de bibliotheek
-- definitie: Som van 'deelnemers' van de bibliotheekactiviteiten zonder de surfsessies; het deel van de bibliotheek in de mensen die hun digitale vaardigheden versterkten.
-- programma: Bibliotheek
select datum, wijk, programma, locatie as onderdeel, waarde as waarde, soort
from kpi_people_trained
where programma = 'Bibliotheek'
