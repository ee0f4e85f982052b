"""The one query path of figures: every card, chart, table, file and command takes its numbers
from here, so each truth rule holds in one place:

- a figure's value for a selection (flows in the period, stocks on its last day), per part
  where the registry gives it per part, a percentage over the figure it is a share of;
- a figure that does not apply to a wijk (city-wide) has no value (None) under a wijk filter,
  shown as NOT_PER_WIJK on screen and written as an empty cell with CITY_WIDE_NOTE in files;
- per month, a flow sums to its period figure and a stock is its level at the month's end; a
  figure mixing both has no monthly series (ask for its parts);
- a comparison with a period without data says "geen gegevens voor <periode>", never a change
  against zero; a change says its % of the earlier value ("+1.234 (+11,6 %)"), in percentage
  points for a percentage ("+3 pp"), and "nieuw in 2022" where the earlier period had data but
  nothing of the figure (0, or a percentage of nothing), never an infinite %;
- a wijk's share is over the city built the same way (the sum of the 25 wijken); the fiche of
  one or two wijken (wijk_sheet, wijk_fiche) gives each wijk its value, share and change.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from einclusie.figures import publication
from einclusie.figures.db import (
    NoDataError,
    current_version,
    data_dir_or_default,
    database,
    read_sql,
)
from einclusie.figures.disclosure import (
    PUBLISHED,
    percentage_allowed,
    protect_linked,
    protect_table,
)
from einclusie.figures.publication import HIDDEN_COLUMN, PublicSelectionError, YearVerdict
from einclusie.figures.registry import (
    CITY_WIDE_NOTE,
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
    "WijkFiche",
    "by_wijk",
    "compare",
    "figure_values",
    "headline_kpis",
    "kpi_values",
    "per_period",
    "require_data",
    "resolve_wijken",
    "wijk_fiche",
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
    hidden: str = ""  # public view: '<5' or '×' where the value is protected (value is None)

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
        if self.hidden:
            return self.hidden
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
    now_label: str = ""  # '2022', or the date range: 'nieuw in 2022'

    @property
    def change(self) -> int | None:
        if self.before is None or self.now.value is None or self.before.value is None:
            return None
        return self.now.value - self.before.value

    @property
    def is_new(self) -> bool:
        """The earlier period has data, but nothing of this figure (0, or a percentage of
        nothing), and now it has some: a change in % would be infinite or meaningless."""
        return (
            self.before is not None
            and self.now.applies
            and not self.before.hidden  # a hidden count is not nothing
            and not self.before.value
            and bool(self.now.value)
        )

    @property
    def change_percent(self) -> float | None:
        """The change in % of the earlier value; None without a change, when the earlier
        value was nothing (is_new) or when the figure is a percentage (its change is in
        percentage points)."""
        change = self.change
        if change is None or self.before is None or not self.before.value:
            return None
        if self.now.figure.unit is Unit.PERCENTAGE:
            return None
        return 100 * change / self.before.value

    def change_text(self) -> str:
        """'+1.234 (+11,6 %)', '-12 (-0,4 %)', '0', '+3 pp' for a percentage, 'nieuw in 2022'
        when the earlier period had nothing of it; empty without a change."""
        if self.is_new:
            return f"nieuw in {self.now_label}" if self.now_label else "nieuw"
        change = self.change
        if change is None:
            return ""
        absolute = _signed(change)
        if self.now.figure.unit is Unit.PERCENTAGE:
            return f"{absolute} pp"
        percent = self.change_percent
        if change == 0 or percent is None:
            return absolute
        sign = "+" if change > 0 else "-"
        return f"{absolute} ({sign}{format_number(abs(percent), 1)} %)"

    def against(self) -> str:
        """'t.o.v. 2021' beside a change; empty where the change text stands alone (none,
        or 'nieuw in 2022')."""
        if self.change is None or self.is_new:
            return ""
        return f"t.o.v. {self.before_label}"

    def text(self) -> str:
        """'+1.234 (+11,6 %) t.o.v. 2021', 'nieuw in 2022', or 'geen gegevens voor 2020'."""
        if self.before is None:
            return f"geen gegevens voor {self.before_label}"
        change = self.change_text()
        against = self.against()
        return f"{change} {against}" if change and against else change

    def missing_text(self) -> str:
        """What the earlier total lacked: 'in 2021 nog zonder: <label>' ('' when nothing)."""
        if not self.missing or self.before is None:
            return ""
        return f"in {self.before_label} nog zonder: {'; '.join(self.missing)} (geen gegevens)"


def _signed(number: int) -> str:
    """'+1.234', '-12', '0'."""
    return f"{'+' if number > 0 else ''}{format_number(number)}"


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
    if publication.threshold():
        result = [_published_value(selection, v, sums, data_dir) for v in result]
    return result


# --- the public view: small-number protection on the one path -----------------------------
# Under publication.public(threshold) every number leaves this module only where that year's
# protected tables publish it (year_verdict); elsewhere its value is None and `hidden` says
# '<5' or '×'. The public view asks whole years, for heel Gent or one wijk: any other
# selection would publish tables (and differences between them) the protection never saw.

OUTSIDE_WIJKEN = "(voor heel Gent)"  # the W table's column of a figure's city-wide facts
YEAR_END = "jaareinde"  # the M table's column of a stock: its level on 31/12


def _public_selection(selection: Selection) -> None:
    if not selection.is_year or selection.programmes or len(selection.wijken) > 1:
        raise PublicSelectionError(
            "De publieke cijfers gelden voor een heel jaar, voor heel Gent of één wijk, "
            "zonder keuze van programma's."
        )


def _published_value(
    selection: Selection, value: FigureValue, sums: dict[str, int], data_dir: Path | None
) -> FigureValue:
    if not value.applies or (value.value is None and not value.figure.share_of):
        return value
    _public_selection(selection)
    verdict = year_verdict(selection.start.year, data_dir)
    item = value.figure
    if item.share_of is not None:
        # A % beside its published whole gives its part away, and no part of a % is in the
        # protected tables: the public view shows none.
        status = publication.SECONDARY
    else:
        status = _status(verdict, selection, item.key)
    if status == PUBLISHED:
        return replace(value, parts=None)
    return replace(value, value=None, parts=None, hidden=verdict.mark(status))


def _status(verdict: YearVerdict, selection: Selection, key: str) -> str | None:
    if selection.wijken:
        return verdict.wijk.get((key, selection.wijken[0]))
    return verdict.gent.get(key)


def year_verdict(year: int, data_dir: Path | None = None) -> YearVerdict:
    """What the public may see of `year` at the threshold in force (see publication.py)."""
    base = data_dir_or_default(data_dir)
    return _year_verdict(str(base), str(current_version(base)), year, publication.threshold())


@functools.lru_cache(maxsize=32)
def _year_verdict(data_dir: str, version: str, year: int, threshold: int) -> YearVerdict:
    """Protect the year's published tables and note each number's status. Per headline group
    (a total and its parts, or one figure): parts x wijken and parts x months, linked (they
    share each part's year value and the group's total); then the help requests per age
    group and vraagtype as tables of their own (locations are not published)."""
    folder = Path(data_dir)
    with publication.unprotected():
        verdict = YearVerdict(threshold)
        city = Selection.year(year)
        for total, keys in _headline_groups():
            _protect_group(verdict, city, total, keys, folder, threshold)
        _protect_help_request_splits(verdict, city, folder, threshold)
    return verdict


def _headline_groups() -> list[tuple[str | None, tuple[str, ...]]]:
    """(total, its parts) for each headline total, (None, (key,)) for a headline KPI alone."""
    totals = [k for k in HEADLINE_KEYS if FIGURES[k].parts]
    in_a_total = {p for k in totals for p in FIGURES[k].parts}
    alone = [k for k in HEADLINE_KEYS if k not in totals and k not in in_a_total]
    return [(k, FIGURES[k].parts) for k in totals] + [(None, (k,)) for k in alone]


def _protect_group(
    verdict: YearVerdict,
    city: Selection,
    total: str | None,
    keys: tuple[str, ...],
    data_dir: Path,
    threshold: int,
) -> None:
    gent = {v.key: int(v.value or 0) for v in figure_values(city, list(keys), data_dir)}
    wijk_names: list[str] = []
    rows = {}
    for key in keys:
        if FIGURES[key].per_wijk is WijkSplit.NO:
            rows[key] = {}
        else:
            spread = by_wijk(city, key, data_dir)
            wijk_names = list(spread["wijk"])
            rows[key] = dict(zip(spread["wijk"], spread["waarde"].astype(int), strict=True))
    wijk_table = pd.DataFrame(
        [[rows[k].get(w, 0) for w in wijk_names] + [gent[k] - sum(rows[k].values())] for k in keys],
        index=pd.Index(keys, name="figuur"),
        columns=pd.Index([*wijk_names, OUTSIDE_WIJKEN], name="wijk"),
    )
    months = pd.date_range(city.start, city.end, freq="MS").date.tolist()
    month_rows = []
    for key in keys:
        if FIGURES[key].kind is Kind.FLOW:
            series = per_period(city, [key], "month", data_dir)
            got = dict(zip(pd.to_datetime(series["maand"]).dt.date, series["waarde"], strict=True))
            month_rows.append([int(got.get(m, 0)) for m in months] + [float("nan")])
        else:  # a level has no sum over the months: only its year-end value is in this table
            month_rows.append([float("nan")] * len(months) + [gent[key]])
    month_table = pd.DataFrame(
        month_rows,
        index=pd.Index(keys, name="figuur"),
        columns=pd.Index([*months, YEAR_END], name="maand"),
    )
    whole = None
    if total is not None:
        whole = int(figure_values(city, [total], data_dir)[0].value or 0)
    if (wijk_table < 0).any().any() or (whole is not None and whole != sum(gent.values())):
        return  # the numbers do not add up as the tables assume: publish none of them
    try:
        protected = protect_linked({"wijk": wijk_table, "maand": month_table}, threshold)
    except ValueError:  # the tables disagree (a month sum is not the year): publish none
        return
    by_place, by_month = protected["wijk"], protected["maand"]
    if not (by_place.safe and by_month.safe):
        return  # the marks alone would give a small count away: publish none of them
    for key in keys:
        verdict.gent[key] = by_place.row_status[key]
        verdict.outside_wijken[key] = by_place.status.loc[key, OUTSIDE_WIJKEN]
        for wijk in wijk_names:
            verdict.wijk[(key, wijk)] = by_place.status.loc[key, wijk]
        if FIGURES[key].kind is Kind.FLOW:
            for month in months:
                verdict.month[(key, month)] = by_month.status.loc[key, month]
    if total is not None:
        verdict.gent[total] = by_place.total_status
        verdict.outside_wijken[total] = by_place.column_status[OUTSIDE_WIJKEN]
        for wijk in wijk_names:
            verdict.wijk[(total, wijk)] = by_place.column_status[wijk]
        if all(FIGURES[k].kind is Kind.FLOW for k in keys):
            for month in months:
                verdict.month[(total, month)] = by_month.column_status[month]


HELP_REQUEST_FACTS = ("help_requests_digipunten", "help_requests_at_home")
KANAAL_FIGURES = {"Digipunt": "help_requests_digipunten", "Aan huis": "help_requests_at_home"}


CATEGORY_SPLITS = ("kanaal", "vraagtype", "leeftijdsgroep")


def help_request_categories(
    selection: Selection, kanalen: Sequence[str], data_dir: Path | None = None
) -> pd.DataFrame:
    """indeling, categorie, aantal: the Digipunten's facts (kanaal in `kanalen`) per kanaal,
    vraagtype and leeftijdsgroep, every category of the loaded suite in its order; one scan
    for the three (three scans took three times as long at 100x)."""
    db = database(data_dir)
    known = {
        f"{dimension}_categories": db.execute(
            read_sql("queries/categories.sql"), {"bron": "digipunten", "kolom": dimension}
        )["waarde"].tolist()
        for dimension in CATEGORY_SPLITS
    }
    return db.execute(
        read_sql("queries/help_requests_by_categories.sql"),
        {**params(selection, data_dir), **known, "kanalen": list(kanalen)},
    )


def _protect_help_request_splits(
    verdict: YearVerdict, city: Selection, data_dir: Path, threshold: int
) -> None:
    """The Digipunten's facts (on site and at home) per vraagtype and age group.
    Their total is the two parts' sum: only when both are published are these tables (else
    every cell is hidden: the total would give a hidden part away)."""
    for kanaal, key in KANAAL_FIGURES.items():
        verdict.category[("kanaal", kanaal)] = verdict.gent.get(key, publication.SECONDARY)
    open_ = all(verdict.gent.get(k) == PUBLISHED for k in HELP_REQUEST_FACTS)
    splits = help_request_categories(city, list(KANAAL_FIGURES), data_dir)
    for dimension in ("vraagtype", "leeftijdsgroep"):
        counts = splits[splits["indeling"] == dimension]
        series = pd.Series(
            counts["aantal"].astype(int).to_numpy(),
            index=pd.Index(counts["categorie"].astype(str), name=dimension),
        )
        try:
            split = protect_table(series, threshold)
        except ValueError:  # e.g. a category twice: publish none of it
            split = None
        statuses = split.status.iloc[0] if open_ and split is not None and split.safe else None
        for category in series.index:
            status = statuses[category] if statuses is not None else publication.SECONDARY
            verdict.category[(dimension, category)] = status
    # No locations: a wijk's locations add up to its Digipunten and at-home counts, which the
    # headline tables protect on their own, so a location could give a hidden one away. They
    # stay out of the public view until they are protected in one system with those tables.


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
    return _compare_each(selection, [selection.wijken], keys, data_dir)[0]


def _compare_each(
    selection: Selection,
    wijk_sets: Sequence[tuple[str, ...]],
    keys: Sequence[str],
    data_dir: Path | None,
) -> list[list[Comparison]]:
    """compare() for the selection under each set of wijken; which figures have data in a
    period does not depend on the wijken, so it is asked once."""
    earlier = selection.previous()
    asked = list(dict.fromkeys([*keys, *(p for k in keys for p in FIGURES[k].parts)]))
    with_data = _covered(earlier, asked, data_dir)
    with_data_now = _covered(selection, asked, data_dir)
    result = []
    for wijken in wijk_sets:
        now = figure_values(replace(selection, wijken=wijken), keys, data_dir)
        before = figure_values(replace(earlier, wijken=wijken), keys, data_dir)
        comparisons = []
        for this, that in zip(now, before, strict=True):
            # A part with data now and none then: the earlier total lacked it.
            missing = tuple(
                FIGURES[part].label
                for part in this.figure.parts
                if with_data_now.get(part) and not with_data.get(part)
            )
            earlier_value = that if with_data.get(this.key) and that.applies else None
            comparisons.append(
                Comparison(
                    this, earlier_value, earlier.period_label(), missing, selection.period_label()
                )
            )
        result.append(comparisons)
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
    frame = frame.assign(soort=frame["figuur"].map(kinds))
    if publication.threshold():
        frame = _published_months(selection, frame, grain, data_dir)
    return frame


def hide_numbers(frame: pd.DataFrame, column: str, marks: list[str]) -> pd.DataFrame:
    """`column` emptied where a mark ('<5', '×') is given, the marks in HIDDEN_COLUMN."""
    hidden = pd.Series(marks, index=frame.index, dtype=object)
    values = frame[column].astype("Float64").where(hidden == "").astype("Int64")
    return frame.assign(**{column: values, HIDDEN_COLUMN: hidden})


def _published_months(
    selection: Selection, frame: pd.DataFrame, grain: str, data_dir: Path | None
) -> pd.DataFrame:
    _public_selection(selection)
    if selection.wijken or grain != "month":
        raise PublicSelectionError("De publieke cijfers per maand gelden voor heel Gent.")
    verdict = year_verdict(selection.start.year, data_dir)
    months = pd.to_datetime(frame["maand"]).dt.date
    marks = [
        verdict.mark(verdict.month.get((key, month)))
        for key, month in zip(frame["figuur"], months, strict=True)
    ]
    return hide_numbers(frame, "waarde", marks)


def yearly(selection: Selection, keys: Sequence[str], data_dir: Path | None = None) -> pd.DataFrame:
    """Columns figuur, jaar, waarde: each figure's value for every year with data (the period
    is ignored, its wijken and programmes apply), exactly as that year's cards count it."""
    rows = []
    for year in data_years(data_dir):
        one = replace(selection, start=Selection.year(year).start, end=Selection.year(year).end)
        for value in figure_values(one, keys, data_dir):
            if value.value is not None or value.hidden:
                rows.append(
                    {"figuur": value.key, "jaar": year, "waarde": value.value, "mark": value.hidden}
                )
    frame = pd.DataFrame(rows, columns=["figuur", "jaar", "waarde", "mark"]).astype(
        {"jaar": "int32", "waarde": "Int64"}
    )
    if publication.threshold():  # the years' hidden values stay, empty, with their mark
        return hide_numbers(frame.drop(columns="mark"), "waarde", list(frame["mark"]))
    return frame.drop(columns="mark").astype({"waarde": "int64"})


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
    columns = ["wijknr", "wijk", "waarde", "aandeel"]
    columns += [HIDDEN_COLUMN] if HIDDEN_COLUMN in spread else []
    return spread[columns].reset_index(drop=True)


