-- For each figure ($keys): whether it has data in the period [$van, $tot] for any of its
-- programmes (those of the programme filter, when set): see figure_programmes in coverage.sql.
select k.figuur, coalesce(bool_or(p.van <= $tot and p.tot >= $van), false) as gegevens
from (select unnest($keys) as figuur) k
left join figure_programmes p on p.figuur = k.figuur
    and (len($programmas) = 0 or list_contains($programmas, p.programma))
group by k.figuur
