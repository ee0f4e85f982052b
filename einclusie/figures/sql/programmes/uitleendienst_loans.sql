-- label: Ontleningen aan organisaties
-- definitie: Ontleningen door scholen, diensten en organisaties bij de Digitale Uitleendienst in de periode: elke ontlening in haar export telt één keer, hoeveel toestellen ze ook omvat.
-- programma: Uitleendienst
-- per_wijk: nee
select datum, wijk, programma, organisatie as onderdeel, 1 as waarde, 'stroom' as soort
from stg_uitleendienst
where soort = 'Ontlening'
