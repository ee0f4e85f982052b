-- The calendar years in which some export has a row.
select jaar from data_years order by jaar
