"""Downloads: CSV and Excel as Dutch Excel reads them, with their filters, safe from formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from einclusie.exports.tables import (
    ExportContext,
    Percentage,
    Sheet,
    context_for,
    csv_bytes,
    export_file_name,
    neutralise,
    neutralise_frame,
    sheet_names,
    source_line,
    table_header_row,
    xlsx_bytes,
    xlsx_bytes_for,
)
from einclusie.figures.selection import Selection

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]
HARMLESS = ["Bib De Krook", "Digipunt Ledeberg - Centrum", "info@gent.be", "a=b+c", "'quoted"]
CONTEXT = ExportContext(
    title="Hulpvragen per locatie",
    filters=[("Periode", "2022"), ("Wijken", "heel Gent"), ("Programma's", "alle programma's")],
    source="Bron: e-inclusie Gent · gegevens t.e.m. 31/12/2022",
)
FILE_NAME = re.compile(r"^[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.(png|svg|pdf|csv|xlsx)$")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def sheet_rows(ws) -> list[tuple]:
    return [tuple(cell.value for cell in row) for row in ws.iter_rows()]


# --- Neutralising ------------------------------------------------------------------------------


@pytest.mark.parametrize("start", DANGEROUS)
def test_text_starting_like_a_formula_gets_a_quote(start: str):
    assert neutralise(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", [*HARMLESS, "", -5, -2.5, 0, None, dt.date(2022, 1, 1)])
def test_numbers_and_ordinary_text_stay_as_they_are(value: object):
    assert neutralise(value) == value
    assert type(neutralise(value)) is type(value)


def test_a_frame_is_neutralised_in_text_columns_and_headers_only():
    frame = pd.DataFrame(
        {
            "=kolom": ["=1+1", "gewoon", None],
            "obj": pd.Series(["@x", 3, dt.date(2022, 1, 1)], dtype=object),
            "cat": pd.Categorical(["-a", "b", "-a"]),
            "getal": [-1, 2, -3],
            "kommagetal": [-1.5, np.nan, 2.0],
        }
    )
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=kolom", "obj", "cat", "getal", "kommagetal"]
    assert out["'=kolom"].tolist()[:2] == ["'=1+1", "gewoon"]
    assert pd.isna(out["'=kolom"].iloc[2])
    assert out["'=kolom"].dtype == frame["=kolom"].dtype  # pandas 3: still the str dtype
    assert out["obj"].tolist() == ["'@x", 3, dt.date(2022, 1, 1)]
    assert out["cat"].tolist() == ["'-a", "b", "'-a"]
    assert out["getal"].tolist() == [-1, 2, -3]
    assert out["kommagetal"].dtype == np.float64
    assert frame.columns[0] == "=kolom"  # the original is untouched


# --- CSV -----------------------------------------------------------------------------------------


def locations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "locatie": ["Bib De Krook", "Digipunt; Ledeberg", "Twee\nregels", 'Zeg "hallo"'],
            "aantal": [11877, 1234, -5, 0],
            "aandeel": [12.5, 0.25, -3.0, np.nan],
            "datum": pd.to_datetime(["2022-12-31", "2022-01-05", "2022-03-01", None]),
            "dag": [dt.date(2022, 2, 1), dt.date(2022, 2, 2), None, dt.date(2022, 2, 4)],
        }
    )


def test_csv_without_context_is_the_plain_table():
    data = csv_bytes(pd.DataFrame({"wijk": ["Ledeberg"], "aandeel": [12.5], "aantal": [1234]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["wijk;aandeel;aantal", "Ledeberg;12,5;1234"]
    assert table_header_row(None) == 1


def test_csv_has_title_filters_and_source_then_the_table():
    rows = csv_rows(csv_bytes(locations(), CONTEXT))
    assert rows[:6] == [
        ["Hulpvragen per locatie"],
        ["Periode", "2022"],
        ["Wijken", "heel Gent"],
        ["Programma's", "alle programma's"],
        ["Bron: e-inclusie Gent · gegevens t.e.m. 31/12/2022"],
        [],
    ]
    header = table_header_row(CONTEXT)
    assert header == 7
    assert rows[header - 1] == ["locatie", "aantal", "aandeel", "datum", "dag"]
    assert rows[header:] == [
        ["Bib De Krook", "11877", "12,5", "31/12/2022", "01/02/2022"],
        ["Digipunt; Ledeberg", "1234", "0,25", "05/01/2022", "02/02/2022"],
        ["Twee\nregels", "-5", "-3,0", "01/03/2022", ""],
        ['Zeg "hallo"', "0", "", "", "04/02/2022"],
    ]


def test_csv_quotes_separators_quotes_and_line_breaks():
    text = csv_bytes(locations()).decode("utf-8-sig")
    assert '"Digipunt; Ledeberg";1234' in text
    assert '"Twee\nregels"' in text
    assert '"Zeg ""hallo"""' in text


