"""Data and figures: the one seam to DuckDB, the registry of figures, the query path."""
