-- label: Mensen versterkten hun digitale vaardigheden via vorming
-- definitie: Deelnemers aan vorming voor burgers en medewerkers in de periode: groepsvorming voor burgers in de Digibanken, opleidingen van Allemaal Digitaal, bibliotheekactiviteiten (zonder surfsessies) en vorming voor burgers uit het vormingsregister.
-- per_wijk: deels
-- One row per activity (the library's and Allemaal Digitaal's figures count them); locatie is
-- the Digibank, the library branch or the register's location.
select datum, wijk, programma, activiteit as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank as locatie
from stg_digibanken
where activiteit = 'Groepsvorming' and doelgroep = 'Burger'
union all
select datum, wijk, programma, actie, aantal, 'stroom', cast(null as varchar)
from stg_allemaal_digitaal
where actie = 'Opleiding'
union all
select datum, wijk, programma, activiteit, deelnemers, 'stroom', vestiging
from stg_bibliotheek
where activiteit <> 'Surfsessies'
union all
select datum, wijk, programma, vormingsprogramma, deelnemers, 'stroom', locatie
from stg_vorming
where doelgroep = 'Burger'
