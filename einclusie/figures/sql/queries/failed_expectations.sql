-- The expectations of the suites that failed in the last load, and on how many rows.
-- The reasons are the suites' templates: '{waarde}' (the value of each row) shows as '…'.
select bron, verwachting, kolom, replace(reden, '{waarde}', '…') as reden, afwijkende_rijen
from verwachtingen
where run = (select max(run) from runs)
  and not geslaagd
order by bron, afwijkende_rijen desc, kolom, verwachting
