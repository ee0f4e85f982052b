-- Lending service: Inventaris rows change the pool (+/-), Ontlening rows are loans.
select
    id,
    datum,
    soort,
    toesteltype,
    aantal,
    organisatie,
    locatie_id,
    locatie,
    wijk,
    'Uitleendienst' as programma
from uitleendienst
