-- label: Toestellen ingezet
-- definitie: Publieke computers en toestellen in de uitleenpool (stand op de laatste dag) plus geschonken en uitgeleende toestellen (in de periode).
-- per_wijk: deels
select * from kpi_devices_public_computers
union all select * from kpi_devices_lending_pool
union all select * from kpi_devices_donated
union all select * from kpi_devices_lent
