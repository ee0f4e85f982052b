-- What the last load skipped without reading (other extensions, files beside the source
-- folders, unknown folders), one sentence each.
select unnest(string_split(meldingen, chr(10))) as melding
from runs
where run = (select max(run) from runs) and coalesce(meldingen, '') <> ''
