"""Hulpvragen: help requests by month, programme, kanaal, vraagtype, age group and location."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue

selection = layout.page("Hulpvragen {periode}")

layout.chart(catalogue.help_requests_monthly(selection, data.get), selection)

halves = (("programma", "vraagtype"), ("kanaal", "leeftijdsgroep"))
for column, dimensions in zip(st.columns(2), halves, strict=True):
    with column:
        for dimension in dimensions:
            layout.chart(catalogue.help_requests_split(selection, data.get, dimension), selection)

layout.chart(catalogue.help_requests_split(selection, data.get, "locatie"), selection)
