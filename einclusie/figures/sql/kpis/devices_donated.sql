-- label: Laptops en tablets geschonken aan mensen in armoede
-- definitie: Toestellen die de Digibanken in de periode schonken: de aantallen bij 'Toestel geschonken' in de export van de Digibanken, opgeteld.
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank
from stg_digibanken
where activiteit = 'Toestel geschonken'
