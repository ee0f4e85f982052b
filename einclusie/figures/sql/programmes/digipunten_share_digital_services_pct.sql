-- label: Aandeel vragen over digitale diensten
-- definitie: Deel van de hulpvragen in de Digipunten (kanaal Digipunt) met vraagtype 'Digitale diensten', in procent, afgerond op een heel procent.
-- programma: Digipunten
-- eenheid: percentage
-- aandeel_van: help_requests_digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where vraagtype = 'Digitale diensten'
