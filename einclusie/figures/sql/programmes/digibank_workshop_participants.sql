-- label: Deelnemers aan groepsvorming per Digibank
-- definitie: Per Digibank: de deelnemers aan haar groepsvormingen in de periode, de aantallen bij 'Groepsvorming' in de export van de Digibanken, opgeteld. De burgers tellen mee bij de mensen die hun digitale vaardigheden versterkten, de professionals bij de gecoachte professionals.
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, locatie as onderdeel, waarde, soort
from kpi_people_trained
where programma = 'Digibanken'
union all
select datum, wijk, programma, locatie, waarde, soort
from kpi_professionals_coached
where programma = 'Digibanken'
