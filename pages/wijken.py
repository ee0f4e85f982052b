"""Wijken: the 25 wijken side by side for one KPI (map and ranked bars), and the fact sheet of
one wijk or two side by side. The KPI and the fiche's wijken live in the URL (`kpi`, `fiche`)."""

from functools import partial

import streamlit as st

from dashboard import access, data, filters, layout
from einclusie.charts import catalogue
from einclusie.charts.maps import HOW_TO_ADD_MAP
from einclusie.exports import files as chart_files
from einclusie.exports.tables import csv_bytes, export_file_name
from einclusie.figures.registry import FIGURES
from einclusie.figures.selection import Selection
from einclusie.figures.status import data_status, wijk_names
from einclusie.figures.values import wijk_fiche
from einclusie.format import markdown_literal

filters.page_link("kpi", "fiche")  # before the sidebar rewrites the URL
selection = layout.page("Wijken {periode}", public=True)
period = selection.period_label()
names = data.get(wijk_names)
keys = list(catalogue.PER_WIJK_KEYS)

[chosen_key] = filters.page_choice(
    "kpi", keys, keys[:1], one="Het kerncijfer", many="De kerncijfers"
)
key = st.selectbox(
    "Kerncijfer",
    keys,
    format_func=lambda k: FIGURES[k].label,
    **filters.page_widget("kpi", 0, chosen_key),
)
st.caption(FIGURES[key].definition)
# Built before either is drawn, so the browser draws them once (layout.chart).
try:
    kpi_map: catalogue.Chart | catalogue.NoMap = data.chart(
        catalogue.wijk_choropleth, selection, key
    )
except catalogue.NoMap as missing:
    kpi_map = missing
ranking = data.chart(catalogue.wijk_ranking, selection, key)
map_column, bar_column = st.container(), st.container()  # stacked: long wijk names
with map_column:
    if isinstance(kpi_map, catalogue.NoMap):
        st.info(markdown_literal(f"{kpi_map} {HOW_TO_ADD_MAP}"), icon=":material/map:")
    else:
        layout.chart(kpi_map, selection)
with bar_column:
    layout.chart(ranking, selection)

st.subheader("Fiche van een wijk")
chosen = filters.page_choice(
    "fiche",
    names,
    list(selection.wijken[:2]) or names[:1],  # the wijk filter's, else the first wijk
    most=2,
    one="De wijk voor de fiche",
    many="De wijken voor de fiche",
)
first, second = st.columns(2)
wijk = first.selectbox("Wijk", names, **filters.page_widget("fiche", 0, chosen[0]))
other = second.selectbox(
    "Vergelijk met",
    [n for n in names if n != wijk],
    index=None,
    placeholder="Geen tweede wijk",
    help="Een tweede wijk naast de eerste, elk met haar eigen aandeel.",
    **filters.page_widget("fiche", 1, chosen[1] if len(chosen) > 1 else None),
)
wijken = (wijk, other) if other else (wijk,)
filters.page_to_url({"kpi": [key], "fiche": list(wijken)})

sheet = data.get(wijk_fiche, selection, wijken)
layout.static_table(sheet.table)  # a group of columns per wijk, and one for the city
shown = set(sheet.table.columns.get_level_values(1))
st.caption(
    markdown_literal(
        " ".join(f"{title}: {text}" for title, text in sheet.helps.items() if title in shown)
    )
)
for note in sheet.notes:  # each once, under the table, naming its figures
    st.caption(markdown_literal(note))
fiche = Selection(selection.start, selection.end, wijken, selection.programmes)
context = chart_files.context(
    f"Fiche {' en '.join(wijken)}, {period}", fiche, data.get(data_status)
)
access.download_button(
    "Fiche downloaden (CSV)",
    partial(csv_bytes, sheet.numbers, context),
    what=f"Fiche {' en '.join(wijken)}, {period} (CSV)",
    file_name=export_file_name("fiche", fiche, "csv"),
    mime="text/csv",
    key="csv_fiche",
    icon=":material/download:",
    on_click="ignore",
)
