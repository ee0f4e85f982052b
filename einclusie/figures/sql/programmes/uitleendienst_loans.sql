-- label: Ontleningen aan organisaties
-- definitie: Aantal Ontlening-rijen van de Digitale Uitleendienst (één rij is één ontlening door een school, dienst of organisatie).
-- programma: Uitleendienst
-- per_wijk: nee
select datum, wijk, programma, organisatie as onderdeel, 1 as waarde, 'stroom' as soort
from stg_uitleendienst
where soort = 'Ontlening'
