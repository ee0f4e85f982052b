-- For each figure ($keys): whether any of its programmes (those of the programme filter, when
-- set) has data in the period [$van, $tot].
select k.figuur, coalesce(bool_or(c.van <= $tot and c.tot >= $van), false) as gegevens
from (select unnest($keys) as figuur) k
left join figure_programmes p on p.figuur = k.figuur
    and (len($programmas) = 0 or list_contains($programmas, p.programma))
left join coverage c on c.programma = p.programma
group by k.figuur
