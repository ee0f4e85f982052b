"""The one seam to the data: DuckDB over the Parquet tables of the last complete load.

Pages, exports and the command line never open a connection themselves; they call query
functions, which call `Database.execute` with parameterised SQL.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import duckdb
import pandas as pd

from etl.sources import SOURCES

SQL_DIR = Path(__file__).resolve().parent / "sql"
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "parquet"
TABLES = (
    *SOURCES,
    "locaties",
    "wijken",
    "quarantaine",
    "manifest",
    "runs",
    "verwachtingen",
)


class NoDataError(Exception):
    """Nothing has been loaded into the data folder yet."""


def read_sql(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


class Database:
    """One loaded version, opened read-only: views over its Parquet files, staging, KPI facts."""

    def __init__(self, version_dir: Path) -> None:
        from einclusie.kpis import KPIS  # the registry reads the SQL files once

        self.version_dir = version_dir
        self.version = version_dir.name
        self._con = duckdb.connect()
        self._lock = threading.Lock()
        for table in TABLES:
            path = str(version_dir / f"{table}.parquet").replace("'", "''")
            self._con.execute(f"create view {table} as select * from read_parquet('{path}')")
        self._con.execute(read_sql("macros.sql"))
        for path in sorted((SQL_DIR / "staging").glob("*.sql")):
            self._con.execute(f"create view {path.stem} as {path.read_text('utf-8')}")
        for kpi in KPIS:
            self._con.execute(f"create view kpi_{kpi.key} as {kpi.sql}")
        # Every KPI question sums `waarde` over these columns, so the facts are summed once per
        # loaded version: a few thousand rows instead of one per help request (5 M at 100x).
        facts = " union all ".join(f"select '{k.key}' as kpi, * from kpi_{k.key}" for k in KPIS)
        self._con.execute(
            "create table kpi_facts as select kpi, datum, wijk, programma, onderdeel, soort, "
            f"sum(waarde) as waarde from ({facts}) group by all"
        )

    def execute(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        """Run parameterised SQL on a cursor of its own (safe from Streamlit's threads)."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params).df()
        finally:
            cursor.close()


def data_dir_or_default(data_dir: Path | None = None) -> Path:
    """`data_dir`, else $EINCLUSIE_DATA, else data/parquet of the project."""
    return Path(data_dir or os.environ.get("EINCLUSIE_DATA") or DATA_DIR)


def current_version(data_dir: Path | None = None) -> Path:
    """The folder of the last complete load under `data_dir`."""
    data_dir = data_dir_or_default(data_dir)
    link = data_dir / "current"
    if not link.exists():
        raise NoDataError(
            f"Er zijn nog geen gegevens geladen in {data_dir}. "
            "Laad eerst de exports met: python -m etl load"
        )
    return link.resolve()


@functools.lru_cache(maxsize=4)
def _open(version_dir: Path) -> Database:
    return Database(version_dir)


def database(data_dir: Path | None = None) -> Database:
    """The database of the last complete load; reopened as soon as a new load is published."""
    return _open(current_version(data_dir))
