-- Whether any export has a row in the period [$van, $tot] (of the chosen programmes, if any).
select coalesce(bool_or(van <= $tot and tot >= $van), false) as gegevens
from coverage
where len($programmas) = 0 or list_contains($programmas, programma)
