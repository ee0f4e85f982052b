-- What the dashboard says about its data: the newest date in any export, the last load,
-- and whether any loaded file is one of the shipped sample exports.
select
    (select max(datum) from (
        select max(datum) as datum from digipunten
        union all select max(datum) from digibanken
        union all select max(datum) from allemaal_digitaal
        union all select max(datum) from bibliotheek
        union all select max(datum) from uitleendienst
        union all select max(datum) from vorming)) as nieuwste_datum,
    (select max_by(gestart, run) from runs) as geladen,
    (select max(run) from runs) as run,
    (select coalesce(bool_or(voorbeeld), false) from manifest
      where run = (select max(run) from runs) and status = 'geladen') as voorbeeldgegevens
