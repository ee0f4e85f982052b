-- label: Digitale hulpvragen beantwoord door Digibank-digicoaches
-- definitie: Hulpvragen die digicoaches van de Digibanken in de periode één op één beantwoordden: de aantallen bij 'Individuele hulp' in de export van de Digibanken, opgeteld.
select datum, wijk, programma, digibank as onderdeel, aantal as waarde, 'stroom' as soort
from stg_digibanken
where activiteit = 'Individuele hulp'
