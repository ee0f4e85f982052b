-- label: Sessies op publieke surfpc's
-- definitie: Som van 'deelnemers' van de bibliotheekrijen 'Surfsessies': het aantal sessies op de publieke computers.
-- programma: Bibliotheek
select datum, wijk, programma, vestiging as onderdeel, deelnemers as waarde, 'stroom' as soort
from stg_bibliotheek
where activiteit = 'Surfsessies'
