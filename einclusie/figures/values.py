"""The one query path of figures: every card, chart, table, file and command takes its numbers
from here, so each truth rule holds in one place:

- a figure's value for a selection (flows in the period, stocks on its last day), per part
  where the registry gives it per part, a percentage over the figure it is a share of;
- a figure that does not apply to a wijk (city-wide) has no value (None) under a wijk filter,
  shown as NOT_PER_WIJK on screen and written as an empty cell with CITY_WIDE_NOTE in files;
- per month, a flow sums to its period figure and a stock is its level at the month's end; a
  figure mixing both has no monthly series (ask for its parts);
- a comparison with a period without data says "geen gegevens voor <periode>", never a change
  against zero;
- a wijk's share is over the city built the same way (the sum of the 25 wijken).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from einclusie.figures.db import NoDataError, database, read_sql
from einclusie.figures.registry import (
    FIGURES,
    HEADLINE_KEYS,
    NOT_IN_PROGRAMMES,
    NOT_PER_WIJK,
    PROGRAMME_NOTE,
    Figure,
    Kind,
    Unit,
    WijkSplit,
    check_keys,
)
from einclusie.figures.selection import Selection
from einclusie.figures.status import available_years as data_years
from einclusie.format import format_number

__all__ = [
    "Comparison",
    "FigureValue",
    "NoDataError",
    "UnknownWijkError",
    "by_wijk",
    "compare",
    "figure_values",
    "headline_kpis",
    "kpi_values",
    "per_period",
    "require_data",
    "resolve_wijken",
    "wijk_sheet",
]


class UnknownWijkError(ValueError):
    """A wijk name that is not one of Ghent's 25 wijken."""


@dataclass(frozen=True)
class FigureValue:
    figure: Figure
    value: int | None  # None: no value (does not apply, or a percentage of nothing)
    note: str  # why a wijk filter does not apply, or applies in part; empty when nothing
    parts: dict[str, int] | None = None  # per-part figures: part -> value, parts with facts
    applies: bool = True  # False: city-wide under a wijk filter, or outside the programmes

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def label(self) -> str:
        return self.figure.label

    @property
    def definition(self) -> str:
        return self.figure.definition

    def shown(self) -> str:
        """The value as the screen shows it: '11.877', '51 %', NOT_PER_WIJK, '–'."""
        if not self.applies:
            return NOT_IN_PROGRAMMES if self.note == PROGRAMME_NOTE else NOT_PER_WIJK
        if self.value is None:
            return "–"
        if self.figure.unit is Unit.PERCENTAGE:
            return f"{format_number(self.value)} %"
        if self.figure.unit is Unit.EURO:
            return f"€ {format_number(self.value)}"
        return format_number(self.value)


@dataclass(frozen=True)
class Comparison:
    """A figure beside the same figure in an earlier period."""

    now: FigureValue
    before: FigureValue | None  # None: the earlier period has no data for this figure
    before_label: str  # '2021', or the earlier date range
    missing: tuple[str, ...] = ()  # labels of a total's parts without data in that period

    @property
    def change(self) -> int | None:
        if self.before is None or self.now.value is None or self.before.value is None:
            return None
        return self.now.value - self.before.value

    def change_text(self) -> str:
        """'+1.234', '-12', '0'; empty without a change."""
        change = self.change
        if change is None:
            return ""
        return f"{'+' if change > 0 else ''}{format_number(change)}"

    def text(self) -> str:
        """'+1.234 t.o.v. 2021', or 'geen gegevens voor 2020'."""
        if self.before is None:
            return f"geen gegevens voor {self.before_label}"
        change = self.change_text()
        return f"{change} t.o.v. {self.before_label}" if change else ""

    def missing_text(self) -> str:
        """What the earlier total lacked: 'in 2021 nog zonder: <label>' ('' when nothing)."""
        if not self.missing or self.before is None:
            return ""
        return f"in {self.before_label} nog zonder: {'; '.join(self.missing)} (geen gegevens)"


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


def params(selection: Selection, data_dir: Path | None) -> dict[str, object]:
    """The selection's SQL parameters, its wijken in their canonical spelling."""
    wijken = resolve_wijken(selection.wijken, data_dir) if selection.wijken else []
    return {**selection.params(), "wijken": wijken}


def _period(selection: Selection) -> dict[str, object]:
    return {"van": selection.start, "tot": selection.end, "programmas": list(selection.programmes)}


def _percentage(part: int | None, whole: int | None) -> int | None:
    """round(100 * part / whole), halves up, in whole numbers; None over nothing."""
    if part is None or not whole:
        return None
    return (200 * part + whole) // (2 * whole)


