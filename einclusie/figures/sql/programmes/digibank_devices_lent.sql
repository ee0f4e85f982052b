-- label: Toestellen uitgeleend per Digibank
-- definitie: Het deel van de uitgeleende toestellen (Digibank-activiteiten 'Toestel uitgeleend', som van 'aantal') per Digibank.
-- programma: Digibanken
-- per_onderdeel: ja
-- gepubliceerd: digibank_de_serre_devices_lent = Digibank De Serre; digibank_uconnect_devices_lent = Digibank U-Connect
select datum, wijk, programma, digibank as onderdeel, waarde, soort
from kpi_devices_lent
