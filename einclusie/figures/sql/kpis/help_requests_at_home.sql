-- label: Digitale hulpvragen beantwoord aan huis
-- definitie: Hulpvragen die in de periode bij mensen thuis beantwoord werden: elke vraag met kanaal 'Aan huis' in de export van de Digipunten telt één keer, in de wijk van het Digipunt dat de begeleider stuurde.
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, 'stroom' as soort,
       locatietype, kanaal, vraagtype, coalesce(leeftijdsgroep, 'onbekend') as leeftijdsgroep
from stg_digipunten
where kanaal = 'Aan huis'
