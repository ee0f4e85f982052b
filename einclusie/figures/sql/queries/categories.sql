-- The canonical values of an enumerated column ($bron, $kolom), in the order of the suite the
-- load used (the load publishes them in its version: the figures never read the suites).
select waarde from categorieen where bron = $bron and kolom = $kolom order by volgorde
