-- The files the last load refused whole, with the message saying why.
select bestand, melding
from manifest
where run = (select max(run) from runs)
  and status = 'geweigerd'
order by bestand
