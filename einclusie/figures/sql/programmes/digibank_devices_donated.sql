-- label: Toestellen geschonken per Digibank
-- definitie: Het deel van de geschonken toestellen (Digibank-activiteiten 'Toestel geschonken', som van 'aantal') per Digibank.
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, digibank as onderdeel, waarde, soort
from kpi_devices_donated
