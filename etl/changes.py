"""What a load changes against the loaded version: files, rows and the headline figures.

Used by the dry run (`python -m etl load --dry-run`, the Aanleveren page) before anything is
stored, and by the load's history afterwards. Both sides are complete versions on disk (a data
folder whose `current` points at one), read through the one query path of the figures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from einclusie.figures import values
from einclusie.figures.db import (
    ID_KEY_COLUMN,
    SOURCE_TABLES,
    NoDataError,
    current_version,
    database,
    figure_tables,
    looking_at,
    part_files,
    source_parts,
)
from einclusie.figures.registry import FIGURES, HEADLINE_KEYS, Kind, Unit
from einclusie.figures.selection import Selection

# The headline figures that have a value per month (devices_total adds flows to stocks: its
# parts are compared instead).
MONTHLY_HEADLINES = tuple(
    k for k in HEADLINE_KEYS if FIGURES[k].kind is not Kind.MIXED and FIGURES[k].unit is Unit.COUNT
)
# ... and the figures they are made of (a total unites its parts' views).
COMPARED_FIGURES = tuple(
    sorted({k for key in MONTHLY_HEADLINES for k in (key, *FIGURES[key].parts)})
)
# And "ongewijzigd", which is not listed. "geweigerd": loaded before, still in the folder, now
# refused; "verwijderd": no longer in the folder.
FILE_STATES = ("nieuw", "gewijzigd", "geweigerd", "verwijderd")


@dataclass
class Changes:
    """The difference between the loaded version and the one a load would publish."""

    # bestand, toestand (FILE_STATES): files that differ from the last load.
    files: pd.DataFrame = field(default_factory=pd.DataFrame)
    # bestand, nieuw, vervangt, eerder: per new or changed file, its rows that would load:
    # with an id not loaded yet, replacing another export's row (a correction), or already
    # loaded from this same file (a re-sent file).
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    # figuur, label, maand (first day), nu, straks: only where the figure changes.
    figures: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def nothing(self) -> bool:
        return self.files.empty and self.figures.empty


def compare_versions(before: Path | None, after: Path) -> Changes:
    """`before`, `after`: data folders (their `current` version); `before` None: nothing yet."""
    after_version = current_version(after)
    after_files = _last_files(after_version)
    before_version = _version_or_none(before)
    before_files = _last_files(before_version) if before_version is not None else {}
    files = _file_states(before_files, after_files, _last_files(after_version, "geweigerd"))
    touched = files.loc[files["toestand"] != "verwijderd", "bestand"].tolist()
    compared = COMPARED_FIGURES
    if before_version is not None:  # only the figures that read a table that changed
        changed = _changed_tables(before_version, after_version)
        compared = tuple(k for k in COMPARED_FIGURES if figure_tables(k) & changed)
    with contextlib.ExitStack() as looks:
        if compared:  # only these headline figures are summed for this
            if before_version is not None:
                looks.enter_context(looking_at(before_version, compared))
            # What adds up per row is summed from the version before and the parts that differ.
            looks.enter_context(looking_at(after_version, compared, since=before_version))
        return Changes(
            files=files,
            rows=_row_changes(before_version, after_version, touched),
            figures=_figure_changes(before, after, compared),
        )


def _changed_tables(before: Path, after: Path) -> set[str]:
    """The tables that differ between two versions: a source whose parts are not the same
    files (a part linked from the version before is the same file on disk; a table rebuilt
    counts as changed), any other table whose bytes differ (the register's, the suites'
    categories, and the load's own records, which always do)."""
    changed = {t for t in SOURCE_TABLES if _part_files(before, t) != _part_files(after, t)}
    for name in {p.stem for v in (before, after) for p in v.glob("*.parquet")}:
        old, new = before / f"{name}.parquet", after / f"{name}.parquet"
        if _content(old) != _content(new):
            changed.add(name)
    return changed


def _part_files(version: Path, table: str) -> set[tuple[str, int, int, int]] | None:
    """The identities of the files of a source table of `version` (`db.part_files`)."""
    found = part_files(source_parts(version, table))
    return None if found is None else set(found)


def _content(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _version_or_none(data_dir: Path | None) -> Path | None:
    if data_dir is None:
        return None
    try:
        return current_version(data_dir)
    except NoDataError:
        return None


def _last_files(version: Path, status: str = "geladen") -> dict[str, str]:
    """bestand -> sha256 of the files the version's last run loaded (or refused)."""
    runs = pd.read_parquet(version / "runs.parquet", columns=["run"])
    manifest = pd.read_parquet(version / "manifest.parquet")
    if runs.empty or manifest.empty:
        return {}
    last = manifest[(manifest["run"] == runs["run"].iloc[-1]) & (manifest["status"] == status)]
    return dict(zip(last["bestand"], last["sha256"], strict=True))


def _file_states(
    before: dict[str, str], after: dict[str, str], refused: dict[str, str]
) -> pd.DataFrame:
    rows = []
    for name in sorted(set(before) | set(after)):
        if name not in before:
            rows.append((name, "nieuw"))
        elif name not in after:
            rows.append((name, "geweigerd" if name in refused else "verwijderd"))
        elif before[name] != after[name]:
            rows.append((name, "gewijzigd"))
    return pd.DataFrame(rows, columns=["bestand", "toestand"])


def _row_changes(before: Path | None, after: Path, files: list[str]) -> pd.DataFrame:
    """Per file of `files`: its rows in the new version whose id the loaded version does not
    have (nieuw), those whose id it has from another file (vervangt: a correction), and those
    it has from this same file (eerder: a file sent again)."""
    columns = ["bestand", "nieuw", "vervangt", "eerder"]
    if not files:
        return pd.DataFrame(columns=columns)
    con = duckdb.connect()
    try:
        parts = []
        touched = {name.split("/", 1)[0] for name in files}
        for table in (t for t in SOURCE_TABLES if t in touched):
            # The rows of the files this load read lie in the parts it wrote: not the others.
            fresh = _fresh_parts(before, after, table)
            if not fresh:
                continue
            old_path = source_parts(before, table) if before is not None else None
            # Only the old rows whose id comes again in these files: not the whole table.
            old_key = _key(con, _quote(old_path)) if old_path is not None else ""
            old = (
                f"""select {old_key} as sleutel, o.bron_bestand
                from read_parquet({_quote(old_path)}, union_by_name = true) o
                where {old_key} in (select sleutel from nieuw)"""
                if old_path is not None
                else "select null::varchar as sleutel, null::varchar as bron_bestand where false"
            )
            parts.append(
                con.execute(
                    f"""with nieuw as (
                        select o.bron_bestand, {_key(con, _quote_all(fresh))} as sleutel
                        from read_parquet({_quote_all(fresh)}, union_by_name = true) o
                        where list_contains($files, bron_bestand)
                    ),
                    oud as (
                        select sleutel, list(distinct bron_bestand) as bestanden
                        from ({old}) group by 1
                    ),
                    per_rij as (
                        select n.bron_bestand as bestand,
                            o.sleutel is null as is_nieuw,
                            coalesce(
                                len(list_filter(o.bestanden, lambda b: b <> n.bron_bestand)) > 0,
                                false
                            ) as is_vervanging
                        from nieuw n left join oud o using (sleutel)
                    )
                    select bestand,
                        count(*) filter (where is_nieuw) as nieuw,
                        count(*) filter (where is_vervanging) as vervangt,
                        count(*) filter (where not is_nieuw and not is_vervanging) as eerder
                    from per_rij group by 1""",
                    {"files": files},
                ).df()
            )
    finally:
        con.close()
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    counted = frame.set_index("bestand")
    return pd.DataFrame(
        {
            "bestand": files,
            "nieuw": [int(counted["nieuw"].get(f, 0)) for f in files],
            "vervangt": [int(counted["vervangt"].get(f, 0)) for f in files],
            "eerder": [int(counted["eerder"].get(f, 0)) for f in files],
        }
    )


def _key(con: duckdb.DuckDBPyConnection, files: str) -> str:
    """The SQL of a row's id key in the parts `files` (read as `o`): the key stored with it,
    or its id in lower case in parts written before the key was (PIPELINE_VERSION 7)."""
    columns = con.execute(
        f"select column_name from (describe select * from read_parquet({files}, "
        "union_by_name = true))"
    ).fetchall()
    if (ID_KEY_COLUMN,) in columns:
        return f"coalesce(o.{ID_KEY_COLUMN}, lower(o.id))"  # lower() only where it is missing
    return "lower(o.id)"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _quote_all(paths: list[Path]) -> str:
    return "[" + ", ".join(_quote(p) for p in paths) + "]"


def _fresh_parts(before: Path | None, after: Path, table: str) -> list[Path]:
    """The files of `after`'s table that `before` does not have (a load writes its rows into
    new parts and links the others)."""
    found = part_files(source_parts(after, table))
    if found is None:
        return []
    old = _part_files(before, table) if before is not None else None
    return [path for identity, path in found.items() if not old or identity not in old]


def _figure_changes(before: Path | None, after: Path, compared: tuple[str, ...]) -> pd.DataFrame:
    """Per headline figure of `compared` and month: the value now and after, where they
    differ (the others read no table that changed)."""
    columns = ["figuur", "label", "maand", "nu", "straks"]
    headlines = tuple(k for k in MONTHLY_HEADLINES if k in compared)
    spans = [s for s in (_span(before), _span(after)) if s is not None] if headlines else []
    if not spans:
        return pd.DataFrame(columns=columns)
    period = Selection(min(s[0] for s in spans), max(s[1] for s in spans))
    now = _monthly(before, period, headlines).rename(columns={"waarde": "nu"})
    later = _monthly(after, period, headlines).rename(columns={"waarde": "straks"})
    both = now.merge(later, on=["figuur", "maand"], how="outer")
    both[["nu", "straks"]] = both[["nu", "straks"]].fillna(0).astype("int64")
    changed = both[both["nu"] != both["straks"]].copy()
    order = {key: i for i, key in enumerate(MONTHLY_HEADLINES)}
    changed["label"] = changed["figuur"].map(lambda k: FIGURES[k].label)
    changed["volgorde"] = changed["figuur"].map(order)
    changed = changed.sort_values(["volgorde", "maand"])
    return changed[columns].reset_index(drop=True)


def _span(data_dir: Path | None) -> tuple[dt.date, dt.date] | None:
    if _version_or_none(data_dir) is None:
        return None
    first, last = database(data_dir).execute("select min(datum), max(datum) from facts").iloc[0]
    if pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def _monthly(data_dir: Path | None, period: Selection, headlines: tuple[str, ...]) -> pd.DataFrame:
    if _version_or_none(data_dir) is None:
        return pd.DataFrame(columns=["figuur", "maand", "waarde"])
    frame = values.per_period(period, headlines, "month", data_dir)
    return frame[["figuur", "maand", "waarde"]]
