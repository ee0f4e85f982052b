-- label: Digitale hulpvragen beantwoord door Digibank-digicoaches
-- definitie: Som van 'aantal' van de Digibank-activiteiten 'Individuele hulp' (één-op-één hulp door een digicoach).
select datum, wijk, programma, digibank as onderdeel, aantal as waarde, 'stroom' as soort
from stg_digibanken
where activiteit = 'Individuele hulp'
