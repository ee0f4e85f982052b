"""Turn the string columns of one source's exports into typed, canonical values (in DuckDB).

Dates in the four allowed formats become DATE; counts (with Dutch thousands separators) become
BIGINT; enumerated values get their canonical spelling from the suite's value sets; locations
resolve through the register to a locatie_id and a wijk. A value that cannot be parsed becomes
NULL here and is reported by the suite, with the original value kept beside it for the message.
"""

from __future__ import annotations

import functools

import duckdb
import pandas as pd
import pyarrow as pa

from etl.reading import ROW_COLUMN
from etl.sources import Kind, Source
from etl.validation import RAW_PREFIX

FILE_COLUMN = "_bestand"
ORDER_COLUMN = "_volgorde"
POSITION_COLUMN = "_n"

_DATE_SQL = """CASE
    WHEN regexp_full_match({v}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}') THEN try_strptime({v}, '%d/%m/%Y')
    WHEN regexp_full_match({v}, '\\d{{1,2}}-\\d{{1,2}}-\\d{{4}}') THEN try_strptime({v}, '%d-%m-%Y')
    WHEN regexp_full_match({v}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') THEN try_strptime({v}, '%Y-%m-%d')
  END::DATE"""
_COUNT_SQL = """CASE
    WHEN regexp_full_match({v}, '-?\\d+') THEN try_cast({v} AS BIGINT)
    WHEN regexp_full_match({v}, '-?\\d{{1,3}}(\\.\\d{{3}})+')
        THEN try_cast(replace({v}, '.', '') AS BIGINT)
  END"""


def _trimmed(column: str) -> str:
    """Surrounding spaces (and tabs or stray line breaks) never matter."""
    return f"trim({column}, ' ' || chr(9) || chr(10) || chr(13))"


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
) -> pd.DataFrame:
    """Return one row per raw row: typed columns, `_ruw_<col>` originals, location fields.

    `raw` holds the source's columns as strings plus `_rij`, `_bestand` and `_volgorde`; the
    connection must hold the register as table `locaties`.
    """
    for name in source.columns:  # optional columns absent from every file
        if name not in raw.column_names:
            raw = raw.append_column(name, pa.array([""] * raw.num_rows, pa.string()))
    raw = raw.append_column(POSITION_COLUMN, pa.array(range(raw.num_rows), pa.int64()))
    con.register("ruw", raw)
    con.register("canoniek", canonical)

    selects = [
        f"r.{POSITION_COLUMN}",
        f"r.{FILE_COLUMN}",
        f"r.{ROW_COLUMN}",
        f"r.{ORDER_COLUMN}",
    ]
    joins = []
    for name, kind in source.columns.items():
        value = _cleaned(f"r.{name}")
        if name in source.empty_means:
            value = f"coalesce({value}, '{source.empty_means[name]}')"
        selects.append(f"{_trimmed(f'r.{name}')} AS {RAW_PREFIX}{name}")
        if kind is Kind.DATE:
            selects.append(f"{_DATE_SQL.format(v=value)} AS {name}")
        elif kind is Kind.COUNT:
            selects.append(f"{_COUNT_SQL.format(v=value)} AS {name}")
        elif kind is Kind.LOCATION:
            selects += [
                f"loc_{name}.locatie_id AS {name}",
                f"loc_{name}.naam AS {name}_naam",
                f"loc_{name}.type AS locatietype",
                f"loc_{name}.wijk AS wijk",
                f"{_trimmed(f'r.{name}')} AS {RAW_PREFIX}locatietype",
            ]
            joins.append(_location_join(name, value, source.default_location_type))
        elif (canonical["kolom"] == name).any():
            selects.append(f"coalesce(enum_{name}.waarde, {value}) AS {name}")
            joins.append(
                f"LEFT JOIN canoniek enum_{name} ON enum_{name}.kolom = '{name}' "
                f"AND enum_{name}.sleutel = lower({value})"
            )
        else:
            selects.append(f"{value} AS {name}")
    sql = f"SELECT {', '.join(selects)} FROM ruw r {' '.join(joins)} ORDER BY r.{POSITION_COLUMN}"
    frame = con.execute(sql).df()
    con.unregister("ruw")
    con.unregister("canoniek")
    return frame


def _location_join(name: str, value: str, default_type: str | None) -> str:
    """A location matches by locatie_id, or by naam when exactly one register row has it."""
    key = f"lower({value})"
    if default_type:  # an empty location means the single register row of this type
        key = (
            f"coalesce({key}, (SELECT lower(any_value(locatie_id)) FROM locaties "
            f"WHERE type = '{default_type}' HAVING count(*) = 1))"
        )
    return f"""LEFT JOIN (
        SELECT l.*, lower(l.locatie_id) AS id_key FROM locaties l
    ) by_id_{name} ON by_id_{name}.id_key = {key}
    LEFT JOIN (
        SELECT lower(naam) AS naam_key, any_value(locatie_id) AS locatie_id
        FROM locaties GROUP BY 1 HAVING count(*) = 1
    ) by_name_{name} ON by_name_{name}.naam_key = {key}
    LEFT JOIN locaties loc_{name}
        ON loc_{name}.locatie_id = coalesce(by_id_{name}.locatie_id, by_name_{name}.locatie_id)"""


@functools.cache
def _parser_connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def parse_values(kind: Kind, values: list[str]) -> list[object]:
    """Parse strings exactly as a load does (same SQL); None where the value is not valid."""
    template = {Kind.DATE: _DATE_SQL, Kind.COUNT: _COUNT_SQL}[kind]
    con = _parser_connection()
    con.register("waarden", pa.table({"v": pa.array(values, pa.string())}))
    sql = f"SELECT {template.format(v=_cleaned('v'))} FROM waarden"
    return [row[0] for row in con.execute(sql).fetchall()]
