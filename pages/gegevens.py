"""Gegevens: how fresh the data is, what was loaded and what was set aside, and why."""

from functools import partial

import streamlit as st

from dashboard import access, data, layout
from einclusie.access import Role
from einclusie.exports.tables import csv_bytes
from einclusie.figures.queries import (
    data_overview,
    failed_expectations,
    quarantined_rows,
    refused_files,
    skipped_files,
)
from einclusie.figures.selection import source_label
from einclusie.format import format_date, format_number

SHOWN_ROWS = 50  # quarantined rows on the page; the download holds them all

layout.page("Gegevens", role=Role.DATABEHEERDER)

overview = data.get(data_overview)
st.subheader("Per bron")
shown = overview.assign(
    bron=overview["bron"].map(source_label),
    laatste_lading=overview["laatste_lading"].map(
        lambda t: t.strftime("%d/%m/%Y %H:%M") if t == t and t is not None else "–"
    ),
    nieuwste_datum=overview["nieuwste_datum"].map(
        lambda d: format_date(d) if d == d and d is not None else "–"
    ),
    **{
        c: overview[c].map(format_number)
        for c in [
            "bestanden",
            "rijen_gelezen",
            "rijen_geladen",
            "rijen_quarantaine",
            "bestanden_geweigerd",
        ]
    },
).rename(
    columns={
        "bron": "Bron",
        "nieuwste_datum": "Gegevens t.e.m.",
        "laatste_lading": "Laatst geladen",
        "bestanden": "Bestanden",
        "rijen_gelezen": "Rijen gelezen",
        "rijen_geladen": "Rijen geladen",
        "rijen_quarantaine": "In quarantaine",
        "bestanden_geweigerd": "Bestanden geweigerd",
    }
)
layout.static_table(shown)

refused = data.get(refused_files)
if not refused.empty:
    st.subheader("Geweigerde bestanden")
    st.error(
        "Deze bestanden konden niet gelezen worden en zijn niet geladen:", icon=":material/block:"
    )
    layout.static_table(refused.rename(columns={"bestand": "Bestand", "melding": "Probleem"}))

skipped = data.get(skipped_files)
if not skipped.empty:
    st.subheader("Overgeslagen")
    st.warning("Deze bestanden of mappen zijn niet gelezen:", icon=":material/warning:")
    layout.static_table(skipped.rename(columns={"melding": "Wat en waarom"}))

st.subheader("Rijen in quarantaine")
rows = data.get(quarantined_rows)
if rows.empty:
    st.success("Geen enkele rij is in quarantaine gezet.", icon=":material/check_circle:")
else:
    first = f"; hieronder de eerste {SHOWN_ROWS}" if len(rows) > SHOWN_ROWS else ""
    st.caption(
        f"{format_number(len(rows))} rijen voldeden niet aan de regels en zijn niet "
        f"geteld{first}. Verbeter ze in de bron en stuur de export opnieuw."
    )
    layout.static_table(
        rows.head(SHOWN_ROWS)
        .assign(bron=rows["bron"].map(source_label))
        .rename(
            columns={
                "bron": "Bron",
                "bestand": "Bestand",
                "rij": "Rij",
                "id": "Id",
                "reden": "Reden",
                "gegevens": "Gegevens",
            }
        )
    )
    access.download_button(
        "Quarantaine downloaden (CSV)",
        partial(csv_bytes, rows),
        what="Quarantaine (CSV)",
        file_name="quarantaine.csv",
        mime="text/csv",
        key="csv_quarantaine",
        icon=":material/download:",
        on_click="ignore",
    )

st.subheader("Verwachtingen die niet voldaan waren")
failed = data.get(failed_expectations)
if failed.empty:
    st.success("Alle verwachtingen waren voldaan.", icon=":material/check_circle:")
else:
    # The rule in Dutch; the suite's own name for it (expect_...) means nothing to a reader.
    layout.static_table(
        failed.drop(columns="verwachting")
        .assign(bron=failed["bron"].map(source_label))
        .rename(
            columns={
                "bron": "Bron",
                "kolom": "Kolom",
                "reden": "Regel",
                "afwijkende_rijen": "Afwijkende rijen",
            }
        )
    )
