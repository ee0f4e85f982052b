-- label: Laptops en tablets geschonken aan mensen in armoede
-- definitie: Som van 'aantal' van de Digibank-activiteiten 'Toestel geschonken'.
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank
from stg_digibanken
where activiteit = 'Toestel geschonken'
