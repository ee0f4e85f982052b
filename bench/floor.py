"""The floor of bench/browser.py: Streamlit's own cost of a page switch and a filter change.

    streamlit run bench/floor.py   (bench/browser.py starts it beside the dashboard)

An app with the dashboard's frame and nothing else: the same navigation (app.py's pages,
titles and sections, parsed from app.py), a sidebar with the same filter widgets (period, year,
the 25 wijken from $EINCLUSIE_FLOOR_WIJKEN, the programmes) written to the URL as
dashboard/filters.py does, and on every page only a title and a caption. It asks no query, so
what its switches and filter changes take is what any page of ours costs before its first
query: the browser's handling of the click, the run's start, the script's frame and drawing.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"
PROGRAMMES = ["Digipunten", "Digibanken", "Allemaal Digitaal", "Bibliotheek", "Uitleendienst"]


@st.cache_resource
def _sections() -> dict[str, list[dict]]:
    """app.py's PAGES: section -> [{title, url_path, icon, default}] (without running it)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    pages = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "PAGES"
    )
    sections = {}
    for key, value in zip(pages.keys, pages.values, strict=True):
        sections[ast.literal_eval(key)] = [
            {k.arg: ast.literal_eval(k.value) for k in call.keywords} for call in value.elts
        ]
    return sections


def _empty_page(title: str) -> None:
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
navigation = {
    section: [
        st.Page(
            lambda title=page["title"]: _empty_page(title),
            title=page["title"],
            icon=page.get("icon"),
            url_path=page["url_path"],
            default=bool(page.get("default")),
        )
        for page in pages
    ]
    for section, pages in _sections().items()
}
_sidebar()
st.navigation(navigation, expanded=True).run()  # as dashboard/access.py
