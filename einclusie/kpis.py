"""The twelve headline KPIs: each defined once, in `sql/kpis/<key>.sql`, with its Dutch text.

A KPI file selects the KPI's facts (datum, wijk, programma, waarde, soort); its header
comments give the Dutch label and definition shown next to the figure everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from einclusie.db import SQL_DIR, NoDataError, database, read_sql
from einclusie.selection import Selection

__all__ = ["KPIS", "Kpi", "KpiValue", "NoDataError", "UnknownWijkError", "headline_kpis"]

# The order of the annual report's "in cijfers" page; components before their totals.
KEYS = (
    "help_requests_digipunten",
    "help_requests_digibank",
    "help_requests_at_home",
    "help_requests_internal",
    "help_requests_total",
    "devices_public_computers",
    "devices_lending_pool",
    "devices_donated",
    "devices_lent",
    "devices_total",
    "people_trained",
    "professionals_coached",
)
DISPLAY_ORDER = (
    "help_requests_total",
    "help_requests_digipunten",
    "help_requests_digibank",
    "help_requests_at_home",
    "help_requests_internal",
    "devices_total",
    "devices_public_computers",
    "devices_lending_pool",
    "devices_donated",
    "devices_lent",
    "people_trained",
    "professionals_coached",
)
CITY_WIDE_NOTE = "telt voor heel Gent, niet per wijk"
PARTLY_NOTE = "zonder de delen die voor heel Gent tellen"
NOTES = {"nee": CITY_WIDE_NOTE, "deels": PARTLY_NOTE}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    definition: str
    per_wijk: str  # "ja"; "nee": no row has a wijk; "deels": a total with city-wide parts
    sql: str


@dataclass(frozen=True)
class KpiValue:
    key: str
    label: str
    definition: str
    value: int
    note: str  # e.g. why a wijk filter does not apply; empty when nothing to say


class UnknownWijkError(ValueError):
    """A wijk name that is not one of Ghent's 25 wijken."""


def _read_kpi(path: Path) -> Kpi:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        name, sep, value = line[2:].partition(":")
        if sep:
            header[name.strip()] = value.strip()
    return Kpi(
        key=path.stem,
        label=header["label"],
        definition=header["definitie"],
        per_wijk=header.get("per_wijk", "ja"),
        sql=path.read_text(encoding="utf-8"),
    )


KPIS: tuple[Kpi, ...] = tuple(_read_kpi(SQL_DIR / "kpis" / f"{key}.sql") for key in KEYS)
BY_KEY = {k.key: k for k in KPIS}


def resolve_wijken(names: Sequence[str], data_dir: Path | None = None) -> list[str]:
    """Canonical spelling of each wijk name (case-insensitive); unknown names raise."""
    known = database(data_dir).execute("select wijk from wijken order by wijknr")["wijk"]
    lookup = {w.lower(): w for w in known}
    unknown = [n for n in names if n.strip().lower() not in lookup]
    if unknown:
        raise UnknownWijkError(
            f"Onbekende wijk: {', '.join(unknown)}. Kies uit: {', '.join(known)}"
        )
    return [lookup[n.strip().lower()] for n in names]


def kpi_values(selection: Selection, data_dir: Path | None = None) -> list[KpiValue]:
    """The twelve KPIs for a selection (period, wijken, programmes), in the report's order."""
    wijken = resolve_wijken(selection.wijken, data_dir) if selection.wijken else []
    params = {**selection.params(), "wijken": wijken}
    rows = database(data_dir).execute(read_sql("kpi_values.sql"), params)
    values = dict(zip(rows["kpi"], rows["waarde"], strict=True))
    result = []
    for key in DISPLAY_ORDER:
        kpi = BY_KEY[key]
        note = NOTES.get(kpi.per_wijk, "") if wijken else ""
        result.append(KpiValue(key, kpi.label, kpi.definition, int(values.get(key, 0)), note))
    return result


def headline_kpis(
    year: int, wijken: Sequence[str] = (), *, data_dir: Path | None = None
) -> list[KpiValue]:
    """The twelve headline KPIs of a calendar year, for the city or some wijken."""
    return kpi_values(Selection.year(year, tuple(wijken)), data_dir=data_dir)
