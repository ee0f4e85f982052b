"""The floor of bench/browser.py: Streamlit's own cost of a page switch and a filter change.

    streamlit run bench/floor.py   (bench/browser.py starts it beside the dashboard)

An app with the dashboard's frame and nothing else: the same navigation (app.py's pages,
titles and sections, as tests/test_browser.py parses them), a sidebar with the same filter
widgets (period, year, the 25 wijken from $EINCLUSIE_FLOOR_WIJKEN, the programmes) written to
the URL as dashboard/filters.py does, and on every page the house style,
a title and a caption. It asks
no query, so what its switches and filter changes take is what any page of ours costs before
its first query: the browser's handling of the click, the run's start, the script's frame
and drawing.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import streamlit as st

PROJECT = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != PROJECT:  # before bench/, which Streamlit puts first (bench/etl.py is not etl)
    sys.path.insert(0, PROJECT)
from dashboard.layout import house_style  # noqa: E402
from tests.test_browser import NAVIGATION  # noqa: E402  app.py's pages, parsed

PROGRAMMES = ["Digipunten", "Digibanken", "Allemaal Digitaal", "Bibliotheek", "Uitleendienst"]


def _empty_page(title: str) -> None:
    house_style()  # page.css and the print script, as every page of ours
    st.title(f"{title} (leeg)")
    st.caption("Geen cijfers: deze pagina meet alleen wat Streamlit zelf kost.")


def _sidebar() -> None:
    wijken = json.loads(os.environ.get("EINCLUSIE_FLOOR_WIJKEN", "[]"))
    with st.sidebar:
        st.radio("Periode", ["Jaar", "Periode"], horizontal=True, key="modus")
        st.selectbox("Jaar", [2021, 2022], index=1, key="jaar")
        chosen = st.multiselect("Wijk", wijken, key="wijk", placeholder="Heel Gent")
        st.multiselect("Programma", PROGRAMMES, key="programma", placeholder="Alle programma's")
    st.query_params["jaar"] = str(st.session_state["jaar"])
    if chosen:
        st.query_params["wijk"] = chosen
    elif "wijk" in st.query_params:
        del st.query_params["wijk"]


st.set_page_config(page_title="Vloer", layout="wide")
navigation: dict[str, list] = {}
for page in NAVIGATION:
    navigation.setdefault(page["section"], []).append(
        st.Page(
            lambda title=page["title"]: _empty_page(title),
            title=page["title"],
            icon=page["icon"],
            url_path=page["url_path"],
            default=page["default"],
        )
    )
_sidebar()
st.navigation(navigation, expanded=True).run()  # as dashboard/access.py
