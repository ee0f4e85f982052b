-- label: Digitale materialen ter beschikking in de Digitale Uitleendienst
-- definitie: Toestellen en materialen in de uitleenpool op de laatste dag van de periode: volgens de inventaris in de export van de Uitleendienst alles wat er tot en met die dag bij kwam, min wat eruit ging.
-- soort: stand
-- per_wijk: nee
select datum, wijk, programma, toesteltype as onderdeel, aantal as waarde, 'stand' as soort
from stg_uitleendienst
where soort = 'Inventaris'
