-- label: Toestellen ingezet
-- definitie: Publieke computers en toestellen in de uitleenpool op de laatste dag van de periode, plus de toestellen die de Digibanken in de periode schonken en uitleenden: die vier samen.
-- soort: stroom en stand
-- per_wijk: deels
-- onderdelen: devices_public_computers, devices_lending_pool, devices_donated, devices_lent
select datum, wijk, programma, onderdeel, waarde, soort from kpi_devices_public_computers
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_devices_lending_pool
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_devices_donated
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_devices_lent
