"""Query functions behind the dashboard pages: small, tidy frames, computed in DuckDB.

Every function takes a Selection (period, wijken, programmes) and returns a pandas DataFrame
with Dutch column names ready to chart and to download. The SQL lives in `sql/queries/`; each
query applies the selection the same way as the KPI layer: the period on `datum` (stocks: up
to the period's last day), `in_selection(wijk, $wijken)`, and the programme filter on
`programma`. Counts of help requests, devices and people always come from the KPI facts
(`facts`) or the facts views of the registry's figures, never again from staging.

The functions about the loads themselves (`data_overview`, `quarantined_rows`,
`replaced_rows`, `failed_expectations`, `refused_files`, ...) take no selection and describe
the last load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from einclusie.figures import publication, values
from einclusie.figures.db import SOURCE_TABLES, database, read_sql
from einclusie.figures.publication import PublicSelectionError
from einclusie.figures.registry import Kind, programme_figures_of
from einclusie.figures.selection import Selection
from einclusie.figures.values import HIDDEN_COLUMN

__all__ = [
    "CATEGORY_SPLITS",
    "DEVICE_WAYS",
    "HELP_REQUEST_PARTS",
    "KANALEN",
    "KIND_LABELS",
    "TRAINING_GROUPS",
    "categories",
    "category_split",
    "data_overview",
    "devices_by_type",
    "devices_by_way",
    "devices_monthly",
    "failed_expectations",
    "help_requests_by",
    "help_requests_by_categories",
    "help_requests_monthly_by_programme",
    "kpi_by_wijk",
    "kpi_monthly",
    "kpi_yearly",
    "lending_by_organisation",
    "parts_frame",
    "programme_figures",
    "quarantine_files",
    "quarantined_rows",
    "refused_files",
    "replaced_files",
    "replaced_rows",
    "training_by_programme",
    "training_monthly",
]

# The four components of help_requests_total, as the charts name them (in this order).
HELP_REQUEST_PARTS: dict[str, str] = {
    "help_requests_digipunten": "Digipunten",
    "help_requests_digibank": "Digibank",
    "help_requests_at_home": "Aan huis",
    "help_requests_internal": "Allemaal Digitaal (intern)",
}
# The four ways devices are deployed: the parts of devices_total.
DEVICE_WAYS: dict[str, str] = {
    "devices_public_computers": "Publieke computers",
    "devices_lending_pool": "Uitleenpool",
    "devices_donated": "Geschonken",
    "devices_lent": "Uitgeleend",
}
# Who is trained: citizens and staff (people_trained) or first-line professionals.
TRAINING_GROUPS: dict[str, str] = {
    "people_trained": "Burgers",
    "professionals_coached": "Professionals",
}
# The Digipunten export's two kanalen and the KPI whose facts are the rows of each.
KANALEN: dict[str, str] = {
    "Digipunt": "help_requests_digipunten",
    "Aan huis": "help_requests_at_home",
}
# How a chart's data says what a number is.
KIND_LABELS = {
    Kind.FLOW.value: "aantal in de periode",
    Kind.STOCK.value: "stand op de laatste dag",
}
MONTH_KIND_LABELS = {
    Kind.FLOW.value: "aantal in de maand",
    Kind.STOCK.value: "stand op het einde van de maand",
}
HELP_REQUEST_DIMENSIONS = ("programma", "kanaal", "vraagtype", "leeftijdsgroep", "locatie")


def _query(name: str, data_dir: Path | None, **params: object) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` with exactly the named parameters it uses."""
    if publication.threshold() and name not in PUBLIC_PLAIN_QUERIES:
        raise PublicSelectionError("Deze gegevens horen niet bij de publieke cijfers.")
    return database(data_dir).execute(read_sql(f"queries/{name}.sql"), params or None)


# In the public view every query of this module is refused, never published unprotected:
# the split per category is protected by values (help_requests_by, _published_split), and
# the busiest locations are not public (a wijk's locations add up to its Digipunten and
# at-home counts, so a location could give a hidden one away).
# The load's own tables (the quarantine with its raw values, the files): never in public.
PUBLIC_PLAIN_QUERIES = frozenset({"categories"})


