-- label: Beschikbare laptops in de uitleenpool
-- definitie: Het deel van de uitleenpool van het type 'Laptop': de som van alle Inventaris-rijen van dat type tot en met de laatste dag van de periode.
-- programma: Uitleendienst
-- soort: stand
-- per_wijk: nee
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_devices_lending_pool
where onderdeel = 'Laptop'
