-- label: Individuele hulpvragen per Digibank
-- definitie: Het deel van de hulpvragen beantwoord door Digibank-digicoaches (activiteit 'Individuele hulp', som van 'aantal') per Digibank.
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digibank
