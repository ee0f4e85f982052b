-- label: Locaties met een Surfpunt
-- definitie: Locaties die volgens het locatieregister een Surfpunt zijn (met computers voor het publiek) en op de laatste dag van de periode open zijn.
-- programma: Digipunten
-- soort: stand
-- per_wijk: ja
select actief_van as datum, wijk, 'Digipunten' as programma, naam as onderdeel, 1 as waarde, 'stand' as soort
from stg_locaties
where surfpunt
union all
select actief_tot + interval 1 day, wijk, 'Digipunten', naam, -1, 'stand'
from stg_locaties
where surfpunt and actief_tot is not null
