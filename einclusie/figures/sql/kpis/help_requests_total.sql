-- label: Digitale hulpvragen beantwoord
-- definitie: Alle beantwoorde digitale hulpvragen: in de Digipunten, door Digibank-digicoaches, aan huis en binnen Allemaal Digitaal (de som van die vier).
-- per_wijk: deels
-- onderdelen: help_requests_digipunten, help_requests_digibank, help_requests_at_home, help_requests_internal
select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_digipunten
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_digibank
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_at_home
union all select datum, wijk, programma, onderdeel, waarde, soort from kpi_help_requests_internal
