-- label: Digitale hulpvragen beantwoord aan huis
-- definitie: Aantal hulpvragen in de export van de Digipunten met kanaal 'Aan huis' (de wijk is die van het Digipunt dat de begeleider stuurde).
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, 'stroom' as soort,
       locatietype, kanaal, vraagtype, coalesce(leeftijdsgroep, 'onbekend') as leeftijdsgroep
from stg_digipunten
where kanaal = 'Aan huis'