def test_csv_writes_times_only_when_there_are_some():
    moments = [dt.datetime(2022, 12, 31, 14, 5), dt.datetime(2022, 1, 1)]
    frame = pd.DataFrame({"moment": pd.to_datetime(moments)})
    assert csv_rows(csv_bytes(frame))[1:] == [["31/12/2022 14:05"], ["01/01/2022 00:00"]]


@pytest.mark.parametrize("start", DANGEROUS)
def test_csv_neutralises_names_headers_and_filters(start: str):
    frame = pd.DataFrame(
        {
            f"{start}kolom": [f"{start}cmd|' /C calc'!A0", "Bib De Krook"],
            "organisatie": [f'{start}HYPERLINK("http://x")', "a=b"],
            "aantal": [-5, 3],
        }
    )
    context = ExportContext(
        title=f"{start}titel", filters=[("Wijken", f"{start}wijk")], source=f"{start}bron"
    )
    rows = csv_rows(csv_bytes(frame, context))
    assert rows[0] == [f"'{start}titel"]
    assert rows[1] == ["Wijken", f"'{start}wijk"]
    assert rows[2] == [f"'{start}bron"]
    header = table_header_row(context) - 1
    assert rows[header] == [f"'{start}kolom", "organisatie", "aantal"]
    assert rows[header + 1] == [
        f"'{start}cmd|' /C calc'!A0",
        f'\'{start}HYPERLINK("http://x")',
        "-5",
    ]
    assert rows[header + 2] == ["Bib De Krook", "a=b", "3"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(tuple(DANGEROUS)) or cell.lstrip("-").isdigit()


# --- Excel ---------------------------------------------------------------------------------------


def test_xlsx_has_title_filters_source_and_a_typed_table():
    wb = workbook(xlsx_bytes_for(locations(), CONTEXT))
    assert wb.sheetnames == ["Hulpvragen per locatie"]
    ws = wb.active
    assert ws["A1"].value == "Hulpvragen per locatie"
    assert ws["A1"].font.b
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in (2, 3, 4)] == CONTEXT.filters
    assert ws["A5"].value == CONTEXT.source
    assert ws["A6"].value is None

    header = table_header_row(CONTEXT)
    assert sheet_rows(ws)[header - 1] == ("locatie", "aantal", "aandeel", "datum", "dag")
    assert all(ws.cell(header, c).font.b for c in range(1, 6))
    assert ws.freeze_panes == f"A{header + 1}"

    first = [ws.cell(header + 1, c) for c in range(1, 6)]
    assert first[0].value == "Bib De Krook"
    assert first[1].value == 11877 and type(first[1].value) is int
    assert first[1].data_type == "n" and first[1].number_format == "#,##0"
    assert first[2].value == 12.5 and type(first[2].value) is float
    assert first[2].number_format == "#,##0.00"  # 0,25 needs two decimals
    assert first[3].is_date and first[3].value == dt.datetime(2022, 12, 31)
    assert first[3].number_format == "dd/mm/yyyy"
    assert first[4].is_date and first[4].value == dt.datetime(2022, 2, 1)

    values = sheet_rows(ws)[header:]
    assert [row[1] for row in values] == [11877, 1234, -5, 0]
    assert [row[2] for row in values] == [12.5, 0.25, -3.0, None]  # NaN: an empty cell
    assert values[1][0] == "Digipunt; Ledeberg"
    assert values[2][0] == "Twee\nregels"
    assert values[3][3] is None


def test_xlsx_number_formats_follow_the_column():
    frame = pd.DataFrame(
        {"jaar": [2022, 2023], "aantal": [11877, 5], "aandeel": [51.3, 2.0], "heel": [1.0, 2.0]}
    )
    ws = workbook(xlsx_bytes_for(frame)).active
    assert ws.title == "Gegevens"
    assert table_header_row(None) == 1
    assert [ws.cell(2, c).number_format for c in range(1, 5)] == [
        "0",  # a year is no amount: 2022, not 2.022
        "#,##0",
        "#,##0.0",
        "#,##0",
    ]
    assert [ws.cell(2, c).value for c in range(1, 5)] == [2022, 11877, 51.3, 1.0]
    assert ws.column_dimensions["A"].width >= 8


