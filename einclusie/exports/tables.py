"""Files users download: CSV and Excel workbooks that Dutch Excel opens as it should.

Every tabular download carries the same preamble above its table, in CSV and in each sheet of a
workbook alike (row numbers as Excel counts them, see `table_header_row`):

    row 1        the title
    rows 2..     one row per filter: label, value   ("Periode", "2022")
    next row     the source line                    ("Bron: e-inclusie Gent · gegevens t.e.m. …")
    next row     empty
    next row     the table's header, then its rows

Without a context the table starts in row 1. Text that a spreadsheet could take for a formula is
neutralised everywhere (OWASP "CSV injection"): see `neutralise`.

In a workbook numbers are number cells shown with the reader's separators ('#,##0': 11.877 in
Dutch Excel), dates are date cells (dd/mm/yyyy; a column 'maand' of first days as 'sep 2022'),
and a `Percentage` is a fraction (0.513) in a percentage cell (51,3 %).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import math
import numbers
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from einclusie.figures.selection import Selection
from einclusie.format import format_date, format_number, slug

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not for a CSV
    from openpyxl.worksheet.worksheet import Worksheet

# OWASP: a cell starting with one of these may be run as a formula; prefix a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SOURCE_NAME = "e-inclusie Gent"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Excel number formats; Excel shows them with the reader's separators (11.877 / 12,5 in Dutch).
XLSX_INTEGER = "#,##0"
XLSX_PLAIN_INTEGER = "0"  # years, postcodes, ids: 2022, not 2.022
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"
# A month: Dutch month names ('sep 2022', 'okt 2022') whatever the language of the reader's
# Excel ([$-813] is the locale Dutch (Belgium)).
XLSX_MONTH = "[$-813]mmm yyyy"
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767
MAX_FILE_NAME_WIJKEN = 3  # more selected wijken are named by their number: "5-wijken"


def neutralise(value: object) -> object:
    """'=SUM(A1)' -> "'=SUM(A1)": text a spreadsheet could run as a formula gets a leading quote.

    Only text is touched: numbers (also negative ones), dates and missing values stay as they
    are, and so does text with =, +, -, @, tab or carriage return anywhere but at the start.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with `neutralise` applied to every text cell and to the column names."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            categories = [neutralise(category) for category in dtype.categories]
            if len(set(categories)) == len(categories):
                out.isetitem(position, column.cat.rename_categories(categories))
            else:  # 'x and "'x" both present: the categories would collide
                out.isetitem(position, column.astype(object).map(neutralise, na_action="ignore"))
        elif pd.api.types.is_object_dtype(dtype):
            # Built by hand: map() would infer a dtype and turn Percentages into plain floats.
            values = np.empty(len(column), dtype=object)
            for row, value in enumerate(column.tolist()):
                values[row] = neutralise(value)
            out.isetitem(position, pd.Series(values, index=column.index, name=column.name))
        elif isinstance(dtype, pd.StringDtype):
            out.isetitem(position, column.map(neutralise, na_action="ignore").astype(dtype))
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(neutralise(part) for part in name) for name in out.columns]
        )
    else:
        out.columns = [neutralise(name) for name in out.columns]
    return out


class Percentage(float):
    """A share as a fraction (0.513 for 51,3 %): a workbook writes it as a percentage cell with
    `decimals` decimals ('0.0%'), a CSV as '51,3%'. Keep such values in a column of dtype
    object: pandas turns a column of floats into plain floats."""

    decimals: int

    def __new__(cls, fraction: float, decimals: int = 1) -> Percentage:
        made = super().__new__(cls, fraction)
        made.decimals = decimals
        return made

    def __reduce__(self) -> tuple:
        return (Percentage, (float(self), self.decimals))

    def number_format(self) -> str:
        """'0%', '0.0%', '0.00%': Excel shows it with the reader's decimal sign."""
        return "0" + ("." + "0" * self.decimals if self.decimals else "") + "%"

    def text(self) -> str:
        """'51,3%', as Dutch Excel reads a percentage from a CSV."""
        return format_number(100 * float(self), self.decimals) + "%"


