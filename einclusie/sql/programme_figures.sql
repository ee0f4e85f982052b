-- The figures each programme page of the annual report gives, for a period and wijken.
-- Activities count rows; people and devices sum the count column (as the report does).
-- Stocks (locations, pool per device type) are taken on the last day of the period.
with
sel_digipunten as (
    select * from stg_digipunten
    where datum between $van and $tot and in_selection(wijk, $wijken)
),
sel_digibanken as (
    select * from stg_digibanken
    where datum between $van and $tot and in_selection(wijk, $wijken)
),
sel_bibliotheek as (
    select * from stg_bibliotheek
    where datum between $van and $tot and in_selection(wijk, $wijken)
),
sel_allemaal_digitaal as (
    select * from stg_allemaal_digitaal
    where datum between $van and $tot and in_selection(wijk, $wijken)
),
sel_uitleendienst as (
    select * from stg_uitleendienst
    where datum between $van and $tot and in_selection(wijk, $wijken)
),
open_locations as (
    select * from stg_locaties
    where actief_van <= $tot and (actief_tot is null or actief_tot >= $tot)
      and in_selection(wijk, $wijken)
),
pool as (
    select toesteltype, sum(aantal) as aantal from stg_uitleendienst
    where soort = 'Inventaris' and datum <= $tot and in_selection(wijk, $wijken)
    group by toesteltype
),
on_site as (select * from sel_digipunten where kanaal = 'Digipunt'),
figures(programma, onderdeel, sleutel, label, waarde) as (
    select 'Digipunten', null, 'digipunten_locations', 'Digipunten',
        count(*) filter (where digipunt) from open_locations
    union all select 'Digipunten', null, 'surfpunten_locations', 'Surfpunten',
        count(*) filter (where surfpunt) from open_locations
    union all select 'Digipunten', null, 'digipunten_help_requests', 'Digitale hulpvragen beantwoord',
        count(*) from on_site
    union all select 'Digipunten', null, 'digipunten_share_technical_help_pct',
        'Vragen over technische hulp (%)',
        round(100 * count(*) filter (where vraagtype = 'Technische hulp') / nullif(count(*), 0))
        from on_site
    union all select 'Digipunten', null, 'digipunten_share_digital_services_pct',
        'Vragen over digitale diensten (%)',
        round(100 * count(*) filter (where vraagtype = 'Digitale diensten') / nullif(count(*), 0))
        from on_site
    union all select 'Bibliotheek', null, 'library_digipunt_questions',
        'Digitale vragen beantwoord in de Digipunten van de bibliotheek',
        count(*) from on_site where locatietype = 'Bibliotheek'
    union all select 'Bibliotheek', null, 'library_surf_sessions', 'Sessies op publieke surfpc''s',
        sum(deelnemers) filter (where activiteit = 'Surfsessies') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_digicafes', 'Digicafés',
        count(*) filter (where activiteit = 'Digicafé') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_digicafe_participants', 'Bezoekers digicafés',
        sum(deelnemers) filter (where activiteit = 'Digicafé') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_digistaties', 'Digistaties',
        count(*) filter (where activiteit = 'Digistatie') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_digistatie_participants', 'Bezoekers digistaties',
        sum(deelnemers) filter (where activiteit = 'Digistatie') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_makerspace_workshops', 'Workshops maakatelier',
        count(*) filter (where activiteit = 'Maakatelier') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_makerspace_participants',
        'Bezoekers maakatelier',
        sum(deelnemers) filter (where activiteit = 'Maakatelier') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_activities_total', 'Digitale activiteiten',
        count(*) filter (where activiteit <> 'Surfsessies') from sel_bibliotheek
    union all select 'Bibliotheek', null, 'library_participants_total', 'Deelnemers activiteiten',
        sum(deelnemers) filter (where activiteit <> 'Surfsessies') from sel_bibliotheek
    union all select 'Digipunten', null, 'ldc_digipunt_questions',
        'Digitale vragen beantwoord in de Digipunten van de Lokale Dienstencentra',
        count(*) from on_site where locatietype = 'Lokaal Dienstencentrum'
    union all select 'Digibanken', digibank, 'digibank_devices_lent', 'Toestellen uitgeleend',
        sum(aantal) filter (where activiteit = 'Toestel uitgeleend')
        from sel_digibanken group by digibank
    union all select 'Digibanken', digibank, 'digibank_devices_donated', 'Toestellen geschonken',
        sum(aantal) filter (where activiteit = 'Toestel geschonken')
        from sel_digibanken group by digibank
    union all select 'Digibanken', digibank, 'digibank_help_requests', 'Individuele hulpvragen',
        sum(aantal) filter (where activiteit = 'Individuele hulp')
        from sel_digibanken group by digibank
    union all select 'Digibanken', digibank, 'digibank_workshops', 'Groepsvormingen',
        count(*) filter (where activiteit = 'Groepsvorming')
        from sel_digibanken group by digibank
    union all select 'Digibanken', digibank, 'digibank_workshop_participants',
        'Deelnemers groepsvorming',
        sum(aantal) filter (where activiteit = 'Groepsvorming')
        from sel_digibanken group by digibank
    union all select 'Allemaal Digitaal', null, 'allemaal_digitaal_shared_devices_placed',
        'Gedeelde toestellen geplaatst',
        sum(aantal) filter (where actie = 'Gedeeld toestel geplaatst') from sel_allemaal_digitaal
    union all select 'Allemaal Digitaal', null, 'allemaal_digitaal_workers_screened',
        'Niet-pc-werkers gescreend',
        sum(aantal) filter (where actie = 'Screening') from sel_allemaal_digitaal
    union all select 'Allemaal Digitaal', null, 'allemaal_digitaal_training_series',
        'Opleidingsreeksen',
        count(*) filter (where actie = 'Opleiding') from sel_allemaal_digitaal
    union all select 'Allemaal Digitaal', null, 'allemaal_digitaal_workers_trained',
        'Niet-pc-werkers in opleiding',
        sum(aantal) filter (where actie = 'Opleiding') from sel_allemaal_digitaal
    union all select 'Allemaal Digitaal', null, 'allemaal_digitaal_new_digicoaches',
        'Nieuwe digicoaches',
        sum(aantal) filter (where actie = 'Digicoach gestart') from sel_allemaal_digitaal
    union all select 'Uitleendienst', null, 'uitleendienst_laptops', 'Beschikbare laptops',
        sum(aantal) filter (where toesteltype = 'Laptop') from pool
    union all select 'Uitleendienst', null, 'uitleendienst_tablets', 'Beschikbare tablets',
        sum(aantal) filter (where toesteltype = 'Tablet') from pool
    union all select 'Uitleendienst', null, 'uitleendienst_robots', 'Beschikbare educatieve robots',
        sum(aantal) filter (where toesteltype = 'Educatieve robot') from pool
    union all select 'Uitleendienst', null, 'uitleendienst_loans', 'Ontleningen',
        count(*) filter (where soort = 'Ontlening') from sel_uitleendienst
    union all select 'Uitleendienst', null, 'uitleendienst_devices_lent_to_organisations',
        'Toestellen ontleend',
        sum(aantal) filter (where soort = 'Ontlening') from sel_uitleendienst
)
select programma, onderdeel, sleutel, label, coalesce(waarde, 0)::bigint as waarde
from figures
-- in the order the report gives them (the order of the selects above)
order by programma, list_position(['digipunten_locations', 'surfpunten_locations', 'digipunten_help_requests', 'digipunten_share_technical_help_pct', 'digipunten_share_digital_services_pct', 'library_digipunt_questions', 'library_surf_sessions', 'library_digicafes', 'library_digicafe_participants', 'library_digistaties', 'library_digistatie_participants', 'library_makerspace_workshops', 'library_makerspace_participants', 'library_activities_total', 'library_participants_total', 'ldc_digipunt_questions', 'allemaal_digitaal_shared_devices_placed', 'allemaal_digitaal_workers_screened', 'allemaal_digitaal_training_series', 'allemaal_digitaal_workers_trained', 'allemaal_digitaal_new_digicoaches', 'uitleendienst_laptops', 'uitleendienst_tablets', 'uitleendienst_robots', 'uitleendienst_loans', 'uitleendienst_devices_lent_to_organisations', 'digibank_devices_lent', 'digibank_devices_donated', 'digibank_help_requests', 'digibank_workshops', 'digibank_workshop_participants'], sleutel), onderdeel
