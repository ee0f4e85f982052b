"""Read one raw export as the contract allows: detect encoding and delimiter, normalise headers.

The fast path is pyarrow's multi-threaded CSV reader; a file with malformed rows (a wrong
number of fields) is read again with Python's csv module, which can name each bad row.
Row numbers are the ones a user sees when opening the file in Excel: the header is row 1.
"""

from __future__ import annotations

import collections
import csv
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.sources import PERSONAL_DATA_COLUMNS, Source, normalise_header

ROW_COLUMN = "_rij"
_CONTROL_CHARS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\r\n"


class RefusedFile(Exception):
    """The file cannot be read as the contract's CSV; the message is for a programme manager."""


class Malformed(NamedTuple):
    """A row whose number of fields differs from the header's: quarantined whole."""

    row: int  # as Excel numbers it
    reason: str
    values: dict[str, str]  # the source's columns that can still be read safely (see below)


@dataclass
class RawExport:
    """One export file, read: string columns of the known fields plus the Excel row number."""

    encoding: str
    delimiter: str
    table: pa.Table  # the source's columns present in the file (strings) and ROW_COLUMN
    rows_read: int  # data rows that were not entirely empty, malformed ones included
    malformed: list[Malformed] = field(default_factory=list)
    dropped_personal: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


_LONE_CR = re.compile(rb"\r(?!\n)")


