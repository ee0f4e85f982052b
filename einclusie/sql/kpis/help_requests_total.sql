-- label: Digitale hulpvragen beantwoord
-- definitie: Alle beantwoorde digitale hulpvragen: in de Digipunten, door Digibank-digicoaches, aan huis en binnen Allemaal Digitaal (de som van die vier).
-- per_wijk: deels
select * from kpi_help_requests_digipunten
union all select * from kpi_help_requests_digibank
union all select * from kpi_help_requests_at_home
union all select * from kpi_help_requests_internal
