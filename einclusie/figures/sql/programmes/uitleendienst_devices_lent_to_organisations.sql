-- label: Toestellen ontleend aan organisaties
-- definitie: Toestellen die de Digitale Uitleendienst in de periode uitleende aan scholen, diensten en organisaties (niet aan personen): de aantallen van alle ontleningen in haar export, opgeteld.
-- programma: Uitleendienst
-- per_wijk: nee
select datum, wijk, programma, organisatie as onderdeel, aantal as waarde, 'stroom' as soort
from stg_uitleendienst
where soort = 'Ontlening'
