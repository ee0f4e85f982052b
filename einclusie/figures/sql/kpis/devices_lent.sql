-- label: Laptops en tablets ontleend aan doelgroepen
-- definitie: Toestellen die de Digibanken in de periode aan personen uitleenden: de aantallen bij 'Toestel uitgeleend' in de export van de Digibanken, opgeteld.
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stroom' as soort,
       digibank
from stg_digibanken
where activiteit = 'Toestel uitgeleend'