def _run(name: str, selection: Selection, data_dir: Path | None, **extra: object) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` with the selection's parameters (wijken canonicalised)."""
    if publication.threshold():
        raise PublicSelectionError("Deze cijfers horen niet bij de publieke cijfers.")
    params = {**values.params(selection, data_dir), **extra}
    return database(data_dir).execute(read_sql(f"queries/{name}.sql"), params)


def _label(frame: pd.DataFrame, labels: Mapping[str, str], column: str) -> pd.DataFrame:
    """Replace the `figuur` column by `column` holding each key's label."""
    frame = frame.copy()
    frame.insert(0, column, frame.pop("figuur").map(labels))
    return frame


def categories(source: str, column: str, data_dir: Path | None = None) -> tuple[str, ...]:
    """The canonical values of an enumerated column, in the order of the loaded suite."""
    rows = _query("categories", data_dir, bron=source, kolom=column)
    return tuple(rows["waarde"])


def _values(
    selection: Selection, data_dir: Path | None, labels: Mapping[str, str], column: str
) -> pd.DataFrame:
    """`column`, aantal, soort, opmerking: the value of each figure in `labels`, in that order.
    A figure without a value for the selection (city-wide under a wijk filter) keeps its row,
    with an empty aantal and the note saying why."""
    shown = values.figure_values(selection, list(labels), data_dir)
    frame = pd.DataFrame(
        {
            column: [labels[v.key] for v in shown],
            "aantal": pd.array([v.value if v.applies else None for v in shown], dtype="Int64"),
            "soort": [KIND_LABELS[v.figure.kind.value] for v in shown],
            "opmerking": [v.note for v in shown],
        }
    )
    if publication.threshold():
        frame[HIDDEN_COLUMN] = [v.hidden for v in shown]
    return frame


def _monthly(
    selection: Selection,
    data_dir: Path | None,
    labels: Mapping[str, str],
    column: str,
    value: str = "aantal",
) -> pd.DataFrame:
    """maand, `column`, `value`, soort: per_period of the figures in `labels`, by month then
    label; soort says whether a number is the month's count or the level at its end."""
    frame = values.per_period(selection, list(labels), "month", data_dir)
    frame = _label(frame, labels, column).rename(columns={"waarde": value})
    frame["soort"] = frame["soort"].map(MONTH_KIND_LABELS)
    # per_period orders by key, then month: a stable sort by month keeps the key order.
    frame = frame.sort_values("maand", kind="stable")
    columns = ["maand", column, value, "soort"]
    columns += [HIDDEN_COLUMN] if HIDDEN_COLUMN in frame else []
    return frame[columns].reset_index(drop=True)


# --- Figures over time and place ------------------------------------------------------------


def kpi_monthly(
    selection: Selection, keys: Sequence[str], data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns figuur, maand, waarde, soort: see `values.per_period` (never a mixed figure)."""
    return values.per_period(selection, keys, "month", data_dir)


def kpi_yearly(
    selection: Selection, keys: Sequence[str], data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns figuur, jaar, waarde: every year with data, as that year's cards count it."""
    return values.yearly(selection, keys, data_dir)


def kpi_by_wijk(selection: Selection, key: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns wijknr, wijk, waarde, aandeel: see `values.by_wijk`."""
    return values.by_wijk(selection, key, data_dir)


def _breakdown(selection: Selection, data_dir: Path | None, keys: Sequence[str]) -> pd.DataFrame:
    """figuur, programma, onderdeel, wijk, waarde: the figures' facts as their values count them."""
    return _run("figure_breakdown", selection, data_dir, keys=list(keys))


# --- Help requests --------------------------------------------------------------------------


def help_requests_by(
    selection: Selection,
    dimension: str,
    data_dir: Path | None = None,
    *,
    kanaal: str | None = None,
    limit: int | None = 15,
) -> pd.DataFrame:
    """Help requests per `dimension`; columns `<dimension>, aantal` (`locatie, wijk, aantal`).

    - programma: the four components of help_requests_total (their values);
    - kanaal, vraagtype, leeftijdsgroep: the facts of help_requests_digipunten plus
      help_requests_at_home, every category present; `kanaal` ('Digipunt' or 'Aan huis')
      keeps one kanaal only;
    - locatie: the `limit` busiest locations of those facts (all when None), with their wijk;
      help at home counts for the Digipunt that sent the helper.
    """
    if dimension not in HELP_REQUEST_DIMENSIONS:
        raise ValueError(
            f"Onbekende indeling: {dimension}. Kies uit: {', '.join(HELP_REQUEST_DIMENSIONS)}"
        )
    if kanaal is not None and kanaal not in KANALEN:
        raise ValueError(f"Onbekend kanaal: {kanaal}. Kies uit: {', '.join(KANALEN)}")
    if dimension == "programma":
        if kanaal is not None:
            raise ValueError("Een kanaal kiezen kan niet bij de indeling per programma")
        return _values(selection, data_dir, HELP_REQUEST_PARTS, "programma").drop(columns="soort")
    if dimension == "locatie":
        keys = [KANALEN[kanaal]] if kanaal else list(KANALEN.values())
        return _run("help_requests_by_locatie", selection, data_dir, keys=keys, limit=limit)
    frame = help_requests_by_categories(selection, data_dir, kanaal=kanaal)
    return category_split(frame, dimension)


CATEGORY_SPLITS = values.CATEGORY_SPLITS  # kanaal, vraagtype, leeftijdsgroep


def help_requests_by_categories(
    selection: Selection, data_dir: Path | None = None, *, kanaal: str | None = None
) -> pd.DataFrame:
    """indeling, categorie, aantal: help_requests_by's splits per kanaal, vraagtype and
    leeftijdsgroep at once (one scan; a page shows all three): see `category_split`."""
    if kanaal is not None and kanaal not in KANALEN:
        raise ValueError(f"Onbekend kanaal: {kanaal}. Kies uit: {', '.join(KANALEN)}")
    kanalen = [kanaal] if kanaal else list(KANALEN)
    frame = values.help_request_categories(selection, kanalen, data_dir)
    parts = [
        _published_split(selection, category_split(frame, dimension), dimension, kanaal, data_dir)
        .rename(columns={dimension: "categorie"})
        .assign(indeling=dimension)
        for dimension in CATEGORY_SPLITS
    ]
    columns = ["indeling", "categorie", *[c for c in parts[0].columns if c != "categorie"]]
    return pd.concat(parts, ignore_index=True).reindex(columns=list(dict.fromkeys(columns)))


def category_split(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """`dimension`, aantal (...): one split of help_requests_by_categories."""
    split = frame[frame["indeling"] == dimension].drop(columns="indeling")
    return split.rename(columns={"categorie": dimension}).reset_index(drop=True)


def _published_split(
    selection: Selection,
    frame: pd.DataFrame,
    dimension: str,
    kanaal: str | None,
    data_dir: Path | None,
) -> pd.DataFrame:
    """In the public view: the split as that year's protected tables publish it (heel Gent,
    both kanalen: the tables the protection saw); unchanged otherwise."""
    if not publication.threshold():
        return frame
    if selection.wijken or kanaal is not None or not selection.is_year or selection.programmes:
        raise PublicSelectionError("De publieke verdeling geldt voor heel Gent en een heel jaar.")
    verdict = values.year_verdict(selection.start.year, data_dir)
    statuses = [verdict.category.get((dimension, str(c))) for c in frame[dimension]]
    return values.hide_numbers(frame, "aantal", [verdict.mark(status) for status in statuses])


def help_requests_monthly_by_programme(
    selection: Selection, data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns maand, programma, aantal, soort: the four components per month."""
    return _monthly(selection, data_dir, HELP_REQUEST_PARTS, "programma")


# --- Devices --------------------------------------------------------------------------------


def devices_by_way(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns manier, aantal, soort: the four parts of devices_total, each as its card counts
    it (stocks on the period's last day, flows in the period)."""
    return _values(selection, data_dir, DEVICE_WAYS, "manier")


def devices_by_type(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns manier, toesteltype, aantal: each way of deployment per device type."""
    facts = _breakdown(selection, data_dir, list(DEVICE_WAYS))
    frame = (
        facts.assign(toesteltype=facts["onderdeel"].fillna("Onbekend"))
        .groupby(["figuur", "toesteltype"], as_index=False)["waarde"]
        .sum()
        .rename(columns={"waarde": "aantal"})
    )
    frame = frame[frame["aantal"] != 0]
    order = {key: i for i, key in enumerate(DEVICE_WAYS)}
    frame = frame.assign(_volgorde=frame["figuur"].map(order)).sort_values(
        ["_volgorde", "aantal", "toesteltype"], ascending=[True, False, True]
    )
    frame = _label(frame.drop(columns="_volgorde"), DEVICE_WAYS, "manier")
    return (
        frame[["manier", "toesteltype", "aantal"]]
        .astype({"aantal": "int64"})
        .reset_index(drop=True)
    )


def devices_monthly(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns maand, manier, aantal, soort: stocks at each month's end, flows within each
    month (never added up: devices_total mixes both and has no monthly series)."""
    return _monthly(selection, data_dir, DEVICE_WAYS, "manier")


def lending_by_organisation(
    selection: Selection, data_dir: Path | None = None, limit: int | None = 15
) -> pd.DataFrame:
    """Columns organisatie, ontleningen, toestellen: the parts of uitleendienst_loans and
    uitleendienst_devices_lent_to_organisations per organisation.

    The `limit` organisations that borrowed most devices first, the others in one last row
    ('Andere organisaties (n)'), so the columns add up to the two figures. The lending
    service has no wijk: with a wijk filter the frame is empty.
    """
    return _run("lending_by_organisation", selection, data_dir, limit=limit)


# --- Training -------------------------------------------------------------------------------


def training_by_programme(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns doelgroep, programma, onderdeel, deelnemers.

    doelgroep 'Burgers' (people_trained) or 'Professionals' (professionals_coached); programma
    the service (Digibanken, Allemaal Digitaal, Bibliotheek, Vorming); onderdeel the activity or,
    for Vorming, the training programme of the register.
    """
    facts = _breakdown(selection, data_dir, list(TRAINING_GROUPS))
    frame = (
        facts.groupby(["figuur", "programma", "onderdeel"], as_index=False, dropna=False)["waarde"]
        .sum()
        .rename(columns={"waarde": "deelnemers"})
    )
    order = {key: i for i, key in enumerate(TRAINING_GROUPS)}
    frame = frame.assign(_volgorde=frame["figuur"].map(order)).sort_values(
        ["_volgorde", "programma", "deelnemers", "onderdeel"],
        ascending=[True, True, False, True],
    )
    frame = _label(frame.drop(columns="_volgorde"), TRAINING_GROUPS, "doelgroep")
    columns = ["doelgroep", "programma", "onderdeel", "deelnemers"]
    return frame[columns].astype({"deelnemers": "int64"}).reset_index(drop=True)


def training_monthly(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns maand, doelgroep, deelnemers, soort: participants per month, both groups."""
    return _monthly(selection, data_dir, TRAINING_GROUPS, "doelgroep", value="deelnemers")


# --- Programme pages ------------------------------------------------------------------------


def programme_figures(
    selection: Selection, programme: str, data_dir: Path | None = None
) -> list[values.FigureValue]:
    """What a programme's page shows: its headline KPIs, then its own figures (registry order).

    The period and wijken of the selection apply; its programme filter does not (each
    programme page shows its own figures)."""
    keys = [f.key for f in programme_figures_of(programme)]
    return values.figure_values(replace(selection, programmes=()), keys, data_dir)


def parts_frame(figures: list[values.FigureValue]) -> pd.DataFrame:
    """Columns onderdeel, label, waarde: the per-part figures among `figures` (what
    programme_figures gave), one row per part with facts (e.g. each Digibank's devices lent),
    in the registry's order. No query of its own: a page asks its figures once."""
    rows = [
        {"onderdeel": part, "label": value.label, "waarde": number}
        for value in figures
        if value.parts
        for part, number in value.parts.items()
    ]
    return pd.DataFrame(rows, columns=["onderdeel", "label", "waarde"]).astype({"waarde": "int64"})


# --- The loads ------------------------------------------------------------------------------


def data_overview(data_dir: Path | None = None) -> pd.DataFrame:
    """Per source (bron): nieuwste_datum, laatste_lading and the last load's file and row counts.

    Columns bron, nieuwste_datum, laatste_lading, bestanden, rijen_gelezen, rijen_geladen,
    rijen_quarantaine, bestanden_geweigerd; one row for each of the six sources.
    """
    return _query("data_overview", data_dir)


# The columns of quarantined_rows before the values (which are named as in the contract).
QUARANTINE_COLUMNS = ("bron", "bestand", "lading", "geladen", "nieuw", "rij", "id", "reden")


def quarantine_files(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bron, bestand, lading, geladen, nieuw, rijen: per file with rows the last load
    quarantined, the load that first loaded the file as it is now (lading: its run; geladen:
    when; nieuw: the last load) and how many rows; newest load first."""
    return _query("quarantine_files", data_dir)


def quarantined_rows(
    data_dir: Path | None = None,
    source: str | None = None,
    file: str | None = None,
    load: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """The rows the last load quarantined: QUARANTINE_COLUMNS, then the values as the file
    holds them, one column per field of the contract that holds something in these rows
    (null: the row's source has no such field, or a malformed row's field was unreadable).

    Newest load first, then by source, file and row. `source`, `file` and `load` (a run, as
    in quarantine_files) narrow them; `limit` and `offset` give one page of them."""
    if source is not None and source not in SOURCE_TABLES:
        raise ValueError(f"Onbekende bron: {source}. Kies uit: {', '.join(SOURCE_TABLES)}")
    rows = _query(
        "quarantined_rows",
        data_dir,
        bron=source,
        bestand=file,
        lading=load,
        limit=limit,
        offset=offset,
    )
    empty = [c for c in rows.columns[len(QUARANTINE_COLUMNS) :] if rows[c].isna().all()]
    return rows.drop(columns=empty) if len(rows) else rows


def source_columns(source: str, data_dir: Path | None = None) -> tuple[str, ...]:
    """The columns of a source's loaded table, in the order of the contract (its fields, with
    locatie_id and wijk after a location): the order to show a quarantined row's values in."""
    if source not in SOURCE_TABLES:
        raise ValueError(f"Onbekende bron: {source}. Kies uit: {', '.join(SOURCE_TABLES)}")
    return tuple(database(data_dir).execute(f"select * from {source} limit 0").columns)


def replaced_files(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bron, bestand, rijen, vervangen_door: per file, its valid rows that a later
    export replaced (the same id) and the files that replaced them (', ' between them)."""
    if not _has_table("vervangen", data_dir):  # a version written before loads kept them
        return pd.DataFrame(columns=["bron", "bestand", "rijen", "vervangen_door"])
    return _query("replaced_files", data_dir)


def replaced_rows(
    data_dir: Path | None = None,
    file: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """Columns bron, bestand, rij, id, vervangen_door: the valid rows of `file` (None: of
    every file) that a later export replaced, with the file whose row counts instead."""
    if not _has_table("vervangen", data_dir):
        return pd.DataFrame(columns=["bron", "bestand", "rij", "id", "vervangen_door"])
    return _query("replaced_rows", data_dir, bestand=file, limit=limit, offset=offset)


def _has_table(name: str, data_dir: Path | None) -> bool:
    found = database(data_dir).execute(
        "select count(*) as n from information_schema.tables where table_name = $name",
        {"name": name},
    )
    return bool(found["n"].iloc[0])


def failed_expectations(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bron, verwachting, kolom, reden, afwijkende_rijen: what failed in the last load."""
    return _query("failed_expectations", data_dir)


def skipped_files(data_dir: Path | None = None) -> pd.DataFrame:
    """Column melding: what the last load skipped without reading, and why (nothing for a
    version written before loads kept it)."""
    if "meldingen" not in database(data_dir).execute("select * from runs limit 0").columns:
        return pd.DataFrame({"melding": pd.Series([], dtype=object)})
    return _query("skipped_files", data_dir)


def refused_files(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bestand, melding: the files the last load refused whole."""
    return _query("refused_files", data_dir)