def _spread(selection: Selection, keys: Sequence[str], data_dir: Path | None) -> pd.DataFrame:
    """figure_by_wijk.sql: figuur, wijknr, wijk, waarde, gent (their sum), aandeel."""
    spread = database(data_dir).execute(
        read_sql("queries/figure_by_wijk.sql"), {**_period(selection), "keys": list(keys)}
    )
    if publication.threshold():
        spread = _published_spread(selection.city(), spread, data_dir)
    return spread


def _published_spread(
    selection: Selection, spread: pd.DataFrame, data_dir: Path | None
) -> pd.DataFrame:
    """Each wijk's value where published; the 25 wijken together where the city-wide rest
    is; a share only of a published value over a published sum that is no small number."""
    _public_selection(selection)
    verdict = year_verdict(selection.start.year, data_dir)
    marks = [
        verdict.mark(verdict.wijk.get((key, wijk)))
        for key, wijk in zip(spread["figuur"], spread["wijk"], strict=True)
    ]
    together = [verdict.together(key) == PUBLISHED for key in spread["figuur"]]
    shared = [
        mark == "" and known and percentage_allowed(whole, verdict.threshold)
        for mark, known, whole in zip(marks, together, spread["gent"], strict=True)
    ]
    spread = spread.assign(
        gent=spread["gent"].astype("Float64").where(together).astype("Int64"),
        aandeel=spread["aandeel"].astype("Float64").where(shared),
    )
    return hide_numbers(spread, "waarde", marks)


