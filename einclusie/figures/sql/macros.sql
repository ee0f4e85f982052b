-- A row belongs to the selection when no wijk is chosen, or its wijk is one of the chosen.
-- Rows without a wijk (city-wide) therefore only count when no wijk filter is set.
create macro in_selection(wijk, wijken) as (len(wijken) = 0 or list_contains(wijken, wijk))