def figure_values(
    selection: Selection, keys: Sequence[str], data_dir: Path | None = None
) -> list[FigureValue]:
    """The figures `keys` for a selection (period, wijken, programmes), in that order."""
    keys = check_keys(list(keys))
    items = [FIGURES[k] for k in keys]
    needed = list(dict.fromkeys([*keys, *(f.share_of for f in items if f.share_of)]))
    rows = database(data_dir).execute(
        read_sql("queries/figure_values.sql"),
        {
            **params(selection, data_dir),
            "keys": needed,
            "per_part": [f.key for f in items if f.per_part],
        },
    )
    totals = rows[rows["onderdeel"].isna()]
    sums = dict(zip(totals["figuur"], totals["waarde"].astype("int64"), strict=True))
    parts = rows[rows["onderdeel"].notna()]
    outside = _outside_programmes(selection, keys, data_dir)
    result = []
    for item in items:
        note = item.wijk_note() if selection.wijken else ""
        if selection.wijken and item.per_wijk is WijkSplit.NO:
            result.append(FigureValue(item, None, note, {} if item.per_part else None, False))
            continue
        if item.key in outside:
            empty = {} if item.per_part else None
            result.append(FigureValue(item, None, PROGRAMME_NOTE, empty, False))
            continue
        value: int | None = int(sums.get(item.key, 0))
        if item.share_of is not None:
            value = _percentage(value, int(sums.get(item.share_of, 0)))
        split = None
        if item.per_part:
            mine = parts[parts["figuur"] == item.key].sort_values("onderdeel")
            split = {str(p): int(v) for p, v in zip(mine["onderdeel"], mine["waarde"], strict=True)}
        result.append(FigureValue(item, value, note, split))
    return result


def _outside_programmes(
    selection: Selection, keys: Sequence[str], data_dir: Path | None
) -> set[str]:
    """The figures none of whose facts belong to the programmes of the filter."""
    if not selection.programmes:
        return set()
    rows = database(data_dir).execute(
        "select distinct figuur from figure_programmes "
        "where list_contains($keys, figuur) and list_contains($programmas, programma)",
        {"keys": list(keys), "programmas": list(selection.programmes)},
    )
    return set(keys) - set(rows["figuur"])


def kpi_values(selection: Selection, data_dir: Path | None = None) -> list[FigureValue]:
    """The twelve headline KPIs for a selection, in the report's order."""
    return figure_values(selection, HEADLINE_KEYS, data_dir)


def has_data(selection: Selection, data_dir: Path | None = None) -> bool:
    """Whether any export has a row in the selection's period (of its programmes)."""
    rows = database(data_dir).execute(read_sql("queries/period_coverage.sql"), _period(selection))
    return bool(rows["gegevens"].iloc[0])


def no_data_reason(selection: Selection, data_dir: Path | None = None) -> str | None:
    """The Dutch sentence saying the period has no data at all, or None when it has some."""
    if has_data(selection, data_dir):
        return None
    known = ", ".join(str(y) for y in data_years(data_dir)) or "geen"
    return f"Er zijn geen gegevens voor {selection.period_label()}. Jaren met gegevens: {known}."


def require_data(selection: Selection, data_dir: Path | None = None) -> None:
    """Raise NoDataError (Dutch) when the period has no data at all: never print zeros."""
    reason = no_data_reason(selection, data_dir)
    if reason is not None:
        raise NoDataError(reason)


def headline_kpis(
    year: int, wijken: Sequence[str] = (), *, data_dir: Path | None = None
) -> list[FigureValue]:
    """The twelve headline KPIs of a calendar year; NoDataError for a year without data."""
    selection = Selection.year(year, tuple(wijken))
    require_data(selection, data_dir)
    return kpi_values(selection, data_dir)


def compare(
    selection: Selection,
    keys: Sequence[str] = HEADLINE_KEYS,
    data_dir: Path | None = None,
) -> list[Comparison]:
    """Each figure beside the same period a year earlier; no change where that has no data."""
    earlier = selection.previous()
    now = figure_values(selection, keys, data_dir)
    before = figure_values(earlier, keys, data_dir)
    asked = list(dict.fromkeys([*keys, *(p for k in keys for p in FIGURES[k].parts)]))
    with_data = _covered(earlier, asked, data_dir)
    with_data_now = _covered(selection, asked, data_dir)
    result = []
    for this, that in zip(now, before, strict=True):
        # A part with data now and none then: the earlier total lacked it.
        missing = tuple(
            FIGURES[part].label
            for part in this.figure.parts
            if with_data_now.get(part) and not with_data.get(part)
        )
        earlier_value = that if with_data.get(this.key) and that.applies else None
        result.append(Comparison(this, earlier_value, earlier.period_label(), missing))
    return result


def _covered(selection: Selection, keys: Sequence[str], data_dir: Path | None) -> dict:
    """figure -> whether it has data in the selection's period (see coverage.sql)."""
    rows = database(data_dir).execute(
        read_sql("queries/figure_coverage.sql"), {**_period(selection), "keys": list(keys)}
    )
    return dict(zip(rows["figuur"], rows["gegevens"], strict=True))


