"""Wijken: the 25 wijken side by side for one KPI (map and ranked bars), and a wijk's fact sheet."""

import pandas as pd
import streamlit as st

from dashboard import data, layout
from einclusie import catalogue, chart_files
from einclusie.export import csv_bytes, export_file_name
from einclusie.format import format_number
from einclusie.kpis import BY_KEY, kpi_values
from einclusie.maps import HOW_TO_ADD_MAP
from einclusie.selection import Selection
from einclusie.status import data_status, wijk_names

selection = layout.page("Wijken {periode}")
period = selection.period_label()
key = st.selectbox(
    "Kerncijfer", catalogue.PER_WIJK_KEYS, format_func=lambda k: BY_KEY[k].label, key="wijken_kpi"
)
kpi = BY_KEY[key]
st.caption(
    kpi.definition
    + (
        " Alleen de delen die aan een wijk gebonden zijn, tellen hier."
        if kpi.per_wijk == "deels"
        else ""
    )
)
map_column, bar_column = st.container(), st.container()  # stacked: long wijk names
with map_column:
    try:
        layout.chart(catalogue.wijk_choropleth(selection, data.get, key), selection)
    except catalogue.NoMap as missing:
        st.info(f"{missing} {HOW_TO_ADD_MAP}", icon="🗺️")
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
fiche = Selection(selection.start, selection.end, (wijk,), selection.programmes)
local = data.get(kpi_values, fiche)
city = data.get(kpi_values, selection.city())
# As numbers for the download; the table on screen is the same, formatted.
numbers = pd.DataFrame(
    {
        "Kerncijfer": [here.label for here in local],
        wijk: pd.array(
            [None if "niet per wijk" in here.note else here.value for here in local], "Int64"
        ),
        "Gent": [whole.value for whole in city],
        "Aandeel van Gent (%)": [
            round(100 * here.value / whole.value, 1)
            if whole.value and "niet per wijk" not in here.note
            else None
            for here, whole in zip(local, city, strict=True)
        ],
        "Opmerking": [here.note for here in local],
    }
)
shown = numbers.assign(
    **{
        wijk: numbers[wijk].map(lambda v: "niet per wijk" if pd.isna(v) else format_number(v)),
        "Gent": numbers["Gent"].map(format_number),
        "Aandeel van Gent (%)": numbers["Aandeel van Gent (%)"].map(
            lambda v: "–" if pd.isna(v) else format_number(v, 1)
        ),
    }
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=36 * (len(shown) + 1) + 3,  # all twelve rows, no inner scrolling
    column_config={
        "Kerncijfer": st.column_config.TextColumn(width="large"),
        "Opmerking": st.column_config.TextColumn(width="large"),
    },
)
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
