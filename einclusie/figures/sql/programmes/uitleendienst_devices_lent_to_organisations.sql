-- label: Toestellen ontleend aan organisaties
-- definitie: Som van 'aantal' van de Ontlening-rijen van de Digitale Uitleendienst: toestellen uitgeleend aan scholen, diensten en organisaties (niet aan personen).
-- programma: Uitleendienst
-- per_wijk: nee
select datum, wijk, programma, organisatie as onderdeel, aantal as waarde, 'stroom' as soort
from stg_uitleendienst
where soort = 'Ontlening'