# --- What the download shows above its table --------------------------------------------------


@dataclass(frozen=True)
class ExportContext:
    """Title, filters and source written above the table of every tabular download."""

    title: str
    filters: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    def preamble(self) -> list[list[str]]:
        """The rows above the table's header, the empty row included, neutralised."""
        rows = [[self.title], *([label, value] for label, value in self.filters), [self.source]]
        return [[neutralise(cell) for cell in row] for row in rows] + [[]]


def source_line(newest_date: dt.date | None) -> str:
    """'Bron: e-inclusie Gent · gegevens t.e.m. 31/12/2022' ('t.e.m. –' without data)."""
    newest = format_date(newest_date) if newest_date is not None else "–"
    return f"Bron: {SOURCE_NAME} · gegevens t.e.m. {newest}"


def context_for(title: str, selection: Selection, newest_date: dt.date | None) -> ExportContext:
    """The context of a download for `selection`: its period, wijken and programmes."""
    return ExportContext(
        title=title,
        filters=[
            ("Periode", selection.period_label()),
            ("Wijken", selection.wijk_label()),
            ("Programma's", selection.programme_label()),
        ],
        source=source_line(newest_date),
    )


def table_header_row(context: ExportContext | None) -> int:
    """The row (1-based, as Excel counts) of the table's header in a CSV or sheet with `context`.

    1 without a context; with the three filters of `context_for` it is 7.
    """
    return 1 if context is None else len(context.preamble()) + 1


# --- CSV ----------------------------------------------------------------------------------------


def csv_bytes(frame: pd.DataFrame, context: ExportContext | None = None) -> bytes:
    """`;`-separated, decimal comma, dates dd/mm/yyyy, UTF-8 with BOM: what Dutch Excel expects.

    With a context, its title, filters and source come first (see the module doc). Text is
    neutralised; a value holding `;`, a quote or a line break is quoted.
    """
    buffer = io.StringIO(newline="")
    if context is not None:
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerows(context.preamble())
    _csv_frame(frame).to_csv(
        buffer,
        sep=";",
        index=False,
        decimal=",",
        date_format=DATE_FORMAT,
        lineterminator="\r\n",
    )
    return buffer.getvalue().encode("utf-8-sig")


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralised, with what `to_csv` would write the English way already written as text."""
    out = neutralise_frame(frame)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            if _has_times(column):
                out.isetitem(position, column.dt.strftime(DATETIME_FORMAT))
        elif isinstance(column.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(
            column.dtype
        ):
            out.isetitem(position, column.astype(object).map(_csv_text, na_action="ignore"))
    return out


def _has_times(column: pd.Series) -> bool:
    values = column.dropna()
    return bool((values != values.dt.normalize()).any())


def _csv_text(value: object) -> object:
    """Dates, datetimes and floats inside text columns, written as Dutch readers write them."""
    if isinstance(value, Percentage):
        return value.text()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.strftime(DATE_FORMAT if value.time() == dt.time() else DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float | np.floating | decimal.Decimal):
        return str(value).replace(".", ",")
    return value


# --- Excel --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sheet:
    """One sheet of a workbook: its (wished) name, its table and what to write above it."""

    name: str
    frame: pd.DataFrame
    context: ExportContext | None = None


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One workbook with a sheet per `Sheet`: preamble, then the table with a bold header.

    Numbers stay numbers (ints as ints, floats as floats), dates are date cells shown
    dd/mm/yyyy, text is neutralised. Sheet names are made valid and unique for Excel
    (`sheet_names`); the panes are frozen below the header.
    """
    from openpyxl import Workbook

    if not sheets:
        raise ValueError("Een werkmap heeft minstens één blad nodig.")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, name in zip(sheets, sheet_names([s.name for s in sheets]), strict=True):
        _write_sheet(workbook.create_sheet(name), sheet.frame, sheet.context)
    first = sheets[0].context
    workbook.properties.title = first.title if first is not None else sheets[0].name
    workbook.properties.creator = SOURCE_NAME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes_for(frame: pd.DataFrame, context: ExportContext | None = None) -> bytes:
    """A workbook of one sheet, named after the context's title ('Gegevens' without one)."""
    return xlsx_bytes([Sheet(context.title if context else "Gegevens", frame, context)])


