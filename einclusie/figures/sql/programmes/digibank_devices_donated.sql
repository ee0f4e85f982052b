-- label: Toestellen geschonken per Digibank
-- definitie: Per Digibank: de toestellen die ze in de periode schonk, de aantallen bij 'Toestel geschonken' in de export van de Digibanken, opgeteld.
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, digibank as onderdeel, waarde, soort
from kpi_devices_donated
