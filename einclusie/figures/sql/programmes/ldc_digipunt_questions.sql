-- label: Digitale vragen beantwoord in de Digipunten van de Lokale Dienstencentra
-- definitie: Het deel van de hulpvragen in de Digipunten (zonder die aan huis) dat in de periode beantwoord werd op een locatie die in het locatieregister een Lokaal Dienstencentrum is.
-- programma: Digipunten
select datum, wijk, programma, onderdeel, waarde, soort
from kpi_help_requests_digipunten
where locatietype = 'Lokaal Dienstencentrum'