WIJKEN_TOGETHER = "25 wijken samen"
CITY = "Heel Gent"
# The fiche on screen: a group of columns per wijk and one for the city, short headers.
VALUE, SHARE, TOGETHER, CITY_COLUMN = "Aantal", "Aandeel", "25 wijken", "heel Gent"
CITY_GROUP = "Gent"
CITY_WIDE_CELL = "heel Gent"  # a wijk's cell for a city-wide figure (the note says why)
NO_DATA_CELL = "geen gegevens"  # a change against an earlier period without data


def share_column(wijk: str) -> str:
    """The fiche's column of a wijk's share (a file's header): 'Aandeel Ledeberg (%)'."""
    return f"Aandeel {wijk} (%)"


def change_column(wijk: str, before_label: str, percent: bool = False) -> str:
    """The fiche's column of a wijk's change (a file's header): 'Ledeberg t.o.v. 2021',
    'Ledeberg t.o.v. 2021 (%)'."""
    return f"{wijk} t.o.v. {before_label}{' (%)' if percent else ''}"


@dataclass(frozen=True)
class WijkFiche:
    """The fact sheet of one or two wijken (see wijk_sheet): the numbers for files, and the
    same sheet as the screen shows it, with the explanation of its headers and the notes that
    follow it (each once, naming its figures)."""

    numbers: pd.DataFrame
    # Every cell as text ('1.234', '4,9 %', '+12 (+1,0 %)', 'heel Gent'); two header levels:
    # ('', 'Kerncijfer'), per wijk (<wijk>, 'Aantal' | 'Aandeel' | 't.o.v. 2021'), then
    # ('Gent', '25 wijken' | 'heel Gent'); beside two wijken '25 wijken' is in files only.
    table: pd.DataFrame
    helps: dict[str, str]  # a header of the second level -> its explanation on hover
    notes: tuple[str, ...]


