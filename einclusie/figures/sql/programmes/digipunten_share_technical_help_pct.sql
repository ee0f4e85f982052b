-- label: Aandeel vragen over technische hulp
-- definitie: Deel van de hulpvragen in de Digipunten (kanaal Digipunt) met vraagtype 'Technische hulp', in procent, afgerond op een heel procent.
-- programma: Digipunten
-- eenheid: percentage
-- aandeel_van: help_requests_digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where vraagtype = 'Technische hulp'
