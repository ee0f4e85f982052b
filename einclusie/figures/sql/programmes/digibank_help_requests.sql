-- label: Individuele hulpvragen per Digibank
-- definitie: Per Digibank: de hulpvragen die haar digicoaches in de periode één op één beantwoordden, de aantallen bij 'Individuele hulp' in de export van de Digibanken, opgeteld.
-- programma: Digibanken
-- per_onderdeel: ja
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digibank
