"""Wijken: the 25 wijken side by side for one KPI (map and ranked bars), and a wijk's fact sheet."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import catalogue
from einclusie.charts.maps import HOW_TO_ADD_MAP
from einclusie.exports import files as chart_files
from einclusie.exports.tables import csv_bytes, export_file_name
from einclusie.figures.registry import FIGURES
from einclusie.figures.selection import Selection
from einclusie.figures.status import data_status, wijk_names
from einclusie.figures.values import SHARE, WIJKEN_TOGETHER, wijk_sheet
from einclusie.format import markdown_literal

selection = layout.page("Wijken {periode}")
period = selection.period_label()
key = st.selectbox(
    "Kerncijfer", catalogue.PER_WIJK_KEYS, format_func=lambda k: FIGURES[k].label, key="wijken_kpi"
)
st.caption(FIGURES[key].definition)
map_column, bar_column = st.container(), st.container()  # stacked: long wijk names
with map_column:
    try:
        layout.chart(catalogue.wijk_choropleth(selection, data.get, key), selection)
    except catalogue.NoMap as missing:
        st.info(markdown_literal(f"{missing} {HOW_TO_ADD_MAP}"), icon="🗺️")
with bar_column:
    layout.chart(catalogue.wijk_ranking(selection, data.get, key), selection)

st.subheader("Fiche van een wijk")
names = data.get(wijk_names)
wijk = st.selectbox(
    "Wijk",
    names,
    index=names.index(selection.wijken[0]) if selection.wijken else 0,
    key="fiche_wijk",
)
numbers = data.get(wijk_sheet, selection, wijk)  # as numbers, for the download
notes = numbers["Opmerking"]
shown = numbers.assign(
    **{
        column: [
            layout.number_cell(v, n, decimals) for v, n in zip(numbers[column], notes, strict=True)
        ]
        for column, decimals in ((wijk, 0), (WIJKEN_TOGETHER, 0), (SHARE, 1), ("Heel Gent", 0))
    }
)
fiche = Selection(selection.start, selection.end, (wijk,), selection.programmes)
st.dataframe(
    shown.drop(columns="Opmerking"),  # the notes follow the table, each once
    hide_index=True,
    width="stretch",
    height=36 * (len(shown) + 1) + 3,  # all twelve rows, no inner scrolling
    column_config={
        "Kerncijfer": st.column_config.TextColumn(width="large"),
        SHARE: st.column_config.TextColumn(
            help="Het aandeel van de wijk in de 25 wijken samen: die aandelen tellen op tot 100 %."
        ),
    },
)
for note, part in numbers[notes != ""].groupby("Opmerking", sort=False):
    st.caption(markdown_literal(f"{note[:1].upper()}{note[1:]}: {'; '.join(part['Kerncijfer'])}."))
context = chart_files.context(f"Fiche {wijk}, {period}", fiche, data.get(data_status))
st.download_button(
    "Fiche downloaden (CSV)",
    csv_bytes(numbers, context),
    file_name=export_file_name("fiche", fiche, "csv"),
    mime="text/csv",
    key="csv_fiche",
    icon=":material/download:",
    on_click="ignore",
)
