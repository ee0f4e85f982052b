-- label: Deelnemers aan groepsvorming per Digibank
-- definitie: Som van 'aantal' van de Digibank-activiteiten 'Groepsvorming' per Digibank: burgers (een deel van de mensen die hun digitale vaardigheden versterkten) en professionals (een deel van de gecoachte professionals).
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_people_trained
where programma = 'Digibanken'
union all
select datum, wijk, programma, locatie, waarde, soort
from kpi_professionals_coached
where programma = 'Digibanken'
