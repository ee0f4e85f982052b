"""Hulpvragen: help requests by month, programme, kanaal, vraagtype, age group and location."""

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Hulpvragen {periode}", public=True)

layout.chart(data.chart(catalogue.help_requests_monthly, selection), selection)

grid = layout.chart_grid()
for dimension in ("programma", "kanaal", "vraagtype", "leeftijdsgroep"):
    with grid.container():
        layout.chart(data.chart(catalogue.help_requests_split, selection, dimension), selection)

if data.public_threshold():  # a location could give a hidden count of its wijk away
    layout.not_public("De drukste locaties")
else:
    layout.chart(data.chart(catalogue.help_requests_split, selection, "locatie"), selection)
