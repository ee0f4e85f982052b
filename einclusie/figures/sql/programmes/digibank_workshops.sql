-- label: Groepsvormingen per Digibank
-- definitie: Per Digibank: de groepsvormingen in de periode, voor burgers en voor professionals; elke activiteit 'Groepsvorming' in de export van de Digibanken telt één keer.
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
