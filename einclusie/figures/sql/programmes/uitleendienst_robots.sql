-- label: Beschikbare educatieve robots in de uitleenpool
-- definitie: Educatieve robots in de uitleenpool op de laatste dag van de periode: volgens de inventaris in de export van de Uitleendienst de robots die er tot en met die dag bij kwamen, min die eruit gingen.
-- programma: Uitleendienst
-- soort: stand
-- per_wijk: nee
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_devices_lending_pool
where onderdeel = 'Educatieve robot'