def per_period(
    selection: Selection,
    keys: Sequence[str],
    grain: str = "month",
    data_dir: Path | None = None,
) -> pd.DataFrame:
    """Columns figuur, maand, waarde, soort: each figure for every month (or year) of the period.

    Flows sum within the month (clipped to the period), so the months add up to the period's
    figure; stocks are the level on the month's last day (the period's last day for the final
    month). A figure that mixes flows and stocks, or is a percentage, has no such series:
    asking for one raises ValueError (ask for its parts). A city-wide figure under a wijk
    filter has none either: it is left out.
    """
    items = [FIGURES[k] for k in check_keys(list(keys))]
    wrong = [f.key for f in items if f.kind is Kind.MIXED or f.unit is Unit.PERCENTAGE]
    if wrong:
        raise ValueError(
            f"Geen reeks per maand voor {', '.join(wrong)}: die cijfers tellen standen en "
            "aantallen samen of zijn een percentage; vraag hun onderdelen op."
        )
    if selection.wijken:
        items = [f for f in items if f.per_wijk is not WijkSplit.NO]
    frame = database(data_dir).execute(
        read_sql("queries/figure_per_period.sql"),
        {**params(selection, data_dir), "keys": [f.key for f in items], "grain": grain},
    )
    kinds = {f.key: f.kind.value for f in items}
    return frame.assign(soort=frame["figuur"].map(kinds))


def yearly(selection: Selection, keys: Sequence[str], data_dir: Path | None = None) -> pd.DataFrame:
    """Columns figuur, jaar, waarde: each figure's value for every year with data (the period
    is ignored, its wijken and programmes apply), exactly as that year's cards count it."""
    rows = []
    for year in data_years(data_dir):
        one = replace(selection, start=Selection.year(year).start, end=Selection.year(year).end)
        for value in figure_values(one, keys, data_dir):
            if value.value is not None:
                rows.append({"figuur": value.key, "jaar": year, "waarde": value.value})
    return pd.DataFrame(rows, columns=["figuur", "jaar", "waarde"]).astype(
        {"jaar": "int32", "waarde": "int64"}
    )


def by_wijk(selection: Selection, key: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns wijknr, wijk, waarde, aandeel: one figure for each of the 25 wijken (0 where
    nothing) and its share (%) of the sum over the 25 wijken, so the shares add up to 100.

    The selection's wijken are ignored (the map shows them all); city-wide facts count in no
    wijk. A city-wide figure (per_wijk "nee") or a percentage has no values per wijk: ValueError.
    """
    item = FIGURES[check_keys([key])[0]]
    if item.per_wijk is WijkSplit.NO or item.unit is Unit.PERCENTAGE:
        raise ValueError(f"{item.label} heeft geen waarden per wijk: het telt voor heel Gent.")
    spread = _spread(selection, [key], data_dir)
    return spread[["wijknr", "wijk", "waarde", "aandeel"]].reset_index(drop=True)


def _spread(selection: Selection, keys: Sequence[str], data_dir: Path | None) -> pd.DataFrame:
    """figure_by_wijk.sql: figuur, wijknr, wijk, waarde, gent (their sum), aandeel."""
    return database(data_dir).execute(
        read_sql("queries/figure_by_wijk.sql"), {**_period(selection), "keys": list(keys)}
    )


def wijk_sheet(
    selection: Selection,
    wijk: str,
    keys: Sequence[str] = HEADLINE_KEYS,
    data_dir: Path | None = None,
) -> pd.DataFrame:
    """The fact sheet of one wijk beside the city, as numbers: columns Kerncijfer, <wijk>,
    '25 wijken samen', 'Aandeel (%)', 'Heel Gent', Opmerking.

    The share is the wijk's part of the 25 wijken together (the city built the same way as the
    wijk: without city-wide facts), so the shares of all wijken add up to 100 %; 'Heel Gent'
    is the figure as its card shows it. A city-wide figure has no value for the wijk or the
    wijken: empty cells, and the note says why.
    """
    (wijk,) = resolve_wijken([wijk], data_dir)
    here = figure_values(replace(selection, wijken=(wijk,)), keys, data_dir)
    city = figure_values(selection.city(), keys, data_dir)
    shared = [
        v.key
        for v in here
        if v.applies and v.value is not None and v.figure.unit is not Unit.PERCENTAGE
    ]
    # One query for every figure the wijk shares: its row among the 25 and their sum.
    spread = _spread(selection, shared, data_dir)
    mine = spread[spread["wijk"] == wijk].set_index("figuur")
    rows = []
    for local, whole in zip(here, city, strict=True):
        item = local.figure
        if item.key not in mine.index:
            rows.append((item.label, None, None, None, whole.value, local.note))
            continue
        share = mine.loc[item.key, "aandeel"]
        rows.append(
            (
                item.label,
                local.value,
                int(mine.loc[item.key, "gent"]),
                None if pd.isna(share) else round(float(share), 1),
                whole.value,
                local.note,
            )
        )
    columns = ["Kerncijfer", wijk, WIJKEN_TOGETHER, SHARE, "Heel Gent", "Opmerking"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {wijk: "Int64", WIJKEN_TOGETHER: "Int64", SHARE: "Float64", "Heel Gent": "Int64"}
    )


WIJKEN_TOGETHER = "25 wijken samen"
SHARE = "Aandeel (%)"  # of the 25 wijken together
