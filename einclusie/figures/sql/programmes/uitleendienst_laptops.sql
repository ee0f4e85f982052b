-- label: Beschikbare laptops in de uitleenpool
-- definitie: Laptops in de uitleenpool op de laatste dag van de periode: volgens de inventaris in de export van de Uitleendienst de laptops die er tot en met die dag bij kwamen, min die eruit gingen.
-- programma: Uitleendienst
-- soort: stand
-- per_wijk: nee
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_devices_lending_pool
where onderdeel = 'Laptop'
