-- Which periods have data, per programme: the first and last date of its export's rows, from
-- source_days, the days with a row of each source's staging view (db.Database._source_days;
-- the location register has no dates of its own: its figures belong to the Digipunten). A
-- period without any row of a programme has no data for that programme's figures: a
-- comparison with it says "geen gegevens", never a change against zero.
create table coverage as
select programma, min(datum) as van, max(datum) as tot from source_days group by programma;
-- The calendar years in which some export has a row.
create table data_years as
select distinct cast(year(datum) as integer) as jaar from source_days;
-- The programmes whose facts make up each figure, and from when to when each figure has data
-- per programme: from its first fact (a Digibank activity that started in February 2022 has
-- none in 2021, though the Digibanken export has rows then) to the programme's last row (a
-- month without facts after the first is a real zero). A stock's first fact may lie before
-- any export (the register's opening dates): it has data from its programme's first row.
create table figure_programmes as
select f.figuur, f.programma, greatest(min(f.datum), c.van) as van, c.tot
from facts f
join coverage c using (programma)
group by f.figuur, f.programma, c.van, c.tot;
