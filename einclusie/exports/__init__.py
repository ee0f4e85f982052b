"""Files: CSV and XLSX tables, the shared browser for images, a chart's files, the year pack."""
