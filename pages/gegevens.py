"""Gegevens: how fresh the data is, what was loaded and what was set aside, and why."""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import access, data, layout
from einclusie.access import Role
from einclusie.exports.tables import csv_bytes
from einclusie.figures.queries import (
    QUARANTINE_COLUMNS,
    data_overview,
    failed_expectations,
    quarantine_files,
    quarantined_rows,
    refused_files,
    replaced_files,
    replaced_rows,
    skipped_files,
    source_columns,
)
from einclusie.figures.selection import source_label
from einclusie.format import format_date, format_number, markdown_literal

SHOWN_ROWS = 25  # rows of a table on the page; the downloads hold them all


def _when(stamp: object) -> str:
    return stamp.strftime("%d/%m/%Y %H:%M") if isinstance(stamp, pd.Timestamp) else "–"


def _quarantine_table(
    rows: pd.DataFrame, filled: pd.Series, order: tuple[str, ...]
) -> pd.DataFrame:
    """Quarantined rows of one source as the page shows them: where, why, and the values in
    the source's own columns (`filled`: those with a value in these rows), in its `order`."""
    values = sorted(
        filled.index[filled], key=lambda c: order.index(c) if c in order else len(order)
    )
    folder = f"{rows['bron'].iloc[0]}/"  # the heading names the source: the file name is enough
    return pd.DataFrame(
        {
            "Bestand": rows["bestand"].map(lambda name: name.removeprefix(folder)),
            "Rij": rows["rij"],
            "Id": rows["id"],
            "Reden": rows["reden"],
            **{column.capitalize(): rows[column] for column in values},
        }
    )


def _quarantine_heading(rows: pd.DataFrame) -> None:
    """Above rows of one source and one load: the source, and the load, marked when it is the
    last (its files were new or changed)."""
    first = rows.iloc[0]
    new = " :orange-badge[nieuw]" if first["nieuw"] else ""
    when = markdown_literal(f"lading van {_when(first['geladen'])}")
    st.markdown(f"**{source_label(first['bron'])}**{new} :gray[· {when}]")


def _quarantine_csv(source: str | None, file: str | None, load: int | None) -> bytes:
    """Every quarantined row the filters keep (made only when the download is clicked)."""
    rows = quarantined_rows(source=source, file=file, load=load)
    return csv_bytes(rows.assign(nieuw=rows["nieuw"].map({True: "ja", False: "nee"})))


def _replaced_csv(file: str | None) -> bytes:
    return csv_bytes(replaced_rows(file=file))


def _all_or(label: str, value: object) -> str:
    return label if value is None else str(value)


layout.page("Gegevens", role=Role.DATABEHEERDER, refused_notice=False)

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
files = data.get(quarantine_files)  # one row per file: the filters and counts, not the rows
if files.empty:
    st.success("Geen enkele rij is in quarantaine gezet.", icon=":material/check_circle:")
