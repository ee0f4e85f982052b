-- label: Locaties met een Digipunt
-- definitie: Locaties die volgens het locatieregister een Digipunt zijn en op de laatste dag van de periode open zijn.
-- programma: Digipunten
-- soort: stand
-- per_wijk: ja
-- A stock: +1 on the day a location opens, -1 on the day after it closes.
select actief_van as datum, wijk, 'Digipunten' as programma, naam as onderdeel, 1 as waarde, 'stand' as soort
from stg_locaties
where digipunt
union all
select actief_tot + interval 1 day, wijk, 'Digipunten', naam, -1, 'stand'
from stg_locaties
where digipunt and actief_tot is not null
