-- label: Groepsvormingen per Digibank
-- definitie: Aantal Digibank-activiteiten 'Groepsvorming' (één rij is één vorming), voor burgers en voor professionals, per Digibank.
-- programma: Digibanken
-- per_onderdeel: ja
-- gepubliceerd: digibank_uconnect_workshops = Digibank U-Connect
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, soort
from kpi_people_trained
where programma = 'Digibanken'
union all
select datum, wijk, programma, locatie, 1, soort
from kpi_professionals_coached
where programma = 'Digibanken'
