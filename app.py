"""KPI dashboard e-inclusie Gent: entry point and navigation (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from dashboard import access

st.set_page_config(
    page_title="e-inclusie Gent in cijfers", page_icon=":material/bar_chart:", layout="wide"
)

PAGES = {
    "Cijfers": [
        st.Page(
            "pages/overzicht.py",
            title="Overzicht",
            icon=":material/dashboard:",
            url_path="overzicht",
            default=True,
        ),
        st.Page(
            "pages/hulpvragen.py",
            title="Hulpvragen",
            icon=":material/support_agent:",
            url_path="hulpvragen",
        ),
        st.Page(
            "pages/toestellen.py",
            title="Toestellen",
            icon=":material/devices:",
            url_path="toestellen",
        ),
        st.Page("pages/vorming.py", title="Vorming", icon=":material/school:", url_path="vorming"),
        st.Page("pages/wijken.py", title="Wijken", icon=":material/map:", url_path="wijken"),
    ],
    "Programma's": [
        st.Page("pages/digipunten.py", title="Digipunten", url_path="digipunten"),
        st.Page("pages/digibanken.py", title="Digibanken", url_path="digibanken"),
        st.Page(
            "pages/allemaal_digitaal.py", title="Allemaal Digitaal", url_path="allemaal_digitaal"
        ),
        st.Page("pages/bibliotheek.py", title="Bibliotheek", url_path="bibliotheek"),
        st.Page("pages/uitleendienst.py", title="Uitleendienst", url_path="uitleendienst"),
    ],
    "Over de cijfers": [
        st.Page("pages/export.py", title="Export", icon=":material/folder_zip:", url_path="export"),
        st.Page(
            "pages/gegevens.py", title="Gegevens", icon=":material/dataset:", url_path="gegevens"
        ),
        st.Page(
            "pages/aanleveren.py",
            title="Aanleveren",
            icon=":material/upload_file:",
            url_path="aanleveren",
        ),
        st.Page(
            "pages/gebruikers.py",
            title="Gebruikers",
            icon=":material/group:",
            url_path="gebruikers",
        ),
    ],
}

# Who is looking decides which pages exist for this run (dashboard/access.py).
viewer = access.viewer()
access.account(viewer)
access.navigation(PAGES, viewer).run()