def wijk_sheet(
    selection: Selection,
    wijken: str | Sequence[str],
    keys: Sequence[str] = HEADLINE_KEYS,
    data_dir: Path | None = None,
) -> pd.DataFrame:
    """The fact sheet of one or more wijken beside the city, as numbers: columns Kerncijfer;
    per wijk <wijk>, 'Aandeel <wijk> (%)', '<wijk> t.o.v. <earlier period>' and the same
    '(%)'; then '25 wijken samen', 'Heel Gent', Opmerking.

    The share is the wijk's part of the 25 wijken together (the city built the same way as the
    wijk: without city-wide facts), so the shares of all wijken add up to 100 %; 'Heel Gent'
    is the figure as its card shows it. The change is against the same period a year earlier
    (see compare): empty where that has no data; its % is empty where the earlier value was
    nothing or the figure is a percentage (then the change is in percentage points). A
    city-wide figure has no value for a wijk or the wijken: empty cells, and the note says why.
    """
    return _fiche(selection, wijken, keys, data_dir).numbers


def wijk_fiche(
    selection: Selection,
    wijken: str | Sequence[str],
    keys: Sequence[str] = HEADLINE_KEYS,
    data_dir: Path | None = None,
) -> WijkFiche:
    """wijk_sheet's numbers and the same sheet as the screen shows it, from one set of queries."""
    return _fiche(selection, wijken, keys, data_dir)


