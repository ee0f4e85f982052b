"""Gebruikers (beheerder): who may log in with which role, the users file's refused rows, and
the download audit. Read-only: the programme edits data/reference/gebruikers.csv itself."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import access, layout
from einclusie.access import Role, read_downloads, users_path
from einclusie.format import markdown_literal

SHOWN_DOWNLOADS = 200  # the newest; the file keeps them all


def _when(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


layout.tool_page("Gebruikers", role=Role.BEHEERDER)
users = access.users()
st.caption(
    f"Uit {markdown_literal(users_path().name)}; wie er niet in staat, krijgt na het aanmelden "
    "'Geen toegang'. Zonder aanmelding (lokaal) heeft de ene gebruiker elke rol."
)
if users.problem:
    st.error(markdown_literal(users.problem), icon=":material/error:")
st.subheader("Wie mag wat")
layout.static_table(
    pd.DataFrame(
        [
            {"E-mail": u.email, "Rol": u.role.label, "Standaardwijken": ", ".join(u.wijken) or "–"}
            for u in sorted(users.by_email.values(), key=lambda u: (-u.role, u.email.lower()))
        ],
        columns=["E-mail", "Rol", "Standaardwijken"],
    )
)
if users.refused:
    st.subheader("Geweigerde rijen")
    layout.static_table(pd.DataFrame([{"Rij": r.row, "Reden": r.reason} for r in users.refused]))

st.subheader("Downloads")
downloads = read_downloads()
if not downloads:
    st.info("Nog niets gedownload.", icon=":material/info:")
else:
    st.caption(f"De nieuwste {min(len(downloads), SHOWN_DOWNLOADS)} van {len(downloads)}.")
    layout.static_table(
        pd.DataFrame(downloads[:SHOWN_DOWNLOADS])
        .assign(wanneer=lambda f: f["wanneer"].map(_when))
        .rename(columns={"wanneer": "Wanneer", "wie": "Wie", "wat": "Wat", "bestand": "Bestand"})
    )
