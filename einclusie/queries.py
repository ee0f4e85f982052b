"""Query functions behind the dashboard pages: small, tidy frames, computed in DuckDB.

Every function takes a Selection (period, wijken, programmes) and returns a pandas DataFrame
with Dutch column names ready to chart and to download. The SQL lives in `sql/queries/`; each
query applies the selection the same way as the KPI layer: the period on `datum` (stocks: up
to the period's last day), `in_selection(wijk, $wijken)`, and the programme filter on
`programma`. Counts of help requests, devices and people always come from the KPI facts
(`kpi_facts`) or the staging views with the same definitions, never recomputed differently.

The functions about the loads themselves (`data_overview`, `quarantined_rows`,
`failed_expectations`, `refused_files`) take no selection and describe the last load.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from einclusie.db import database, read_sql
from einclusie.kpis import KEYS, resolve_wijken
from einclusie.selection import Selection
from einclusie.status import data_range
from etl.sources import SOURCES
from etl.validation import read_suite

__all__ = [
    "DEVICE_WAYS",
    "HELP_REQUEST_PARTS",
    "KANALEN",
    "TRAINING_GROUPS",
    "data_overview",
    "devices_by_type",
    "devices_by_way",
    "devices_monthly",
    "failed_expectations",
    "help_requests_by",
    "help_requests_monthly_by_programme",
    "kpi_by_wijk",
    "kpi_monthly",
    "kpi_yearly",
    "lending_by_organisation",
    "quarantined_rows",
    "refused_files",
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
HELP_REQUEST_DIMENSIONS = ("programma", "kanaal", "vraagtype", "leeftijdsgroep", "locatie")


def _wijken(selection: Selection, data_dir: Path | None) -> list[str]:
    """The selection's wijken in their canonical spelling (unknown names raise)."""
    return resolve_wijken(selection.wijken, data_dir) if selection.wijken else []


