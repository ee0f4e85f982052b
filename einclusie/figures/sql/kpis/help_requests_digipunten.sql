-- label: Digitale hulpvragen beantwoord in de Digipunten
-- definitie: Hulpvragen die in de periode in een Digipunt beantwoord werden, ook in bibliotheken en dienstencentra: elke vraag met kanaal 'Digipunt' in de export van de Digipunten telt één keer.
-- The parts of this KPI (library, LDC, vraagtype) select from these facts: locatietype,
-- vraagtype and leeftijdsgroep come along.
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, 'stroom' as soort,
       locatietype, kanaal, vraagtype, coalesce(leeftijdsgroep, 'onbekend') as leeftijdsgroep
from stg_digipunten
where kanaal = 'Digipunt'
