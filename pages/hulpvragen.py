"""Hulpvragen: help requests by month, programme, kanaal, vraagtype, age group and location."""

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Hulpvragen {periode}", public=True)

# Built before any is drawn, so the browser draws them once (layout.chart).
monthly = data.chart(catalogue.help_requests_monthly, selection)
splits = [
    data.chart(catalogue.help_requests_split, selection, dimension)
    for dimension in ("programma", "kanaal", "vraagtype", "leeftijdsgroep")
]
# Not in the public view: a location could give a hidden count of its wijk away.
locations = (
    None
    if data.public_threshold()
    else data.chart(catalogue.help_requests_split, selection, "locatie")
)

layout.chart(monthly, selection)

grid = layout.chart_grid()
for split in splits:
    with grid.container():
        layout.chart(split, selection)

if locations is None:
    layout.not_public("De drukste locaties")
else:
    layout.chart(locations, selection)