else:
    sources = [s for s in overview["bron"] if s in set(files["bron"])]
    where = st.columns(3)
    source = where[0].selectbox(
        "Bron",
        [None, *sources],
        format_func=lambda s: "Alle bronnen" if s is None else source_label(s),
        key="q_bron",
    )
    chosen = files if source is None else files[files["bron"] == source]
    file = where[1].selectbox(
        "Bestand",
        [None, *sorted(chosen["bestand"])],
        format_func=lambda f: _all_or("Alle bestanden", f),
        key="q_bestand",
    )
    chosen = chosen if file is None else chosen[chosen["bestand"] == file]
    when = {
        int(r.lading): _when(r.geladen) + (" (nieuw)" if r.nieuw else "")
        for r in chosen.dropna(subset=["lading"]).itertuples()
    }
    load = where[2].selectbox(
        "Lading",
        [None, *sorted(when, reverse=True)],
        format_func=lambda r: "Alle ladingen" if r is None else when[r],
        key="q_lading",
    )
    chosen = chosen if load is None else chosen[chosen["lading"] == load]
    total, everything = int(chosen["rijen"].sum()), int(files["rijen"].sum())
    counted = f"{format_number(total)} van de {format_number(everything)} rijen"
    if total == everything:
        counted = "1 rij" if total == 1 else f"{format_number(total)} rijen"
    verbs = (
        "voldeed niet aan de regels en is" if total == 1 else "voldeden niet aan de regels en zijn"
    )
    st.caption(
        f"{counted} {verbs} niet geteld; "
        "de nieuwste lading eerst (‘nieuw’: uit een bestand dat in de laatste lading nieuw "
        "of gewijzigd was). Verbeter ze in de bron en stuur de export opnieuw."
    )
    start = layout.row_page(total, SHOWN_ROWS, key="q_pagina")
    rows = data.get(
        quarantined_rows, source=source, file=file, load=load, limit=SHOWN_ROWS, offset=start
    )
    # A table per source and load, in the order of the rows (newest load first): each with
    # the source's own columns. (A table per file was clearer, but 20 tables cost 100 ms.)
    key = rows["bron"] + "\n" + rows["lading"].astype(str)
    blocks = key.ne(key.shift()).cumsum()
    filled = rows.iloc[:, len(QUARANTINE_COLUMNS) :].notna().groupby(blocks).any()
    orders = {name: data.get(source_columns, name) for name in rows["bron"].unique()}
    with st.container(key="quarantaine"):
        for number, block in rows.groupby(blocks):
            _quarantine_heading(block)
            order = orders[block["bron"].iloc[0]]
            layout.static_table(_quarantine_table(block, filled.loc[number], order))
    access.download_button(
        "Quarantaine downloaden (CSV)",
        partial(_quarantine_csv, source, file, load),
        what="Quarantaine (CSV)",
        file_name="quarantaine.csv",
        mime="text/csv",
        key="csv_quarantaine",
        icon=":material/download:",
        on_click="ignore",
    )

st.subheader("Vervangen door een latere export")
replaced = data.get(replaced_files)
if replaced.empty:
    st.success(
        "Geen enkele geldige rij is vervangen door een latere export.",
        icon=":material/check_circle:",
    )
else:
    again = int(replaced["rijen"].sum())
    came = "1 geldige rij kwam" if again == 1 else f"{format_number(again)} geldige rijen kwamen"
    st.caption(
        f"{came} later opnieuw, met dezelfde id, in een ander bestand: alleen de rij uit het "
        "bestand dat als laatste geladen werd, telt."
    )
    layout.static_table(
        replaced.assign(bron=replaced["bron"].map(source_label)).rename(
            columns={
                "bron": "Bron",
                "bestand": "Bestand",
                "rijen": "Rijen vervangen",
                "vervangen_door": "Vervangen door",
            }
        )
    )
    replaced_file = st.selectbox(
        "Bestand",
        [None, *replaced["bestand"]],
        format_func=lambda f: _all_or("Alle bestanden", f),
        key="v_bestand",
    )
    chosen = replaced if replaced_file is None else replaced[replaced["bestand"] == replaced_file]
    start = layout.row_page(int(chosen["rijen"].sum()), SHOWN_ROWS, key="v_pagina")
    rows = data.get(replaced_rows, file=replaced_file, limit=SHOWN_ROWS, offset=start)
    layout.static_table(
        rows.drop(columns=["bron", *(["bestand"] if replaced_file else [])]).rename(
            columns={
                "bestand": "Bestand",
                "rij": "Rij",
                "id": "Id",
                "vervangen_door": "Vervangen door",
            }
        )
    )
    access.download_button(
        "Vervangen rijen downloaden (CSV)",
        partial(_replaced_csv, replaced_file),
        what="Vervangen rijen (CSV)",
        file_name="vervangen.csv",
        mime="text/csv",
        key="csv_vervangen",
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
