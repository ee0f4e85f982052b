-- label: Laptops en tablets ontleend aan doelgroepen
-- definitie: Som van 'aantal' van de Digibank-activiteiten 'Toestel uitgeleend' (uitgeleend aan personen).
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank
from stg_digibanken
where activiteit = 'Toestel uitgeleend'
