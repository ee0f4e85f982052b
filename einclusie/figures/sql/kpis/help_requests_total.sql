-- label: Digitale hulpvragen beantwoord
-- definitie: Alle digitale hulpvragen die in de periode beantwoord werden: in de Digipunten, door digicoaches van de Digibanken, aan huis en binnen Allemaal Digitaal samen.
-- per_wijk: deels
-- onderdelen: help_requests_digipunten, help_requests_digibank, help_requests_at_home, help_requests_internal
select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_digipunten
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_digibank
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_at_home
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_internal
