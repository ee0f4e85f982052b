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
import pyarrow as pa

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


# SQL that makes a row of facts from more than one row of its table: aggregates, windows,
# dedup, ordering, a subquery, a union without "all".
_ACROSS_ROWS = re.compile(
    r"\b(group|distinct|over|window|qualify|having|limit|offset|order|except|intersect|exists"
    r"|sample|tablesample|pivot|unpivot|lateral|recursive|unnest"
    r"|lag|lead|count\w*|sum\w*|avg|min\w*|max\w*|arg\w*|list\w*|first|last|any_value"
    r"|median|quantile\w*|mode|row_number|rank|dense_rank|ntile|string_agg|array_agg|bit_\w+"
    r"|bool_\w+|product|stddev\w*|var_\w+|variance|covar\w*|corr|entropy|kurtosis\w*"
    r"|skewness|histogram\w*|approx\w*|favg|fsum|kahan\w*|mad|regr_\w+)\b"
    r"|\bunion\s+(?!all\b)|\(\s*(select|from)\b|\bfrom\s+\w+(\s+(as\s+)?\w+)?\s*,",
    re.IGNORECASE,
)


@functools.cache
def adds_up_per_row(key: str) -> bool:
    """Whether figure `key`'s facts are its rows' own contributions: every row of a source
    table gives its facts alone (joined with the register at most), and the register's rows
    the same facts whatever the sources hold. Then the facts of a table's rows are the sum
    of its parts' facts, and a version that adds or drops parts can be summed from the
    version before (`Database(since=)`). Read from the SQL, cautiously: a word that may
    combine rows (an aggregate, a window, dedup, a subquery, a join of two sources) says no;
    tests/test_queries.py holds every figure that says yes to it."""
    views = _staging_sql().keys() | {view_name(k) for k in FIGURES}
    return not any(
        combines_rows(_sql_of(view)) for view in {view_name(key)} | (_reads(view_name(key)) & views)
    )


def combines_rows(sql: str) -> bool:
    """Whether a view's SQL may make a fact out of more than one row of what it reads: a word
    of `_ACROSS_ROWS`, or a join that reaches two source tables."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines()).lower()
    if _ACROSS_ROWS.search(body):
        return True
    if not re.search(r"\bjoin\b", body):
        return False
    # A join keeps each row's facts its own only as "from <export> [left] join <register>":
    # the export's rows on the left, no export on the right (each row, looked up).
    first = re.search(r"\bfrom\s+(\w+)", body)
    joined = re.findall(r"\b(\w+\s+)?join\s+(\w+)", body)
    if first is None or not _reaches_a_source(first[1]):
        return True
    return any(
        kind.strip() not in ("", "left", "inner") or _reaches_a_source(table)
        for kind, table in joined
    )


def _reaches_a_source(name: str) -> bool:
    return name in SOURCE_TABLES or bool(_reads(name) & set(SOURCE_TABLES))


def _sql_of(view: str) -> str:
    figures = {view_name(k): k for k in FIGURES}
    return FIGURES[figures[view]].sql if view in figures else _staging_sql()[view]


class NoDataError(Exception):
    """Nothing has been loaded into the data folder yet, or nothing for the period asked."""


def read_sql(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def view_name(key: str) -> str:
    """The view of a figure's facts: kpi_<key> for a headline KPI, figure_<key> otherwise."""
    return f"{'kpi' if FIGURES[key].headline else 'figure'}_{key}"