@pytest.mark.parametrize("start", DANGEROUS)
def test_xlsx_neutralises_names_headers_and_filters(start: str):
    frame = pd.DataFrame(
        {
            f"{start}locatie": [f"{start}1+1", "Bib De Krook", "a-b@c"],
            "organisatie": [f"{start}cmd", "Vzw Jong", "x=y"],
            "saldo": [-5, -1, 0],
        }
    )
    context = ExportContext(
        title="Locaties", filters=[("Wijken", f"{start}wijk"), (f"{start}label", "x")]
    )
    ws = workbook(xlsx_bytes_for(frame, context)).active
    # XML reads a bare carriage return back as a line feed; what matters is the quote before it
    read = start.replace("\r", "\n")
    assert ws["B2"].value == f"'{read}wijk"
    assert ws["A3"].value == f"'{read}label"
    header = table_header_row(context)
    assert sheet_rows(ws)[header - 1 :] == [
        (f"'{read}locatie", "organisatie", "saldo"),
        (f"'{read}1+1", f"'{read}cmd", -5),
        ("Bib De Krook", "Vzw Jong", -1),
        ("a-b@c", "x=y", 0),
    ]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_xlsx_sheet_names_are_valid_and_unique():
    long = "Digipunten: cijfers per onderdeel [2022]"
    frames = [pd.DataFrame({"a": [i]}) for i in range(4)]
    data = xlsx_bytes(
        [
            Sheet(long, frames[0], ExportContext(title=long)),
            Sheet(long, frames[1], ExportContext(title=long)),
            Sheet("a/b\\c?d*e", frames[2], None),
            Sheet("'", frames[3], None),
        ]
    )
    wb = workbook(data)
    names = wb.sheetnames
    assert len(names) == 4 and len({n.casefold() for n in names}) == 4
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
    # Shortened on purpose: whole words and a mark, never a word cut in half.
    assert names[0] == "Digipunten cijfers per…"
    assert names[1] == "Digipunten cijfers per… (2)"
    assert wb[names[0]]["A1"].value == long  # the full title is still in the sheet
    assert [wb[n].cell(table_header_row(None) + 1, 1).value for n in names[2:]] == [2, 3]


def test_sheet_names_that_fit_are_kept_and_long_ones_end_at_a_word():
    fits = "Allemaal Digitaal per onderdeel"  # 31 characters: kept as it is
    long = "Hulpvragen, geschonken en uitgeleende toestellen en vorming per maand, 2022"
    assert sheet_names([fits, long, "Eénwoordzonderspatiesdatveeltelangis"]) == [
        fits,
        "Hulpvragen, geschonken en…",
        "Eénwoordzonderspatiesdatveelte…",  # one word: cut, at 31 with the mark
    ]
    assert all(len(n) <= 31 for n in sheet_names([long] * 12))


def test_xlsx_writes_months_as_dutch_month_cells_and_percentages_as_fractions():
    frame = pd.DataFrame(
        {
            "Maand": pd.to_datetime(["2022-01-01", "2022-09-01"]),
            "aantal": [851, 1568],
            "Verschil in %": pd.Series([Percentage(0.513), Percentage(-0.0412, 2)], dtype=object),
            "datum": pd.to_datetime(["2022-01-01", "2022-09-15"]),  # not a month column
        }
    )
    ws = workbook(xlsx_bytes_for(frame)).active
    month, count, share, day = (ws.cell(2, c) for c in range(1, 5))
    assert month.is_date and month.value == dt.datetime(2022, 1, 1)
    assert month.number_format == "[$-813]mmm yyyy"  # 'jan 2022' in any language of Excel
    assert ws.cell(3, 1).value == dt.datetime(2022, 9, 1)
    assert count.value == 851 and count.number_format == "#,##0"
    assert share.value == pytest.approx(0.513) and share.number_format == "0.0%"
    assert ws.cell(3, 3).value == pytest.approx(-0.0412) and ws.cell(3, 3).number_format == "0.00%"
    assert day.is_date and day.number_format == "dd/mm/yyyy"
    rows = csv_rows(csv_bytes(frame))
    assert rows[1:] == [
        ["01/01/2022", "851", "51,3%", "01/01/2022"],
        ["01/09/2022", "1568", "-4,12%", "15/09/2022"],
    ]