def to_utf8(data: bytes) -> tuple[bytes, str]:
    """Return (UTF-8 bytes without BOM, LF or CRLF line ends, encoding label) for UTF-8,
    UTF-8 with BOM or Windows-1252 input, or refuse the file saying why it is not a text export.

    A file that mixes the two (rows pasted from another export) keeps its UTF-8 characters
    and reads the other bytes as Windows-1252, so neither becomes 'CafÃ©'. Old Mac Excel ends
    lines with CR only: those become LF."""
    if not data.strip():
        raise RefusedFile("het bestand is leeg")
    if data.startswith(b"PK\x03\x04"):
        raise RefusedFile(
            "dit is een Excel-werkmap of zip-bestand, geen CSV; "
            "bewaar het in Excel als 'CSV (gescheiden door lijstscheidingsteken)'"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RefusedFile(
            "de tekencodering UTF-16 wordt niet ondersteund; bewaar het bestand als CSV UTF-8"
        )
    if b"\x00" in data[:65536]:
        raise RefusedFile("dit is geen tekstbestand (het bevat binaire gegevens)")
    if data.translate(None, _TEXT_BYTES):  # anything left is a control character
        bad = _CONTROL_CHARS.search(data)
        assert bad is not None
        raise RefusedFile(
            "dit is geen leesbaar tekstbestand (het bevat stuurtekens, "
            f"bv. code {bad.group()[0]} op positie {bad.start()})"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data, label = data[3:], "UTF-8 met BOM"
    else:
        label = "UTF-8"
    if _LONE_CR.search(data):
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        data.decode("utf-8")
        return data, label
    except UnicodeDecodeError:
        pass
    # Bytes that are not UTF-8 become lone surrogates (C speed); any other non-ASCII
    # character is a real UTF-8 one, and then the file mixes both.
    text = data.decode("utf-8", errors="surrogateescape")
    try:
        if label == "UTF-8" and not _REAL_NON_ASCII.search(text):
            return data.decode("cp1252").encode("utf-8"), "Windows-1252"  # plain Windows-1252
        text = _ESCAPED_BYTE.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252"), text)
    except UnicodeDecodeError:
        bad = _UNDEFINED_CP1252.search(data)
        where = f" op positie {bad.start()}" if bad else ""
        raise RefusedFile(
            "de tekencodering is niet herkend (verwacht UTF-8 of Windows-1252); "
            f"onleesbaar teken{where}"
        ) from None
    return text.encode("utf-8"), "UTF-8 en Windows-1252 gemengd"


_UNDEFINED_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # bytes Windows-1252 leaves empty
_REAL_NON_ASCII = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def csv_problem(exc: csv.Error) -> str:
    """What Python's csv module found wrong, in Dutch."""
    text = str(exc)
    if "unexpected end of data" in text or "EOF" in text:
        return "een aanhalingsteken wordt niet gesloten"
    if "new-line character" in text:
        return "een regeleinde midden in een veld zonder aanhalingstekens"
    if "expected" in text and "after" in text:
        return "tekst na een gesloten aanhalingsteken"
    if "NUL" in text or "null byte" in text:
        return "een NUL-teken"
    return "de velden zijn niet te scheiden"


def sniff_delimiter(header_line: str) -> str:
    """The contract allows `;` (Dutch Excel) and `,`; the header tells which one is used."""
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def read_export(data: bytes, source: Source, required: set[str]) -> RawExport:
    """Read a file's bytes as an export of `source`, or raise RefusedFile saying why not.

    `required` names the columns that must be present (from the source's expectation suite).
    """
    utf8, encoding = to_utf8(data)
    end_of_header = utf8.find(b"\n")
    end_of_header = len(utf8) if end_of_header < 0 else end_of_header
    first_line = utf8[:end_of_header].decode("utf-8").rstrip("\r")
    delimiter = sniff_delimiter(first_line)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise RefusedFile(f"de kopregel (rij 1) is geen geldige CSV ({csv_problem(exc)})") from None
    names = [normalise_header(h) for h in header]
    counts = collections.Counter(n for n in names if n)
    duplicates = sorted(n for n, count in counts.items() if count > 1)
    if duplicates:
        raise RefusedFile(f"de kolom '{duplicates[0]}' komt meer dan eens voor in de kopregel")

    missing = sorted(required - counts.keys())
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "geen"
        word = "kolom" if len(missing) == 1 else "kolommen"
        raise RefusedFile(
            f"verplichte {word} {', '.join(repr(m) for m in missing)} ontbreekt "
            f"(gevonden kolommen: {found}; scheidingsteken '{delimiter}')"
        )
    keep = {i: n for i, n in enumerate(names) if n in source.columns}
    personal = [header[i].strip() for i, n in enumerate(names) if n in PERSONAL_DATA_COLUMNS]
    ignored = [
        header[i].strip()
        for i, n in enumerate(names)
        if n not in source.columns and n not in PERSONAL_DATA_COLUMNS and n
    ]

    body = utf8[end_of_header + 1 :]
    table, malformed = _parse_body(body, delimiter, len(names), keep)
    rows_read = table.num_rows + len(malformed)
    return RawExport(encoding, delimiter, table, rows_read, malformed, personal, ignored)


def _parse_body(
    body: bytes, delimiter: str, width: int, keep: dict[int, str]
) -> tuple[pa.Table, list[Malformed]]:
    """Parse the data rows; keep only the columns in `keep` (index -> normalised name)."""
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    column_names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=column_names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in column_names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        invalid.append(None)  # e.g. an unclosed quote: let the exact reader say where
    if not invalid:
        table = table.append_column(
            ROW_COLUMN, pa.array(np.arange(2, table.num_rows + 2, dtype=np.int32))
        )
        table = _drop_empty_rows(table)
        kept = table.select([f"c{i}" for i in keep] + [ROW_COLUMN])
        return kept.rename_columns([*keep.values(), ROW_COLUMN]), []
    return _parse_body_exactly(body, delimiter, width, keep)


def _parse_body_exactly(
    body: bytes, delimiter: str, width: int, keep: dict[int, str]
) -> tuple[pa.Table, list[Malformed]]:
    """Slow path for files with malformed rows: names every row whose field count is wrong.
    A row's number counts the records (a quoted line break stays in its row), as Excel does."""
    if b'"' not in body and b"\0" not in body:
        parsed = _parse_unquoted(body, delimiter, width, keep)
        if parsed is not None:
            return parsed
    return _parse_records(body, delimiter, width, keep)


def _parse_unquoted(
    body: bytes, delimiter: str, width: int, keep: dict[int, str]
) -> tuple[pa.Table, list[Malformed]] | None:
    """`_parse_records` for a body without quotes, where a record is a line and its fields
    are the line split at the delimiter: the rows are sorted out line by line, and Arrow
    parses the good ones (row by row in Python, a month's export at 100x took 0,3 s more).
    None when Arrow does not read back as many rows (never expected: the exact path then)."""
    separator = delimiter.encode()
    lines = body.splitlines()  # \n, \r\n and \r, as the csv module ends a record
    good: list[bytes] = []
    row_numbers: list[int] = []
    malformed: list[Malformed] = []
    for row_number, line in enumerate(lines, start=2):
        if _is_blank(line, separator):
            continue
        if line.count(separator) + 1 == width:
            good.append(line)
            row_numbers.append(row_number)
        else:
            fields = line.decode("utf-8").split(delimiter)
            reason = f"de rij heeft {len(fields)} velden, de kopregel heeft er {width}"
            malformed.append(Malformed(row_number, reason, readable_fields(fields, width, keep)))
    names = [f"c{i}" for i in range(width)]
    if good:
        table = pacsv.read_csv(
            io.BytesIO(b"\n".join(good)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names}, strings_can_be_null=False
            ),
        )
        if table.num_rows != len(good):
            return None
        columns = {n: table[f"c{i}"] for i, n in keep.items()}
    else:
        columns = {n: pa.array([], pa.string()) for n in keep.values()}
    columns[ROW_COLUMN] = pa.array(row_numbers, pa.int32())
    return pa.table(columns), malformed


def _is_blank(line: bytes, separator: bytes) -> bool:
    """Whether every field of the line is empty or white space (as str.strip sees it)."""
    rest = line.replace(separator, b"").strip()
    if not rest:
        return True
    if rest[:1].isalnum():  # most rows: the id comes first
        return False
    return not rest.decode("utf-8").strip()


def _parse_records(
    body: bytes, delimiter: str, width: int, keep: dict[int, str]
) -> tuple[pa.Table, list[Malformed]]:
    """`_parse_body_exactly` with the csv module, record by record (quoted fields may hold
    the delimiter or a line break)."""
    columns: dict[str, list[str]] = {n: [] for n in keep.values()}
    row_numbers: list[int] = []
    malformed: list[Malformed] = []
    csv.field_size_limit(max(len(body), 131072))  # a field may be as long as the file allows
    text = io.StringIO(body.decode("utf-8"), newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    row_number = 1
    try:
        for fields in reader:
            row_number += 1
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != width:
                reason = f"de rij heeft {len(fields)} velden, de kopregel heeft er {width}"
                values = readable_fields(fields, width, keep)
                malformed.append(Malformed(row_number, reason, values))
                continue
            for i, name in keep.items():
                columns[name].append(fields[i])
            row_numbers.append(row_number)
    except csv.Error as exc:
        raise RefusedFile(
            f"het bestand is geen geldige CSV rond rij {row_number + 1} ({csv_problem(exc)}); "
            "controleer de aanhalingstekens"
        ) from None
    arrays = {n: pa.array(v, pa.string()) for n, v in columns.items()}
    arrays[ROW_COLUMN] = pa.array(row_numbers, pa.int32())
    return pa.table(arrays), malformed


def readable_fields(fields: list[str], width: int, keep: dict[int, str]) -> dict[str, str]:
    """The values of a malformed row that can be read safely, by column name.

    A row with `e` fields too many has a delimiter inside some field, so its field at position
    p holds part of a header column between p - e and p; a row with `d` too few lacks a
    delimiter, so its field p holds columns p to p + d. A field is kept only when every column
    it may come from is one of the source's own (`keep`): nothing of a personal or unknown
    column can end up on screen. The id, first in the contract's exports, is usually kept.
    """
    extra, missing = max(len(fields) - width, 0), max(width - len(fields), 0)
    return {
        name: fields[p]
        for p, name in keep.items()
        if p < len(fields)
        and all(q in keep for q in range(max(p - extra, 0), min(p + missing, width - 1) + 1))
    }


def _drop_empty_rows(table: pa.Table) -> pa.Table:
    """Rows that are entirely empty (every field empty) are ignored, as the contract says.

    Column by column, only the rows that are still empty are looked at: a file of 80.000
    columns whose first column is filled costs one column, not 80.000.
    """
    columns = [name for name in table.column_names if name != ROW_COLUMN]
    empty = pa.array(np.arange(table.num_rows if columns else 0, dtype=np.int64))
    for name in columns:
        if len(empty) == 0:
            break
        lengths = pc.fill_null(pc.binary_length(table[name].take(empty)), 0)
        empty = pc.filter(empty, pc.equal(lengths, 0))  # the rows still empty
    if len(empty) == 0:
        return table
    keep = np.ones(table.num_rows, dtype=bool)
    keep[empty.to_numpy()] = False
    return table.filter(pa.array(keep))
