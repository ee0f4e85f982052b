-- The rows the last load quarantined, of one source ($bron) or all (null): where, why, values.
select bron, bestand, rij, id, reden, gegevens
from quarantaine
where run = (select max(run) from runs)
  and ($bron is null or bron = $bron)
order by bron, bestand, rij, id
