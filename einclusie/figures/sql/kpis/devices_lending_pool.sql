-- label: Digitale materialen ter beschikking in de Digitale Uitleendienst
-- definitie: Stand van de uitleenpool op de laatste dag van de periode: de som van alle Inventaris-rijen (toegevoegd min weggenomen) tot en met die dag.
-- soort: stand
-- per_wijk: nee
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stand' as soort
from stg_uitleendienst
where soort = 'Inventaris'
