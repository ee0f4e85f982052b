-- label: Computers te gebruiken in de Surf- en Digipunten
-- definitie: Computers voor het publiek in de Surf- en Digipunten, zoals het locatieregister ze vermeldt, in de locaties die op de laatste dag van de periode open zijn.
-- soort: stand
-- A stock: +n on the day a location opens, -n on the day after it closes.
select actief_van as datum, wijk, 'Digipunten' as programma, 'Publieke computer' as onderdeel,
       publieke_computers as waarde, 'stand' as soort
from stg_locaties
where publieke_computers > 0
union all
select actief_tot + interval 1 day as datum, wijk, 'Digipunten' as programma, 'Publieke computer' as onderdeel,
       -publieke_computers as waarde, 'stand' as soort
from stg_locaties
where publieke_computers > 0 and actief_tot is not null