def sheet_names(wished: Sequence[str]) -> list[str]:
    """Valid, unique Excel sheet names: at most 31 characters, none of []:*?/\\, no quote at
    either end, unique regardless of case ('Blad (2)' after a second 'Blad').

    A name that fits is kept as it is (give a workbook's sheets short names of their own); a
    longer one is shortened on purpose, at a word and marked: 'Digipunten cijfers per…'.
    """
    names: list[str] = []
    taken: set[str] = set()
    for name in wished:
        base = _valid_sheet_name(name)
        candidate, number = base, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = _shortened(base, f" ({number})")
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _valid_sheet_name(name: str) -> str:
    text = str(name).replace("[", "(").replace("]", ")")
    text = re.sub(r"[:*?/\\]", " ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip(" '")
    if not text or text.casefold() == "history":  # Excel reserves 'History'
        text = f"Gegevens {text}".strip()
    return _shortened(text)


def _shortened(text: str, suffix: str = "") -> str:
    """`text` + `suffix` in at most 31 characters: whole words, '…' where words were left out."""
    if len(text) + len(suffix) <= MAX_SHEET_NAME:
        return text + suffix
    room = MAX_SHEET_NAME - len(suffix) - 1  # the '…'
    cut = text[: room + 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut[1:] else cut[:room]
    return words[:room].rstrip(" ,;.'-–") + "…" + suffix


def _write_sheet(ws: Worksheet, frame: pd.DataFrame, context: ExportContext | None) -> None:
    from openpyxl.styles import Border, Font, Side
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    if context is not None:
        for row in context.preamble():
            ws.append([_xlsx_value(cell) for cell in row])
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        source_row = len(context.preamble()) - 1
        ws.cell(row=source_row, column=1).font = Font(italic=True, color="595959")
        for offset, (label, _value) in enumerate(context.filters):
            ws.cell(row=2 + offset, column=1).font = Font(bold=True)
            widths[1] = max(widths.get(1, 0), _text_width(neutralise(label)))

    header_row = table_header_row(context)
    names = [" / ".join(map(str, name)) if isinstance(name, tuple) else name for name in frame]
    under = Border(bottom=Side(style="thin"))
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=header_row, column=col, value=_xlsx_value(neutralise(name)))
        cell.font = Font(bold=True)
        cell.border = under
        widths[col] = max(widths.get(col, 0), _text_width(cell.value) + 2)  # + filter button

    for col in range(1, frame.shape[1] + 1):
        column = frame.iloc[:, col - 1]
        plain = _plain_integers(names[col - 1])
        decimals = _decimals(column)
        months = _is_month_column(names[col - 1], column)
        for row, value in enumerate(column.tolist(), start=header_row + 1):
            cell_value = _xlsx_value(value)
            if cell_value is None:
                continue
            cell = ws.cell(row=row, column=col, value=cell_value)
            if isinstance(value, Percentage):
                cell.number_format = value.number_format()
                width = len(value.text()) + 1
            elif months and isinstance(cell_value, dt.date):
                cell.number_format = XLSX_MONTH
                width = 9
            else:
                cell.number_format = _number_format(cell_value, plain, decimals)
                width = _display_width(cell_value, plain, decimals)
            widths[col] = max(widths.get(col, 0), width)

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    if frame.shape[1]:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        last = ws.cell(row=header_row + len(frame), column=frame.shape[1])
        ws.auto_filter.ref = f"A{header_row}:{last.coordinate}"


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return not math.isfinite(value)  # NaN; Excel has no infinity either
    return isinstance(value, np.datetime64) and np.isnat(value)


def _xlsx_value(value: object) -> object:
    """A cell value openpyxl writes as the right kind of cell: number, date, bool or text."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | decimal.Decimal):
        number = float(value)  # a Percentage too: its fraction, formatted by _write_sheet
        return number if math.isfinite(number) else None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: the local time as shown
    if isinstance(value, dt.date | dt.time):
        return value
    return _xlsx_text(str(value))


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))
    return text[:MAX_CELL_TEXT]


def _is_month_column(header: object, column: pd.Series) -> bool:
    """A column 'maand' of dates that are all first days: months, shown as 'sep 2022'."""
    if "maand" not in slug(str(header)).split("-"):
        return False
    days = [_xlsx_value(v) for v in column.tolist()]
    days = [d for d in days if d is not None]
    return bool(days) and all(
        isinstance(d, dt.date)
        and d.day == 1
        and (not isinstance(d, dt.datetime) or d.time() == dt.time())
        for d in days
    )


def _plain_integers(header: object) -> bool:
    """Whole numbers that are names rather than amounts: a year, a postcode, an id."""
    words = slug(str(header)).split("-")
    return any("jaar" in word or "year" in word for word in words) or bool(
        {"id", "nr", "nummer", "code", "postcode"} & set(words)
    )


def _decimals(column: pd.Series) -> int:
    """Decimals to show for the floats of `column`: as few as show them exactly, at most 2."""
    floats = [
        float(v)
        for v in column.tolist()
        if isinstance(v, float | np.floating | decimal.Decimal)
        and not isinstance(v, Percentage)
        and not _is_missing(v)
    ]
    for decimals in (0, 1):
        if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-9 for v in floats):
            return decimals
    return 2


def _number_format(value: object, plain: bool, decimals: int) -> str:
    if isinstance(value, bool):
        return "General"
    if isinstance(value, int):
        return XLSX_PLAIN_INTEGER if plain else XLSX_INTEGER
    if isinstance(value, float):
        return XLSX_INTEGER + ("." + "0" * decimals if decimals else "")
    if isinstance(value, dt.datetime):
        return XLSX_DATE if value.time() == dt.time() else XLSX_DATETIME
    if isinstance(value, dt.date):
        return XLSX_DATE
    return "General"


def _display_width(value: object, plain: bool, decimals: int) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(str(value)) if plain else len(f"{value:,}")
    if isinstance(value, float):
        return len(f"{value:,.{decimals}f}")
    if isinstance(value, dt.datetime):
        return 10 if value.time() == dt.time() else 16
    if isinstance(value, dt.date):
        return 10
    return _text_width(value)


def _text_width(value: object) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


# --- File names ---------------------------------------------------------------------------------


def export_file_name(kpi: str, selection: Selection, ext: str) -> str:
    """'<kpi>_<period>_<wijken>.<ext>', ASCII without spaces, e.g.
    'hulpvragen-per-maand_2022_gent.csv' or
    'hulpvragen_2022-03-01-tot-2022-06-30_ledeberg-en-nieuw-gent-uz.xlsx'.

    The period is the year, or ISO dates (so names sort); the wijken are 'gent' for the whole
    city, the slugs of up to three wijken (sorted) joined by '-en-', else '<n>-wijken'. The
    programme filter is not in the name: it is written inside the file.
    """
    extension = ext.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]+", extension):
        raise ValueError(f"Ongeldige extensie: {ext!r}")
    name = slug(kpi)
    if len(name) > 80:  # keep whole names well below the file systems' 255
        name = name[:80].rsplit("-", 1)[0]
    if selection.is_year:
        period = str(selection.start.year)
    else:
        period = f"{selection.start.isoformat()}-tot-{selection.end.isoformat()}"
    wijken = sorted({slug(wijk) for wijk in selection.wijken})
    if not wijken:
        place = "gent"
    elif len(wijken) <= MAX_FILE_NAME_WIJKEN:
        place = "-en-".join(wijken)
    else:
        place = f"{len(wijken)}-wijken"
    return f"{name}_{period}_{place}.{extension}"
