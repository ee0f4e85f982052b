-- label: Toestellen uitgeleend per Digibank
-- definitie: Per Digibank: de toestellen die ze in de periode aan personen uitleende, de aantallen bij 'Toestel uitgeleend' in de export van de Digibanken, opgeteld.
-- programma: Digibanken
-- per_onderdeel: ja
-- gepubliceerd: digibank_de_serre_devices_lent = Digibank De Serre; digibank_uconnect_devices_lent = Digibank U-Connect
select datum, wijk, programma, digibank as onderdeel, waarde, soort
from kpi_devices_lent
