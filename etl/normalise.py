"""Turn the string columns of one source's exports into typed, canonical values (in DuckDB).

Dates in the four allowed formats become DATE; counts (with Dutch thousands separators) become
BIGINT; enumerated values get their canonical spelling from the suite's value sets; locations
resolve through the register to a locatie_id and a wijk. A value that cannot be parsed becomes
NULL here and is reported by the suite, with the original value kept beside it for the message.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.reading import ROW_COLUMN
from etl.sources import Kind, Source
from etl.validation import SuiteError

FILE_COLUMN = "_bestand"
ORDER_COLUMN = "_volgorde"
POSITION_COLUMN = "_n"
ID_CODE = "_id_code"  # a number per distinct id, for grouping without comparing strings
ID_KEY = "_id_sleutel"  # a number per id regardless of case: what a re-sent export replaces
ID_PER_FILE = "id_per_bestand"  # what "the same id twice inside one file" is checked on

_DATE_SQL = """CASE
    WHEN regexp_full_match({v}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}') THEN try_strptime({v}, '%d/%m/%Y')
    WHEN regexp_full_match({v}, '\\d{{1,2}}-\\d{{1,2}}-\\d{{4}}') THEN try_strptime({v}, '%d-%m-%Y')
    WHEN regexp_full_match({v}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') THEN try_strptime({v}, '%Y-%m-%d')
  END::DATE"""
# A number of more than 18 digits does not fit BIGINT: it is held at +-10^18, still a number,
# so the suite's bound (at most 100.000 in one row) reports it with the value as written.
_DIGITS_SQL = """CASE WHEN length(ltrim({n}, '-')) <= 18 THEN try_cast({n} AS BIGINT)
        WHEN {n} LIKE '-%' THEN -1000000000000000000 ELSE 1000000000000000000 END"""
_COUNT_SQL = f"""CASE
    WHEN regexp_full_match({{v}}, '-?\\d+') THEN {_DIGITS_SQL.format(n="{v}")}
    WHEN regexp_full_match({{v}}, '-?\\d{{{{1,3}}}}(\\.\\d{{{{3}}}})+')
        THEN {_DIGITS_SQL.format(n="replace({v}, '.', '')")}
  END"""


# Unicode spaces (no-break, narrow, ideographic, ...) are spaces; zero-width characters and a
# stray BOM are nothing. Accents are composed (NFC): macOS writes "É" as "E" + accent.
SPACES = r"[\p{Zs}]"
INVISIBLE = r"[\x{200B}-\x{200D}\x{2060}\x{FEFF}]"
TRIM = " \t\r\n"


def _text(column: str) -> str:
    """The text as it is meant: composed accents, every space a space, nothing invisible."""
    composed = f"nfc_normalize({column})"
    spaced = f"regexp_replace({composed}, '{SPACES}', ' ', 'g')"
    return f"regexp_replace({spaced}, '{INVISIBLE}', '', 'g')"


def _trimmed(column: str) -> str:
    """Surrounding spaces (and tabs or stray line breaks) never matter."""
    return f"trim({_text(column)}, ' ' || chr(9) || chr(10) || chr(13))"


_INVISIBLE_PY = re.compile("[\u200b-\u200d\u2060\ufeff]")


def clean_value(text: str) -> str:
    """`_trimmed` for one Python string (the reference data)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    return _INVISIBLE_PY.sub("", text).strip(TRIM)


def clean_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`_trimmed` in Arrow, for columns with a value per row (ids): fast when all is ASCII."""
    if values.null_count < len(values) and not pc.all(pc.string_is_ascii(values)).as_py():
        values = pc.utf8_normalize(values, "NFC")
        values = pc.replace_substring_regex(values, SPACES, " ")
        values = pc.replace_substring_regex(values, INVISIBLE, "")
    return pc.utf8_trim(values, TRIM)


def _cleaned(column: str) -> str:
    """An empty value is a missing value."""
    return f"nullif({_trimmed(column)}, '')"


def canonical_values(suite_json: dict) -> pd.DataFrame:
    """(kolom, sleutel, waarde): lower-cased spelling -> canonical spelling, from the value sets."""
    rows = []
    for expectation in suite_json.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        if expectation.get("type") == "expect_column_values_to_be_in_set":
            for value in kwargs.get("value_set", []):
                rows.append((kwargs["column"], str(value).strip().lower(), str(value)))
    return pd.DataFrame(rows, columns=["kolom", "sleutel", "waarde"]).drop_duplicates(
        ["kolom", "sleutel"]
    )


def normalise(
    con: duckdb.DuckDBPyConnection, source: Source, raw: pa.Table, canonical: pd.DataFrame
) -> pa.Table:
    """Return one row per raw row, in the same order: typed columns and location fields.

    `raw` holds the source's columns as strings plus `_rij`, `_bestand` and `_volgorde`; the
    connection must hold the register as table `locaties`. A location column holds the
    resolved locatie_id, beside `<col>_naam`, `<col>_opgegeven` (was anything written),
    `locatietype` and `wijk`.

    Each column is parsed once per distinct value (a month of exports has a few hundred
    distinct dates and locations) and the results are spread back over the rows.
    """
    columns: dict[str, pa.Array] = {
        POSITION_COLUMN: pa.array(np.arange(raw.num_rows, dtype=np.int64)),
        FILE_COLUMN: raw.column(FILE_COLUMN),
        ROW_COLUMN: raw.column(ROW_COLUMN),
        ORDER_COLUMN: raw.column(ORDER_COLUMN),
    }
    for name, kind in source.columns.items():
        values = raw.column(name)
        if name == "id":  # nearly all distinct: cleaned in place, coded for grouping
            trimmed = clean_text(values)
            ids = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
            columns[name] = ids
            columns[ID_CODE] = pc.cast(_encode(ids)[1], pa.int64())  # null for a missing id
            columns[ID_KEY] = pc.cast(_encode(pc.utf8_lower(ids))[1], pa.int64())
            continue
        dictionary, indices = _encode(values)
        parsed = _parse_distinct(con, source, name, kind, dictionary, canonical)
        for out_name, out_values in parsed.items():
            columns[out_name] = _spread(out_values, indices)
    return pa.table(columns)


def _encode(values: pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """(distinct values, index per row), without first copying the strings into one buffer
    (Arrow encodes the chunks against one shared dictionary)."""
    encoded = pc.dictionary_encode(values)
    if encoded.num_chunks == 0:
        return pa.array([], values.type), pa.array([], pa.int32())
    return encoded.chunk(0).dictionary, pa.concat_arrays([c.indices for c in encoded.chunks])


def _spread(parsed: pa.Array, indices: pa.Array) -> pa.Array:
    """Parsed distinct values back onto the rows; text stays dictionary-encoded (small)."""
    if not pa.types.is_string(parsed.type):
        return pc.take(parsed, indices)
    # Several spellings may parse to one value: re-encode so the dictionary stays unique.
    unique = pc.dictionary_encode(parsed, null_encoding="encode")
    indices = pc.take(unique.indices, indices)
    dictionary = unique.dictionary
    missing = pc.take(pc.is_null(dictionary), indices)
    indices = pc.if_else(missing, pa.scalar(None, indices.type), indices)
    return pa.DictionaryArray.from_arrays(indices, pc.fill_null(dictionary, ""))


# Output schema per query, for a column without values: an empty source (most sources in a
# small load) need not run its queries, each of which costs DuckDB some 20 ms to plan.
_EMPTY_RESULTS: dict[str, pa.Schema] = {}


def _parse_distinct(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    name: str,
    kind: Kind,
    distinct: pa.Array,
    canonical: pd.DataFrame,
) -> dict[str, pa.Array]:
    """Parse each distinct value of one column; returns output column -> parsed values."""
    value = "w.v"  # cleaned once, below, not in every branch of the CASE
    if name in source.empty_means:
        value = f"coalesce({value}, '{source.empty_means[name]}')"
    join = ""
    chosen = canonical[canonical["kolom"] == name] if kind is Kind.TEXT else canonical[:0]
    if kind is Kind.DATE:
        selects = [f"{_DATE_SQL.format(v=value)} AS {name}"]
    elif kind is Kind.COUNT:
        selects = [f"{_COUNT_SQL.format(v=value)} AS {name}"]
    elif kind is Kind.LOCATION:
        selects = [
            f"l.locatie_id AS {name}",
            f"l.naam AS {name}_naam",
            "l.type AS locatietype",
            "l.wijk AS wijk",
            f"{value} IS NOT NULL AS {name}_opgegeven",
        ]
        join = _location_join(value, source.default_location_type)
    elif len(chosen):
        selects = [f"coalesce(c.waarde, {value}) AS {name}"]
        join = f"LEFT JOIN canoniek c ON c.sleutel = lower({value})"
    else:
        selects = [f"{value} AS {name}"]
    sql = (
        f"SELECT {', '.join(selects)} "
        f"FROM (SELECT i, {_cleaned('v')} AS v FROM waarden) w {join} ORDER BY w.i"
    )
    if len(distinct) == 0 and sql in _EMPTY_RESULTS:
        table = _EMPTY_RESULTS[sql].empty_table()
    else:
        if len(chosen):
            con.register("canoniek", chosen)
        con.register("waarden", pa.table({"i": pa.array(range(len(distinct))), "v": distinct}))
        table = con.sql(sql).to_arrow_table()
        con.unregister("waarden")
        if len(distinct) == 0:
            _EMPTY_RESULTS[sql] = table.schema
    return {c: table.column(c).combine_chunks() for c in table.column_names}


def validation_frame(normalised: pa.Table, source: Source, columns: set[str]) -> pd.DataFrame:
    """The columns a suite checks, in the forms GX checks fastest (it hashes the whole frame).

    Dates become numbers jjjjmmdd and counts floats (GX's vectorised path); ids and file names
    become integer codes (only emptiness and uniqueness are checked of them); other text
    becomes categorical. Row i is row i of `normalised`.
    """
    unknown = sorted(columns - set(normalised.column_names) - {ID_PER_FILE})
    if unknown:
        raise SuiteError(
            f"{source.name}.json: de verwachtingen noemen een kolom die deze bron niet heeft: "
            f"{', '.join(unknown)}"
        )
    frame: dict[str, pa.Array] = {}
    id_codes = normalised.column(ID_CODE)
    for name in sorted(columns):
        kind = source.columns.get(name)
        if name == ID_PER_FILE:  # one number per (file, id) pair
            files, file_codes = _encode(normalised.column(FILE_COLUMN))
            code = pc.add(
                pc.multiply(id_codes, len(files)),
                pc.cast(file_codes, pa.int64()),
            )
            frame[name] = pc.cast(code, pa.float64())
            continue
        values = normalised.column(name).combine_chunks()
        if name == "id":
            frame[name] = pc.cast(id_codes, pa.float64())
        elif kind is Kind.DATE:
            number = pc.add(
                pc.add(pc.multiply(pc.year(values), 10000), pc.multiply(pc.month(values), 100)),
                pc.day(values),
            )
            frame[name] = pc.cast(number, pa.float64())
        elif kind is Kind.COUNT:  # beyond 2^53 only its size matters (the bound)
            frame[name] = pc.cast(values, pa.float64(), safe=False)
        elif pa.types.is_string(values.type):
            frame[name] = pc.dictionary_encode(values)
        elif pa.types.is_dictionary(values.type):
            frame[name] = values  # becomes a pandas Categorical
        else:
            frame[name] = values
    return pa.table(frame).to_pandas()


def _location_join(value: str, default_type: str | None) -> str:
    """A location matches by locatie_id, or by naam when exactly one register row has it."""
    key = f"lower({value})"
    if default_type:  # an empty location means the single register row of this type
        key = (
            f"coalesce({key}, (SELECT lower(any_value(locatie_id)) FROM locaties "
            f"WHERE type = '{default_type}' HAVING count(*) = 1))"
        )
    return f"""LEFT JOIN (
        SELECT lower(locatie_id) AS sleutel, locatie_id FROM locaties
        UNION ALL
        SELECT lower(naam), any_value(locatie_id) FROM locaties
        WHERE lower(naam) NOT IN (SELECT lower(locatie_id) FROM locaties)
        GROUP BY lower(naam) HAVING count(*) = 1
    ) k ON k.sleutel = {key}
    LEFT JOIN locaties l ON l.locatie_id = k.locatie_id"""


@functools.cache
def _parser_connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def parse_values(kind: Kind, values: list[str]) -> list[object]:
    """Parse strings exactly as a load does (same SQL); None where the value is not valid."""
    template = {Kind.DATE: _DATE_SQL, Kind.COUNT: _COUNT_SQL}[kind]
    con = _parser_connection()
    con.register("waarden", pa.table({"v": pa.array(values, pa.string())}))
    sql = f"SELECT {template.format(v='w.v')} FROM (SELECT {_cleaned('v')} AS v FROM waarden) w"
    return [row[0] for row in con.execute(sql).fetchall()]