def _fiche(
    selection: Selection,
    wijken: str | Sequence[str],
    keys: Sequence[str],
    data_dir: Path | None,
) -> WijkFiche:
    asked = [wijken] if isinstance(wijken, str) else list(wijken)
    names = list(dict.fromkeys(resolve_wijken(asked, data_dir)))
    if not names:
        raise UnknownWijkError("Kies minstens één wijk voor de fiche.")
    keys = check_keys(list(keys))
    city = figure_values(selection.city(), keys, data_dir)
    each = _compare_each(selection, [(w,) for w in names], keys, data_dir)
    changes = dict(zip(names, each, strict=True))
    before_label = selection.previous().period_label()
    shared = {
        c.now.key
        for w in names
        for c in changes[w]
        if c.now.applies and c.now.value is not None and c.now.figure.unit is not Unit.PERCENTAGE
    }
    # One query for every figure a wijk shares: each wijk's row among the 25 and their sum.
    spread = _spread(selection, [k for k in keys if k in shared], data_dir).set_index(
        ["figuur", "wijk"]
    )
    labels = [FIGURES[k].label for k in keys]
    numbers: dict[str, list[object]] = {"Kerncijfer": list(labels)}
    shown: dict[tuple[str, str], list[str]] = {("", "Kerncijfer"): list(labels)}
    # A date range's earlier period is long for a header: its help names it.
    against = f"t.o.v. {before_label}" if selection.is_year else "t.o.v. vorig jaar"
    for wijk in names:
        shares = [
            _share(spread, c.now.key, wijk) if c.now.key in shared else None for c in changes[wijk]
        ]
        percents = [c.change_percent for c in changes[wijk]]
        numbers |= {
            wijk: [c.now.value for c in changes[wijk]],
            share_column(wijk): shares,
            change_column(wijk, before_label): [c.change for c in changes[wijk]],
            change_column(wijk, before_label, percent=True): [
                None if p is None else round(p, 1) for p in percents
            ],
        }
        shown |= {
            (wijk, VALUE): [_value_cell(c.now) for c in changes[wijk]],
            (wijk, SHARE): [f"{format_number(v, 1)} %" if v is not None else "–" for v in shares],
            (wijk, against): [_change_cell(c, selection.is_year) for c in changes[wijk]],
        }
    together = [
        _count(spread["gent"].get((key, names[0]), 0)) if key in shared else None for key in keys
    ]
    numbers |= {WIJKEN_TOGETHER: together, CITY: [v.value for v in city]}
    if len(names) == 1:  # beside two wijken it would not fit a screen: files hold it
        shown[(CITY_GROUP, TOGETHER)] = [
            format_number(v) if v is not None else "–" for v in together
        ]
    shown[(CITY_GROUP, CITY_COLUMN)] = [v.shown() if v.applies else "–" for v in city]
    # The notes belong to the figure (the same for every wijk): why a wijk has no or a partial
    # value, and which parts the earlier total lacked.
    remarks = [[c.now.note, _missing_note(c)] for c in changes[names[0]]]
    numbers["Opmerking"] = ["; ".join(r for r in pair if r) for pair in remarks]
    frame = pd.DataFrame(numbers).astype(
        {
            **{w: "Int64" for w in names},
            **{share_column(w): "Float64" for w in names},
            **{change_column(w, before_label): "Int64" for w in names},
            **{change_column(w, before_label, percent=True): "Float64" for w in names},
            WIJKEN_TOGETHER: "Int64",
            CITY: "Int64",
        }
    )
    grouped: dict[str, list[str]] = {}  # the wijk notes first, then the earlier totals'
    for position in (0, 1):
        for label, pair in zip(labels, remarks, strict=True):
            if pair[position]:
                grouped.setdefault(pair[position], []).append(label)
    notes = tuple(f"{r[:1].upper()}{r[1:]}: {'; '.join(ls)}." for r, ls in grouped.items())
    table = pd.DataFrame(shown)
    table.columns = pd.MultiIndex.from_tuples(list(shown))
    helps = {
        SHARE: "Het aandeel van de wijk in de 25 wijken samen: die aandelen tellen op tot 100 %.",
        against: f"Het verschil met {before_label}, een jaar eerder, en in % van dat cijfer.",
        TOGETHER: "De 25 wijken samen, zonder wat voor heel Gent telt: daarover gaat het aandeel.",
        CITY_COLUMN: "Het cijfer voor heel Gent, zoals op het Overzicht.",
    }
    return WijkFiche(frame, table, helps, notes)