def _query(name: str, data_dir: Path | None, **params: object) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` with exactly the named parameters it uses."""
    return database(data_dir).execute(read_sql(f"queries/{name}.sql"), params or None)


def _run(name: str, selection: Selection, data_dir: Path | None, **extra: object) -> pd.DataFrame:
    """Run `sql/queries/<name>.sql` with the selection's parameters (wijken canonicalised)."""
    params = {**selection.params(), "wijken": _wijken(selection, data_dir), **extra}
    return database(data_dir).execute(read_sql(f"queries/{name}.sql"), params)


def _check_keys(keys: Sequence[str]) -> list[str]:
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise ValueError(f"Onbekende KPI: {', '.join(unknown)}. Kies uit: {', '.join(KEYS)}")
    return list(keys)


def _label(frame: pd.DataFrame, labels: Mapping[str, str], column: str) -> pd.DataFrame:
    """Replace the `kpi` column by `column` holding each key's label."""
    frame = frame.copy()
    frame.insert(0, column, frame.pop("kpi").map(labels))
    return frame


@functools.cache
def _categories(source: str, column: str) -> tuple[str, ...]:
    """The canonical values of an enumerated column, in the order of its suite."""
    for expectation in read_suite(source).get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        if expectation.get("type") == "expect_column_values_to_be_in_set" and (
            kwargs.get("column") == column
        ):
            return tuple(kwargs["value_set"])
    return ()


# --- KPIs over time and place ---------------------------------------------------------------


def kpi_monthly(
    selection: Selection, keys: Sequence[str] | None = None, data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns kpi, maand, waarde: each KPI (default all twelve) for every month of the period.

    Flows sum within the month (clipped to the period); stocks are the value on the month's
    last day (the period's last day for the final month). Months without data give 0.
    """
    keys = _check_keys(KEYS if keys is None else keys)
    return _run("kpi_per_period", selection, data_dir, keys=keys, grain="month")


def kpi_yearly(
    selection: Selection, keys: Sequence[str] | None = None, data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns kpi, jaar, waarde: each KPI for every year of the data (the period is ignored).

    Stocks are taken on 31/12, or on the newest date in the data for the last year.
    """
    keys = _check_keys(KEYS if keys is None else keys)
    first, last = data_range(data_dir)  # whole calendar years: stocks on 31/12
    every_year = replace(selection, start=first, end=last)
    frame = _run("kpi_per_period", every_year, data_dir, keys=keys, grain="year")
    frame.insert(1, "jaar", pd.to_datetime(frame.pop("maand")).dt.year.astype("int32"))
    return frame


def kpi_by_wijk(selection: Selection, key: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns wijknr, wijk, waarde: one KPI for each of the 25 wijken (0 where nothing).

    The selection's wijken are ignored (the map shows them all); city-wide rows count nowhere.
    """
    _check_keys([key])
    return _query(
        "kpi_by_wijk",
        data_dir,
        van=selection.start,
        tot=selection.end,
        programmas=list(selection.programmes),
        key=key,
    )


def _breakdown(selection: Selection, data_dir: Path | None, keys: Sequence[str]) -> pd.DataFrame:
    """kpi, programma, onderdeel, wijk, waarde: the KPIs' facts as the cards count them."""
    return _run("kpi_breakdown", selection, data_dir, keys=list(keys))


def _totals(
    selection: Selection, data_dir: Path | None, labels: Mapping[str, str], column: str
) -> pd.DataFrame:
    """`column`, aantal: the card value of each KPI in `labels`, in that order."""
    facts = _breakdown(selection, data_dir, list(labels))
    sums = facts.groupby("kpi")["waarde"].sum()
    return pd.DataFrame(
        {
            column: list(labels.values()),
            "aantal": [int(sums.get(key, 0)) for key in labels],
        }
    )


def _monthly(
    selection: Selection,
    data_dir: Path | None,
    labels: Mapping[str, str],
    column: str,
    value: str = "aantal",
) -> pd.DataFrame:
    """maand, `column`, `value`: kpi_monthly of the KPIs in `labels`, by month then label."""
    frame = kpi_monthly(selection, list(labels), data_dir)
    frame = _label(frame, labels, column).rename(columns={"waarde": value})
    # kpi_monthly orders by key, then month: a stable sort by month keeps the key order.
    frame = frame.sort_values("maand", kind="stable")
    return frame[["maand", column, value]].reset_index(drop=True)


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

    - programma: the four components of help_requests_total (their KPI facts);
    - kanaal, vraagtype, leeftijdsgroep: the Digipunten export's rows (help_requests_digipunten
      plus help_requests_at_home), every category present; `kanaal` ('Digipunt' or 'Aan huis')
      keeps one kanaal only;
    - locatie: the `limit` busiest locations of those rows (all when None), with their wijk;
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
        return _totals(selection, data_dir, HELP_REQUEST_PARTS, "programma")
    if dimension == "locatie":
        keys = [KANALEN[kanaal]] if kanaal else list(KANALEN.values())
        return _run("help_requests_by_locatie", selection, data_dir, keys=keys, limit=limit)
    frame = _run(
        "help_requests_by_category",
        selection,
        data_dir,
        dimension=dimension,
        categories=list(_categories("digipunten", dimension)),
        kanalen=[kanaal] if kanaal else list(KANALEN),
    )
    return frame.rename(columns={"categorie": dimension})


def help_requests_monthly_by_programme(
    selection: Selection, data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns maand, programma, aantal: the four components of the help requests per month."""
    return _monthly(selection, data_dir, HELP_REQUEST_PARTS, "programma")


# --- Devices --------------------------------------------------------------------------------


def devices_by_way(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns manier, aantal: the four parts of devices_total (stocks at the period's end)."""
    return _totals(selection, data_dir, DEVICE_WAYS, "manier")


def devices_by_type(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns manier, toesteltype, aantal: each way of deployment per device type."""
    facts = _breakdown(selection, data_dir, list(DEVICE_WAYS))
    frame = (
        facts.assign(toesteltype=facts["onderdeel"].fillna("Onbekend"))
        .groupby(["kpi", "toesteltype"], as_index=False)["waarde"]
        .sum()
        .rename(columns={"waarde": "aantal"})
    )
    frame = frame[frame["aantal"] != 0]
    order = {key: i for i, key in enumerate(DEVICE_WAYS)}
    frame = frame.assign(_volgorde=frame["kpi"].map(order)).sort_values(
        ["_volgorde", "aantal", "toesteltype"], ascending=[True, False, True]
    )
    frame = _label(frame.drop(columns="_volgorde"), DEVICE_WAYS, "manier")
    return (
        frame[["manier", "toesteltype", "aantal"]]
        .astype({"aantal": "int64"})
        .reset_index(drop=True)
    )


def devices_monthly(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns maand, manier, aantal: stocks at each month's end, flows within each month."""
    return _monthly(selection, data_dir, DEVICE_WAYS, "manier")


def lending_by_organisation(
    selection: Selection, data_dir: Path | None = None, limit: int | None = 15
) -> pd.DataFrame:
    """Columns organisatie, ontleningen, toestellen: the Uitleendienst's loans in the period.

    The `limit` organisations that borrowed most devices first, the others in one last row
    ('Andere organisaties (n)'), so the columns add up to the programme figures. The lending
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
        facts.groupby(["kpi", "programma", "onderdeel"], as_index=False, dropna=False)["waarde"]
        .sum()
        .rename(columns={"waarde": "deelnemers"})
    )
    order = {key: i for i, key in enumerate(TRAINING_GROUPS)}
    frame = frame.assign(_volgorde=frame["kpi"].map(order)).sort_values(
        ["_volgorde", "programma", "deelnemers", "onderdeel"],
        ascending=[True, True, False, True],
    )
    frame = _label(frame.drop(columns="_volgorde"), TRAINING_GROUPS, "doelgroep")
    columns = ["doelgroep", "programma", "onderdeel", "deelnemers"]
    return frame[columns].astype({"deelnemers": "int64"}).reset_index(drop=True)


def training_monthly(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns maand, doelgroep, deelnemers: participants per month, citizens and professionals."""
    return _monthly(selection, data_dir, TRAINING_GROUPS, "doelgroep", value="deelnemers")


# --- The loads ------------------------------------------------------------------------------


def data_overview(data_dir: Path | None = None) -> pd.DataFrame:
    """Per source (bron): nieuwste_datum, laatste_lading and the last load's file and row counts.

    Columns bron, nieuwste_datum, laatste_lading, bestanden, rijen_gelezen, rijen_geladen,
    rijen_quarantaine, bestanden_geweigerd; one row for each of the six sources.
    """
    return _query("data_overview", data_dir)


def quarantined_rows(data_dir: Path | None = None, source: str | None = None) -> pd.DataFrame:
    """Columns bron, bestand, rij, id, reden, gegevens: the rows the last load quarantined."""
    if source is not None and source not in SOURCES:
        raise ValueError(f"Onbekende bron: {source}. Kies uit: {', '.join(SOURCES)}")
    return _query("quarantined_rows", data_dir, bron=source)


def failed_expectations(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bron, verwachting, kolom, reden, afwijkende_rijen: what failed in the last load."""
    return _query("failed_expectations", data_dir)


def refused_files(data_dir: Path | None = None) -> pd.DataFrame:
    """Columns bestand, melding: the files the last load refused whole."""
    return _query("refused_files", data_dir)
