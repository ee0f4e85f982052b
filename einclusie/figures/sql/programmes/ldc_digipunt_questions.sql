-- label: Digitale vragen beantwoord in de Digipunten van de Lokale Dienstencentra
-- definitie: Het deel van de hulpvragen in de Digipunten (kanaal Digipunt) dat gesteld werd op een locatie van het type Lokaal Dienstencentrum.
-- programma: Digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where locatietype = 'Lokaal Dienstencentrum'
