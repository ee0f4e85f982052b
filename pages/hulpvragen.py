"""Hulpvragen: help requests by month, programme, kanaal, vraagtype, age group and location."""

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Hulpvragen {periode}")

layout.chart(catalogue.help_requests_monthly(selection, data.get), selection)

grid = layout.chart_grid()
for dimension in ("programma", "kanaal", "vraagtype", "leeftijdsgroep"):
    with grid.container():
        layout.chart(catalogue.help_requests_split(selection, data.get, dimension), selection)

layout.chart(catalogue.help_requests_split(selection, data.get, "locatie"), selection)
