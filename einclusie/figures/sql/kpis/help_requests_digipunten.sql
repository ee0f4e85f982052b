-- label: Digitale hulpvragen beantwoord in de Digipunten
-- definitie: Aantal hulpvragen in de export van de Digipunten met kanaal 'Digipunt' (één rij is één vraag), ook die in bibliotheken en dienstencentra.
-- The parts of this KPI (library, LDC, vraagtype) select from these facts: locatietype,
-- vraagtype and leeftijdsgroep come along.
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, 'stroom' as soort,
       locatietype, kanaal, vraagtype, coalesce(leeftijdsgroep, 'onbekend') as leeftijdsgroep
from stg_digipunten
where kanaal = 'Digipunt'
