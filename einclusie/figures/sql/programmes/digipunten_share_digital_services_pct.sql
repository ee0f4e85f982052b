-- label: Aandeel vragen over digitale diensten
-- definitie: Welk deel van de hulpvragen in de Digipunten (zonder die aan huis) in de periode over digitale diensten ging: de vragen met vraagtype 'Digitale diensten' in de export van de Digipunten, in procent, afgerond op een heel procent.
-- programma: Digipunten
-- eenheid: percentage
-- aandeel_van: help_requests_digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where vraagtype = 'Digitale diensten'
