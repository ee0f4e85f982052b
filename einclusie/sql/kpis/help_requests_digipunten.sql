-- label: Digitale hulpvragen beantwoord in de Digipunten
-- definitie: Aantal hulpvragen in de export van de Digipunten met kanaal 'Digipunt' (één rij is één vraag), ook die in bibliotheken en dienstencentra.
select datum, wijk, programma, locatie as onderdeel, 1 as waarde, 'stroom' as soort
from stg_digipunten
where kanaal = 'Digipunt'