class Database:
    """One loaded version, opened read-only: views over its Parquet files, staging, facts."""

    def __init__(
        self,
        version_dir: Path,
        figures: Sequence[str] | None = None,
        since: Database | None = None,
    ) -> None:
        """`figures`: sum the facts of these figures only (a quick look at one version, such
        as what a load changes); every figure by default. `since`: the version before, open,
        with those figures' facts: a figure that adds up per row is then summed from its
        facts, plus those of the parts this version adds and minus those it drops (a month's
        export: a month's rows read, not years of them); every other one from its rows."""
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
        self._days_from: set[str] = set()
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
        # `bijdragen` counts the rows behind a fact (so a fact whose rows all left goes too).
        changes = _part_changes(since, tables, read) if since is not None else None
        derived = [key for key in read if changes is not None and adds_up_per_row(key)]
        self.derived = derived  # the figures summed from `since` (for the tests)
        self._con.execute(f"create table facts as {_summed_facts([])}")
        if derived:
            assert since is not None and changes is not None
            try:
                self._derive_facts(since, derived, tables, changes)
            except duckdb.IOException:  # the version before was removed meanwhile
                self._sources_of(None, tables)
                self.derived = derived = []
        self._con.execute(
            f"insert into facts {_summed_facts([key for key in read if key not in derived])}"
        )
        for key in totals:
            self._con.execute(
                f"insert into facts select '{key}' as figuur, datum, wijk, programma, onderdeel, "
                "soort, sum(waarde), sum(bijdragen) from facts where list_contains($parts, figuur) "
                "group by all",
                {"parts": list(FIGURES[key].parts)},
            )
        # The days with data: `since`'s and those of the parts added, when the tables its
        # days came from only gained parts (not only the figures' tables: see _source_days).
        day_changes = None
        if derived and since is not None:
            read_by_days = {n for view in since._days_from for n in _reads(view) | {view}}
            day_changes = _table_changes(since, tables, read_by_days)
        if day_changes is not None and not any(dropped for _, dropped in day_changes.values()):
            assert since is not None
            self._added_days(since, tables, day_changes)
        else:
            self._source_days(tables, None if wanted is None else self._views)
        self._con.execute(read_sql("coverage.sql"))

    def _derive_facts(
        self,
        since: Database,
        keys: list[str],
        tables: dict[str, Path],
        changes: dict[str, tuple[list[Path], list[Path]]],
    ) -> None:
        """The facts of `keys` (which add up per row): `since`'s, plus those of the parts
        added, minus those of the parts dropped (each summed with the other sources' tables
        empty, so the register's own facts cancel out)."""
        self._con.register(
            "facts_before",
            since.arrow(
                "select figuur, datum, wijk, programma, onderdeel, soort, waarde, bijdragen "
                "from facts where list_contains($keys, figuur)",
                {"keys": keys},
            ),
        )
        for name, chosen in (("added", 0), ("dropped", 1)):
            self._sources_of({t: c[chosen] for t, c in changes.items()}, tables)
            self._con.execute(f"create or replace temp table facts_{name} as {_summed_facts(keys)}")
        self._sources_of(None, tables)
        self._con.execute(
            "insert into facts select figuur, datum, wijk, programma, onderdeel, soort, "
            "sum(waarde), sum(bijdragen) from (select * from facts_before "
            "union all select * from facts_added union all "
            "select * replace (-waarde as waarde, -bijdragen as bijdragen) from facts_dropped) "
            "group by all having sum(bijdragen) <> 0"
        )
        self._con.unregister("facts_before")
        self._con.execute("drop table facts_added; drop table facts_dropped")

    def _added_days(
        self,
        since: Database,
        tables: dict[str, Path],
        changes: dict[str, tuple[list[Path], list[Path]]],
    ) -> None:
        """source_days when parts were only added: `since`'s days, and the added parts' days
        of the staging views those came from (all six when it fell back to them)."""
        staging = [f"stg_{t}" for t in changes if f"stg_{t}" in since._days_from]
        self._all_views(tables, staging)
        self._con.register("days_before", since.arrow("select programma, datum from source_days"))
        self._sources_of({t: added for t, (added, _) in changes.items()}, tables)
        self._days_of(staging, earlier="days_before")
        self._days_from = since._days_from
        self._sources_of(None, tables)
        self._con.unregister("days_before")

    def _sources_of(self, parts: dict[str, list[Path]] | None, tables: dict[str, Path]) -> None:
        """Point the views of the source tables at `parts` only (a table not in it empty), or
        back at their whole tables (None). The views over them follow (bound when run)."""
        for name in SOURCE_TABLES:
            if name not in self._views or name not in tables:
                continue
            if parts is None:
                self._view_of_table(name, tables[name], replace=True)
                continue
            chosen = parts.get(name, [])
            files = "[" + ", ".join(_quoted(p) for p in chosen) + "]" if chosen else None
            self._view(  # an empty table keeps its columns from the whole one
                name,
                f"select * from read_parquet({files or _quoted(tables[name])}, "
                "union_by_name = true)" + ("" if files else " where false"),
                replace=True,
            )

    def _view_of_table(self, name: str, path: Path, replace: bool = False) -> None:
        self._view(  # parts written years apart: the same columns by name
            name, f"select * from read_parquet({_quoted(path)}, union_by_name = true)", replace
        )

    def _view(self, name: str, sql: str, replace: bool = False) -> None:
        self._con.execute(f"create {'or replace ' if replace else ''}view {name} as {sql}")
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
            self._all_views(tables, staging)
            self._days_of(staging)

    def _all_views(self, tables: dict[str, Path], staging: list[str]) -> None:
        """Make the `staging` views and the tables they read, where not made yet."""
        wanted = {name for view in staging for name in _reads(view)} | set(staging)
        for name, path in sorted(tables.items()):
            if name in wanted and name not in self._views:
                self._view_of_table(name, path)
        for name, sql in _staging_sql().items():
            if name in wanted and name not in self._views:
                self._view(name, sql)

    def _days_of(self, staging: list[str], earlier: str | None = None) -> None:
        """source_days over the `staging` views (and the `earlier` table of days)."""
        self._days_from = set(staging)  # what the days are of (see `_added_days`)
        rows = " union all ".join(
            [f"select programma, datum from {name}" for name in staging]
            + ([f"select programma, datum from {earlier}"] if earlier else [])
        )
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

    def arrow(self, sql: str, params: dict | list | None = None) -> pa.Table:
        """`execute`, as an Arrow table (facts handed from one version to the next)."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.sql(sql, params=params).to_arrow_table()
        finally:
            cursor.close()


def _summed_facts(keys: Sequence[str]) -> str:
    """The SQL of the facts of figures `keys` summed from their views (no rows for none):
    `waarde` summed and `bijdragen`, the rows behind each fact, counted."""
    rows = " union all ".join(
        f"select '{key}' as figuur, {FACT_COLUMNS} from {view_name(key)}" for key in keys
    )
    return (
        "select figuur, datum, wijk, programma, onderdeel, soort, sum(waarde) as waarde, "
        f"count(*) as bijdragen from ({rows or _NO_FACTS}) group by all"
    )


_NO_FACTS = (
    "select null::varchar as figuur, null::date as datum, null::varchar as wijk, "
    "null::varchar as programma, null::varchar as onderdeel, 0::bigint as waarde, "
    "null::varchar as soort where false"
)


def _part_changes(
    since: Database, tables: dict[str, Path], keys: Sequence[str]
) -> dict[str, tuple[list[Path], list[Path]]] | None:
    """{source table: (parts added, parts dropped)} from version `since` to the version of
    `tables`, for the tables the figures `keys` read; None when their facts cannot be taken
    from `since`'s: another table they read differs, a table is not in parts, `since`
    lacks one of the figures' facts, or the parts that differ are as large as the tables
    (a version of another data folder, a load that wrote every part again)."""
    have = set(since.arrow("select distinct figuur from facts")["figuur"].to_pylist())
    if not set(keys) <= have:
        return None
    return _table_changes(since, tables, {t for key in keys for t in _reads(view_name(key))})


def _table_changes(
    since: Database, tables: dict[str, Path], read: set[str]
) -> dict[str, tuple[list[Path], list[Path]]] | None:
    """`_part_changes` of the tables among the words `read`."""
    before = {path.stem: path for path in since.version_dir.glob("*.parquet")}
    changes = {}
    whole = changed = 0  # bytes of the source tables' parts, and of those added or dropped
    for table in sorted(read):
        if table in SOURCE_TABLES:
            new_parts, old_parts = tables.get(table), source_parts(since.version_dir, table)
            if any(p is None or not p.name.startswith(PART_PREFIX) for p in (new_parts, old_parts)):
                return None  # no such table, or one file (before the parts)
            new, old = part_files(new_parts), part_files(old_parts)
            assert new is not None and old is not None
            added = [p for i, p in new.items() if i not in old]
            dropped = [p for i, p in old.items() if i not in new]
            if added or dropped:
                changes[table] = (added, dropped)
            whole += sum(size for *_, size in new)
            changed += sum(p.stat().st_size for p in [*added, *dropped])
        elif table in tables or table in before:  # the register, the wijken: the same bytes
            if table not in tables or table not in before:
                return None
            if tables[table].read_bytes() != before[table].read_bytes():
                return None
    return changes if changed < whole or not changes else None


def part_files(parts: Path | None) -> dict[tuple[str, int, int, int], Path] | None:
    """The files of a source table as `source_parts` gives it (its parts, or the one file of
    a version before the parts) by (name, device, inode, size): a part linked from the
    version before is the same file on disk; None when the table has none."""
    if parts is None:
        return None
    found = sorted(parts.parent.glob(parts.name))
    return {(p.name, p.stat().st_dev, p.stat().st_ino, p.stat().st_size): p for p in found}


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


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
        # A new load's version is summed from the one open before it where it can be.
        db = Database(version_dir, since=next(reversed(_opened.values()), None))
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
def looking_at(
    version_dir: Path, figures: Sequence[str], since: Path | None = None
) -> Iterator[None]:
    """While the block runs, the query path answers for `version_dir` from a Database that sums
    only `figures` (a quick look, such as what a load changes), unless the version is open
    already. The partial one is this block's alone, and closed after it. `since`: a version
    before it that is open or looked at: what adds up per row is summed from its facts."""
    with _opening:
        if version_dir in _opened:
            opened = None
        else:
            looked_at = _looked_at.get() or {}
            base = looked_at.get(since) or _opened.get(since) if since is not None else None
            opened = Database(version_dir, figures, since=base)
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
