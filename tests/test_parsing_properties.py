"""Property-based tests of date and count parsing (the same SQL a load runs), and of reading a
file's rows."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from etl import reading
from etl.normalise import parse_values
from etl.sources import Kind

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _dutch(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@settings(max_examples=100, deadline=None)
@given(st.lists(dates, min_size=1, max_size=20), st.sampled_from(" \t"))
def test_every_allowed_date_format_reads_back_the_same_day(days: list[dt.date], pad: str):
    for fmt in ("{d:%d/%m/%Y}", "{d:%d-%m-%Y}", "{d.day}/{d.month}/{d.year}", "{d:%Y-%m-%d}"):
        texts = [pad + fmt.format(d=d) + pad for d in days]
        assert parse_values(Kind.DATE, texts) == days


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_two_digit_year_or_a_swapped_order_is_not_a_date(day: dt.date):
    texts = [f"{day:%d/%m/%y}", f"{day:%Y/%m/%d}", f"{day:%m.%d.%Y}", f"{day:%d %m %Y}"]
    assert parse_values(Kind.DATE, texts) == [None] * len(texts)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12))
def test_any_text_parses_to_a_date_or_to_nothing_without_error(text: str):
    [value] = parse_values(Kind.DATE, [text])
    assert value is None or isinstance(value, dt.date)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=20))
def test_counts_read_back_with_or_without_thousands_separator(numbers: list[int]):
    assert parse_values(Kind.COUNT, [str(n) for n in numbers]) == numbers
    assert parse_values(Kind.COUNT, [_dutch(n) for n in numbers]) == numbers


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_decimals_units_and_misplaced_separators_are_not_counts(n: int, fraction: int):
    texts = [f"{n},{fraction}", f"{_dutch(n)},{fraction}", f"{n} stuks", f"{n}e3"]
    assert parse_values(Kind.COUNT, texts) == [None] * len(texts)
    assert parse_values(Kind.COUNT, ["1.2345", "12.34", ".123", "1..234", "1.234."]) == [None] * 5


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12))
def test_any_text_parses_to_a_whole_number_or_to_nothing(text: str):
    [value] = parse_values(Kind.COUNT, [text])
    visible = text.translate(dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])).strip()
    assert value is None or (isinstance(value, int) and visible.lstrip("-")[:1].isdigit())


# Field text, delimiters and line ends, white space as str.strip sees it among them.
_UNQUOTED = st.lists(
    st.sampled_from([*"ab1é ;,\t\xa0\x1c\u2003", "\n", "\r\n", "\r"]), max_size=120
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_UNQUOTED, st.integers(min_value=1, max_value=5))
def test_a_file_without_quotes_reads_line_by_line_as_the_csv_module_reads_it(text: str, width: int):
    """Rows, row numbers, blank rows skipped and malformed rows named: the same both ways."""
    body = text.encode("utf-8")
    keep = {i: f"kolom{i}" for i in range(0, width, 2)}
    by_line = reading._parse_unquoted(body, ";", width, keep)
    by_record = reading._parse_records(body, ";", width, keep)
    assert by_line is not None
    assert by_line[0].equals(by_record[0]), (by_line[0].to_pydict(), by_record[0].to_pydict())
    assert by_line[1] == by_record[1]