def _count(value: object) -> int | None:
    """A number of a frame as an int; None where it is empty (hidden in the public view)."""
    return None if value is None or pd.isna(value) else int(value)


def _share(spread: pd.DataFrame, key: str, wijk: str) -> float | None:
    """A wijk's share (%) of the 25 wijken together, one decimal; None over nothing."""
    share = spread["aandeel"].get((key, wijk))
    return None if share is None or pd.isna(share) else round(float(share), 1)


def _value_cell(value: FigureValue) -> str:
    """A wijk's value on the fiche: '1.234', CITY_WIDE_CELL for a city-wide figure, '–'."""
    if not value.applies:
        return CITY_WIDE_CELL if value.note == CITY_WIDE_NOTE else "–"
    return value.shown()


def _change_cell(comparison: Comparison, year: bool) -> str:
    """A wijk's change on the fiche: '+12 (+1,0 %)', 'nieuw in 2022' ('nieuw' in a date
    range: its header says against what), NO_DATA_CELL, '–'."""
    if not comparison.now.applies:
        return "–"
    if comparison.before is None:
        return NO_DATA_CELL
    if comparison.is_new and not year:
        return "nieuw"
    return comparison.change_text() or "–"


def _missing_note(comparison: Comparison) -> str:
    """'het totaal van 2021 is nog zonder <parts> (geen gegevens)', or ''."""
    if not comparison.missing or comparison.before is None:
        return ""
    parts = "; ".join(comparison.missing)
    return f"het totaal van {comparison.before_label} is nog zonder {parts} (geen gegevens)"
