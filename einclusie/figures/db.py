"""The one seam to the data: DuckDB over the Parquet tables of the last complete load.

Pages, exports and the command line never open a connection themselves; they call the query
path (`figures.values`, `figures.queries`), which calls `Database.execute` with parameterised
SQL. Everything the figures need comes from the loaded version itself (its tables, the
categories of its suites, its wijken): nothing here reads the load's code or its suites.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from einclusie.figures.registry import FIGURES, SQL_DIR, Figure
from einclusie.settings import settings

# The six sources of the contract, as the load writes them into every version.
SOURCE_TABLES = (
    "digipunten",
    "digibanken",
    "allemaal_digitaal",
    "bibliotheek",
    "uitleendienst",
    "vorming",
)
FACT_COLUMNS = "datum, wijk, programma, onderdeel, waarde, soort"


PART_PREFIX = "deel-"  # a source table's parts: <source>/deel-<run>.parquet
# Stored with every row of a source table since PIPELINE_VERSION 7: its id in lower case, what
# a later export's row replaces it by (lower() over millions of old ids cost a load 0,2 s each
# time it looked them up).
ID_KEY_COLUMN = "id_sleutel"


def source_parts(version_dir: Path, name: str) -> Path | None:
    """Where source table `name` of a version lies, as read_parquet reads it: a glob over its
    parts (one per load that added rows, so a month's export writes one small file), or the
    single file of versions written before the parts; None when it has neither."""
    folder = version_dir / name
    if folder.is_dir() and any(folder.glob(f"{PART_PREFIX}*.parquet")):
        return folder / f"{PART_PREFIX}*.parquet"
    single = version_dir / f"{name}.parquet"
    return single if single.exists() else None


def sums_its_parts(item: Figure) -> bool:
    """Whether a total's SQL is exactly the union of its parts' views: its facts are then
    the sum of theirs (the group-by of a union is the group-by of the groups)."""
    if not item.parts or any(FIGURES[part].parts for part in item.parts):
        return False
    body = " ".join(line for line in item.sql.splitlines() if not line.strip().startswith("--"))
    union = " union all ".join(f"select {FACT_COLUMNS} from {view_name(p)}" for p in item.parts)
    return " ".join(body.lower().split()).rstrip(";").strip() == union.lower()


def figure_tables(key: str) -> frozenset[str]:
    """The tables of a version that figure `key` may read: the words of its SQL that are no
    view, through the staging views and the figures it unites. Every table it reads is among
    them (a word too many, a column's name, only makes a figure compared more often; the
    macros read no table)."""
    views = _staging_sql().keys() | {view_name(k) for k in FIGURES}
    return frozenset(_reads(view_name(key)) - views)


@functools.cache
def _reads(view: str) -> frozenset[str]:
    """The views and tables `view` reads, through the views it reads (words of their SQL)."""
    staging = _staging_sql()
    figures = {view_name(k): k for k in FIGURES}
    if view in figures:
        sql = FIGURES[figures[view]].sql
    elif view in staging:
        sql = staging[view]
    else:  # a table of the version
        return frozenset()
    found: set[str] = set()
    for word in set(re.findall(r"[a-z_][a-z0-9_]*", sql.lower())) - {view}:
        found |= {word, *_reads(word)}
    return frozenset(found)


@functools.cache
def _staging_sql() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in sorted((SQL_DIR / "staging").glob("*.sql"))}


class NoDataError(Exception):
    """Nothing has been loaded into the data folder yet, or nothing for the period asked."""


def read_sql(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def view_name(key: str) -> str:
    """The view of a figure's facts: kpi_<key> for a headline KPI, figure_<key> otherwise."""
    return f"{'kpi' if FIGURES[key].headline else 'figure'}_{key}"


class Database:
    """One loaded version, opened read-only: views over its Parquet files, staging, facts."""

    def __init__(self, version_dir: Path, figures: Sequence[str] | None = None) -> None:
        """`figures`: sum the facts of these figures only (a quick look at one version, such
        as what a load changes); every figure by default."""
        self.version_dir = version_dir
        self.version = version_dir.name
        self._con = duckdb.connect()
        self._lock = threading.Lock()
        tables = {path.stem: path for path in version_dir.glob("*.parquet")}
        for name in SOURCE_TABLES:
            if (parts := source_parts(version_dir, name)) is not None:
                tables[name] = parts
        # The facts summed: a total that unites its parts adds up their facts instead of
        # reading their rows again.
        keys = list(FIGURES if figures is None else figures)
        totals = [key for key in keys if sums_its_parts(FIGURES[key])]
        parts = [part for key in totals for part in FIGURES[key].parts]
        read = dict.fromkeys([*(key for key in keys if key not in totals), *parts])
        # Only the views those figures read, when not every figure is summed (a quick look:
        # binding the ~70 views of every figure took longer than summing three figures).
        wanted: set[str] | None = None
        if figures is not None:
            wanted = {name for key in [*read, *totals] for name in _reads(view_name(key))}
            wanted |= {view_name(key) for key in [*read, *totals]}
        self._views: set[str] = set()
        for name, path in sorted(tables.items()):
            if wanted is None or name in wanted:
                self._view_of_table(name, path)
        self._con.execute(read_sql("macros.sql"))
        for name, sql in _staging_sql().items():
            if wanted is None or name in wanted:
                self._view(name, sql)
        # The KPIs' parts first, then the totals uniting them, then the programme figures
        # that select from the KPIs' facts.
        order = sorted(FIGURES.values(), key=lambda f: (not f.headline, bool(f.parts)))
        for item in order:
            if wanted is None or view_name(item.key) in wanted:
                self._view(view_name(item.key), item.sql)
        # Every figure question sums `waarde` over these columns, so the facts are summed once
        # per loaded version: a few thousand rows instead of one per help request (5 M at 100x).
        facts = " union all ".join(
            f"select '{key}' as figuur, {FACT_COLUMNS} from {view_name(key)}" for key in read
        )
        self._con.execute(
            "create table facts as select figuur, datum, wijk, programma, onderdeel, soort, "
            f"sum(waarde) as waarde from ({facts}) group by all"
        )
        for key in totals:
            self._con.execute(
                f"insert into facts select '{key}' as figuur, datum, wijk, programma, onderdeel, "
                "soort, sum(waarde) from facts where list_contains($parts, figuur) group by all",
                {"parts": list(FIGURES[key].parts)},
            )
        self._source_days(tables, None if wanted is None else self._views)
        self._con.execute(read_sql("coverage.sql"))

    def _view_of_table(self, name: str, path: Path) -> None:
        sql_path = str(path).replace("'", "''")
        self._view(  # parts written years apart: the same columns by name
            name, f"select * from read_parquet('{sql_path}', union_by_name = true)"
        )

    def _view(self, name: str, sql: str) -> None:
        self._con.execute(f"create view {name} as {sql}")
        self._views.add(name)

    def _source_days(self, tables: dict[str, Path], views: set[str] | None) -> None:
        """source_days (coverage.sql): the days with a row, per programme, of the sources'
        staging views; of those among `views` only, unless a programme of the facts then has
        none (a figure of the location register belongs to the Digipunten)."""
        staging = [f"stg_{name}" for name in SOURCE_TABLES]
        chosen = staging if views is None else [name for name in staging if name in views]
        self._days_of(chosen)
        if views is None:
            return
        missing = self._con.execute(
            "select count(*) from (select distinct programma from facts) "
            "where programma not in (select programma from source_days)"
        ).fetchone()
        if missing and missing[0]:
            for name, path in sorted(tables.items()):
                if name not in self._views:
                    self._view_of_table(name, path)
            for name, sql in _staging_sql().items():
                if name not in self._views:
                    self._view(name, sql)
            self._days_of(staging)

    def _days_of(self, staging: list[str]) -> None:
        rows = " union all ".join(f"select programma, datum from {name}" for name in staging)
        self._con.execute(
            "create or replace table source_days as select distinct programma, datum from ("
            f"{rows or 'select null::varchar as programma, null::date as datum'}) "
            "where datum is not null"
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
    return Path(data_dir or settings().data_dir)


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


_OPEN_LIMIT = 4  # the current version, the one before (readers still on it), and spares
_opened: collections.OrderedDict[Path, Database] = collections.OrderedDict()
_opening = threading.Lock()


def _open(version_dir: Path) -> Database:
    """The Database of a version, opened once (summing its facts takes seconds at 100x)."""
    looked_at = _looked_at.get()
    if looked_at is not None and version_dir in looked_at:
        return looked_at[version_dir]
    with _opening:
        if version_dir in _opened:
            _opened.move_to_end(version_dir)
            return _opened[version_dir]
        db = Database(version_dir)
        _opened[version_dir] = db
        while len(_opened) > _OPEN_LIMIT:
            _opened.popitem(last=False)
        return db


# The partial Databases `looking_at` opened, for the code that opened them only (a context
# variable: a page's run in another thread that asks for the same version opens the full one).
_looked_at: contextvars.ContextVar[dict[Path, Database] | None] = contextvars.ContextVar(
    "looked_at", default=None
)


@contextlib.contextmanager
def looking_at(version_dir: Path, figures: Sequence[str]) -> Iterator[None]:
    """While the block runs, the query path answers for `version_dir` from a Database that sums
    only `figures` (a quick look, such as what a load changes), unless the version is open
    already. The partial one is this block's alone, and closed after it."""
    with _opening:
        if version_dir in _opened:
            opened = None
        else:
            opened = Database(version_dir, figures)
    if opened is None:
        yield
        return
    token = _looked_at.set({**(_looked_at.get() or {}), version_dir: opened})
    try:
        yield
    finally:
        _looked_at.reset(token)


def forget_version(version_dir: Path) -> None:
    """Close a version that was only looked at (a dry run's, an unpublished one)."""
    with _opening:
        _opened.pop(version_dir, None)


def database(data_dir: Path | None = None) -> Database:
    """The database of the last complete load; reopened as soon as a new load is published."""
    return _open(current_version(data_dir))
