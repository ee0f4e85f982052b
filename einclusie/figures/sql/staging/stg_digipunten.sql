-- One row per help request answered by a Digipunt (on site or at home).
select
    d.id,
    d.datum,
    d.locatie_id,
    d.locatie,
    l.type as locatietype,
    d.wijk,
    d.kanaal,
    d.vraagtype,
    d.leeftijdsgroep,
    'Digipunten' as programma
from digipunten d
left join locaties l using (locatie_id)