def test_sheet_names_are_unique_regardless_of_case():
    assert sheet_names(["Blad", "blad", "BLAD", "History"]) == [
        "Blad",
        "blad (2)",
        "BLAD (3)",
        "Gegevens History",
    ]


def test_xlsx_survives_control_characters_and_odd_values():
    frame = pd.DataFrame(
        {
            "tekst": ["a\x01b", "\x02=1+1", None],
            "gemengd": pd.Series([np.int64(3), 2.5, "x"], dtype=object),
            "waar": [True, False, True],
            "oneindig": [np.inf, 1.5, -np.inf],
        }
    )
    ws = workbook(xlsx_bytes_for(frame)).active
    assert sheet_rows(ws)[1:] == [
        ("ab", 3, True, None),
        ("'=1+1", 2.5, False, 1.5),
        (None, "x", True, None),
    ]


def test_an_empty_workbook_is_refused_and_an_empty_table_still_writes():
    with pytest.raises(ValueError):
        xlsx_bytes([])
    ws = workbook(xlsx_bytes_for(pd.DataFrame({"wijk": []}), CONTEXT)).active
    assert ws.cell(table_header_row(CONTEXT), 1).value == "wijk"


# --- Context and file names ----------------------------------------------------------------------


def test_context_for_a_selection():
    selection = Selection(
        dt.date(2022, 3, 1), dt.date(2022, 6, 30), ("Ledeberg",), ("Digipunten", "Vorming")
    )
    context = context_for("Hulpvragen per maand", selection, dt.date(2022, 12, 31))
    assert context == ExportContext(
        title="Hulpvragen per maand",
        filters=[
            ("Periode", "01/03/2022 – 30/06/2022"),
            ("Wijken", "Ledeberg"),
            ("Programma's", "Digipunten, Vorming"),
        ],
        source="Bron: e-inclusie Gent · gegevens t.e.m. 31/12/2022",
    )
    city = context_for("x", Selection.year(2022), None)
    assert city.filters == [
        ("Periode", "2022"),
        ("Wijken", "heel Gent"),
        ("Programma's", "alle programma's"),
    ]
    assert city.source == source_line(None) == "Bron: e-inclusie Gent · gegevens t.e.m. –"
    assert table_header_row(city) == 7


RANGE = (dt.date(2022, 3, 1), dt.date(2022, 6, 30))
WIJKEN = ("Ledeberg", "Nieuw Gent - UZ", "Sint-Amandsberg", "Gentbrugge", "Oostakker")


@pytest.mark.parametrize(
    ("kpi", "selection", "ext", "expected"),
    [
        ("Hulpvragen per maand", Selection.year(2022), "csv", "hulpvragen-per-maand_2022_gent.csv"),
        (
            "Hulpvragen per maand",
            Selection(*RANGE, ("Nieuw Gent - UZ",)),
            "xlsx",
            "hulpvragen-per-maand_2022-03-01-tot-2022-06-30_nieuw-gent-uz.xlsx",
        ),
        (
            "Bereik",
            Selection.year(2022, ("Sint-Amandsberg", "Ledeberg")),
            ".PNG",
            "bereik_2022_ledeberg-en-sint-amandsberg.png",
        ),
        ("Bereik", Selection.year(2022, WIJKEN), "svg", "bereik_2022_5-wijken.svg"),
        (
            "Vorming – Burgers per programma",
            Selection.year(2021, (), ("Vorming",)),
            "pdf",
            "vorming-burgers-per-programma_2021_gent.pdf",
        ),
        ("Één: ça va?", Selection.year(2022, WIJKEN[:3]), "csv", None),
    ],
)
def test_export_file_names(kpi: str, selection: Selection, ext: str, expected: str | None):
    name = export_file_name(kpi, selection, ext)
    assert FILE_NAME.match(name), name
    assert name.isascii() and " " not in name
    if expected is not None:
        assert name == expected


def test_file_names_of_date_ranges_sort_by_date():
    names = [
        export_file_name("x", Selection(dt.date(2022, m, 1), dt.date(2022, m, 28)), "csv")
        for m in (11, 2, 9)
    ]
    assert sorted(names) == [names[1], names[2], names[0]]


def test_file_name_extension_must_be_plain():
    with pytest.raises(ValueError):
        export_file_name("x", Selection.year(2022), "c sv")
