-- label: Sessies op publieke surfpc's
-- definitie: Sessies op de publieke computers van de bibliotheek in de periode: de aantallen die ze per dag als 'Surfsessies' in haar export noteert, opgeteld.
-- programma: Bibliotheek
select datum, wijk, programma, vestiging as onderdeel, deelnemers as waarde, 'stroom' as soort
from stg_bibliotheek
where activiteit = 'Surfsessies'
