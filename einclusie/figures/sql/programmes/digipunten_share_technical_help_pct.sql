-- label: Aandeel vragen over technische hulp
-- definitie: Welk deel van de hulpvragen in de Digipunten (zonder die aan huis) in de periode over technische hulp ging: de vragen met vraagtype 'Technische hulp' in de export van de Digipunten, in procent, afgerond op een heel procent.
-- programma: Digipunten
-- eenheid: percentage
-- aandeel_van: help_requests_digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where vraagtype = 'Technische hulp'
