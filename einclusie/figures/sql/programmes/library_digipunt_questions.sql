-- label: Digitale vragen beantwoord in de Digipunten van de bibliotheek
-- definitie: Het deel van de hulpvragen in de Digipunten (kanaal Digipunt) dat gesteld werd op een locatie van het type Bibliotheek.
-- programma: Bibliotheek
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where locatietype = 'Bibliotheek'
