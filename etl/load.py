"""`python -m etl load`: raw CSV exports in, validated Parquet out, as one atomic version.

Every run rebuilds all tables from every file in the raw folder, so nothing can be counted
twice. Files are applied in the order they were first loaded (earlier runs first), then by file
name, and per `id` the row of the file applied last wins: a re-sent export corrects earlier rows.
A run whose inputs (raw files, reference data, suites) are unchanged writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from einclusie import settings
from einclusie.figures.db import ID_KEY_COLUMN, PART_PREFIX, forget_version
from etl import journal, store
from etl.cache import Entry, SourceCache, context_key, today_rules
from etl.changes import Changes, compare_versions
from etl.files import Found, Unreadable, discover, read_bounded, sha256
from etl.normalise import (
    FILE_COLUMN,
    ID_CODE,
    ID_KEY,
    ORDER_COLUMN,
    POSITION_COLUMN,
    canonical_values,
    normalise,
    validation_frame,
)
from etl.reading import ROW_COLUMN, RawExport, RefusedFile, read_export
from etl.register import (
    LOCATIES_FILE,
    REGISTER_SUITE,
    WIJKEN_FILE,
    ReferenceDataError,
    check_register,
    read_register,
    read_wijken,
    typed_register,
)
from etl.sources import SAMPLE_HASHES, SOURCES, Kind, Source
from etl.validation import (
    EXPECTATIONS_DIR,
    Outcome,
    Validator,
    checked_columns,
    read_suite,
    required_columns,
    row_reasons,
    shared_validator,
    summed_outcomes,
    value_sets,
)

# Bump when the way files are turned into tables changes, so the next load rebuilds.
PIPELINE_VERSION = "7"  # 2: categorieen.parquet; 3: runs.meldingen, the register's suite;
# 4: vervangen.parquet (a table added), the quarantine's values as columns, malformed rows' ids;
# 5: the load's history (runs.door, .aanlevering, .teruggezet_run; wijzigingen.parquet);
# 6: a source's table as parts, <source>/deel-<run>.parquet (db.source_parts); 7: each row's
# id in lower case stored with it (db.ID_KEY_COLUMN)
MANIFEST = "manifest.parquet"
RUNS = "runs.parquet"
QUARANTINE = "quarantaine.parquet"
EXPECTATION_RESULTS = "verwachtingen.parquet"
CATEGORIES = "categorieen.parquet"
FIGURE_CHANGES = "wijzigingen.parquet"  # per load: the headline figures per month, before/after
# runs.parquet's columns of the load's history, and their value in versions written before.
HISTORY_COLUMNS = {"door": "", "aanlevering": "{}", "teruggezet_run": None}


@dataclass
class FileResult:
    """One file of one run: what the manifest records."""

    bron: str
    bestand: str  # relative to the raw folder, e.g. digipunten/2022-03.csv
    sha256: str
    status: str = "geladen"  # or "geweigerd"
    melding: str = ""
    codering: str = ""
    scheidingsteken: str = ""
    rijen_gelezen: int = 0
    rijen_geladen: int = 0
    rijen_quarantaine: int = 0
    rijen_vervangen: int = 0  # loaded, but replaced by the same id in a file applied later
    persoonsgegevens_verwijderd: list[str] = field(default_factory=list)
    kolommen_genegeerd: list[str] = field(default_factory=list)
    verwachtingen_geslaagd: int = 0
    verwachtingen_mislukt: int = 0
    duur_s: float = 0.0
    eerst_geladen_run: int = 0
    voorbeeld: bool = False  # one of the shipped sample exports, unchanged
    kenmerk: str = ""  # size, times and inode when hashed: the same next time, the same hash


@dataclass
class LoadReport:
    run: int
    changed: bool
    files: list[FileResult]
    duration_s: float
    version_dir: Path | None  # None after a dry run
    warnings: list[str] = field(default_factory=list)
    changes: Changes | None = None  # a dry run's: what the load would change
    quarantine: pd.DataFrame | None = None  # a dry run's: the new files' quarantined rows

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "geweigerd"]


Progress = Callable[[int, int, str], None]


def file_order(path: Path) -> tuple[str, str]:
    """Files are applied in order of name; by stem first, so 2022-03.csv precedes its
    re-sent 2022-03-herzien.csv (a plain name sort would put '-' before '.')."""
    return path.stem, path.name


def _inputs_fingerprint(
    hashes: dict[str, str],
    raw_dir: Path,
    reference_dir: Path,
    suites_dir: Path,
    limit: int,
    today: dt.date | None = None,
) -> str:
    """What a load depends on; `hashes` holds "refused: <reason>" for a file that was refused;
    `today` when a row was refused for a date after the day it was loaded (see `_day_matters`)."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    if today is not None:
        digest.update(f"vandaag={today.isoformat()}\n".encode())
    for name, value in sorted(hashes.items()):
        digest.update(f"{name}={value}\n".encode())
    extra = [reference_dir / WIJKEN_FILE, reference_dir / LOCATIES_FILE, raw_dir / SAMPLE_HASHES]
    for path in extra:
        try:
            value = sha256(path, limit) if path.exists() else "-"
        except Unreadable as exc:
            value = str(exc)
        digest.update(f"{path.name}={value}\n".encode())
    for path in sorted(suites_dir.glob("*.json")):
        digest.update(f"{path.name}={sha256(path, limit)}\n".encode())
    return digest.hexdigest()


def _day_matters(version: Path | None, today: dt.date) -> bool:
    """Whether the loaded version refused rows for a date after the day it was made: on a
    later day they may load, so the same files are not "nothing changed"."""
    if version is None:
        return False
    for meta in (version / "cache").glob("*/*.json"):
        try:
            entry = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if entry.get("today_failures") and entry.get("made_on") != today.isoformat():
            return True
    return False


def _previous(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    current = store.current_dir(out)
    if current is None or not (current / RUNS).exists():
        return pd.DataFrame(), pd.DataFrame()
    return pd.read_parquet(current / RUNS), pd.read_parquet(current / MANIFEST)


def run_load(
    raw_dir: Path,
    reference_dir: Path,
    out: Path,
    *,
    progress: Progress | None = None,
    suites_dir: Path = EXPECTATIONS_DIR,
    today: dt.date | None = None,
    dry_run: bool = False,
    staged: Path | None = None,
    excluded: set[str] | None = None,
    who: str = "",
) -> LoadReport:
    """Load every export under `raw_dir` into a new version under `out` (see module doc).

    `staged`: a folder laid out as `raw_dir` (<source>/<file>.csv) whose files count as if they
    were in `raw_dir` (an upload not stored yet); `excluded`: files of `raw_dir` (as the
    manifest names them) to leave out (an undo not done yet). `dry_run`: write nothing under
    `out` (the version is built in a scratch folder, then removed) and report what would
    change. `who`: who asked for the load, for its history."""
    options: dict[str, Any] = {"staged": staged, "excluded": excluded, "who": who}
    if not dry_run:
        with store.exclusive(out):
            # A save or undo that a crash stopped is finished first (etl/journal.py).
            options["notices"] = journal.recover(out, raw_dir)
            return load_version(
                raw_dir, reference_dir, out, out, progress, suites_dir, today, **options
            )
    if (out / journal.JOURNAL).exists():  # one a crash stopped, or one under way
        try:
            with store.exclusive(out):
                options["notices"] = journal.recover(out, raw_dir)
        except RuntimeError:
            pass  # under way: its files are its own
    scratch = _scratch(out)
    try:
        report = load_version(
            raw_dir, reference_dir, out, scratch, progress, suites_dir, today, **options
        )
        if report.changes is None:
            report.changes = Changes()
        else:
            report.quarantine = _new_quarantine(scratch, report.changes)
        report.version_dir = None
        return report
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _scratch(out: Path) -> Path:
    """Where a dry run builds its version: beside `out` (one file system, so the cache's
    entries are linked, not copied), else in the system's temporary folder; never in `out`."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".proef-", dir=out.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="einclusie-proef-"))


def _new_quarantine(data_dir: Path, found: Changes) -> pd.DataFrame:
    """The quarantined rows of the new and changed files, as the load would keep them."""
    version = store.current_dir(data_dir)
    assert version is not None
    frame = pd.read_parquet(version / QUARANTINE)
    touched = set(found.files.loc[found.files["toestand"] != "verwijderd", "bestand"])
    return frame[frame["bestand"].isin(touched)].reset_index(drop=True)


def load_version(
    raw_dir: Path,
    reference_dir: Path,
    out: Path,
    target: Path,
    progress: Progress | None,
    suites_dir: Path,
    today: dt.date | None,
    *,
    staged: Path | None = None,
    excluded: set[str] | None = None,
    who: str = "",
    originals: dict[str, str] | None = None,
    undone: int | None = None,
    notices: list[str] | None = None,
) -> LoadReport:
    """run_load's work, without its lock (the caller holds `store.exclusive(out)` when
    `target` is `out`): reads `out`'s last version, writes the new one under `target`.
    `originals`: {file: the name it was sent under} of the files an upload adds; `undone`:
    the upload whose files this load leaves out; `notices`: sentences for the load's warnings
    (what `journal.recover` did first)."""
    started = time.perf_counter()
    started_at = dt.datetime.now().astimezone().replace(microsecond=0)
    # Measured at 100x: the system allocator is about 1 s faster here than Arrow's default
    # (mimalloc), with less time in the kernel and less peak memory.
    pa.set_memory_pool(pa.system_memory_pool())
    today = today or dt.date.today()
    with ThreadPoolExecutor(max_workers=2) as readers:
        limit = settings.settings().max_file_bytes
        files, warnings = discover(raw_dir, limit)
        warnings = [*(notices or []), *warnings]  # e.g. a save a crash stopped (journal)
        if staged is not None:  # an upload: its files beside those of the raw folder
            for source, found in discover(staged, limit)[0].items():
                files[source] = files[source] + found
        if excluded:  # an undo: its files as if they were gone
            files = {s: [f for f in group if f.name not in excluded] for s, group in files.items()}
        paths = [f for group in files.values() for f in group]
        runs, manifest = _previous(out)
        hashes, problems, marks = _hashes(paths, limit, _known_hashes(runs, manifest))
        fingerprint = _inputs_fingerprint(
            {**hashes, **{n: f"refused: {p}" for n, p in problems.items()}},
            raw_dir,
            reference_dir,
            suites_dir,
            limit,
            today if _day_matters(store.current_dir(out), today) else None,
        )
        if len(runs) and runs["invoer"].iloc[-1] == fingerprint:
            last = int(runs["run"].iloc[-1])
            return LoadReport(
                last,
                False,
                _file_results(manifest[manifest["run"] == last]),  # refused ones still are
                time.perf_counter() - started,
                store.current_dir(out),
                warnings,
            )
        run = int(runs["run"].max()) + 1 if len(runs) else 1
        first_loaded = _first_loaded(manifest)
        samples = _sample_hashes(raw_dir)

        wijken = read_wijken(reference_dir)
        register_rows = read_register(reference_dir)
        register_suite = read_suite(REGISTER_SUITE, suites_dir)
        register_check = _RegisterCheck(register_rows, wijken, register_suite, today)
        register_check.start()
        done = 0  # files handled, for the progress
        suites = {name: read_suite(name, suites_dir) for name in SOURCES}
        reference = _reference_hashes(reference_dir, limit)
        previous_version = store.current_dir(out)
        caches = {
            name: SourceCache(
                previous_version, name, context_key(PIPELINE_VERSION, suites[name], reference)
            )
            for name in SOURCES
        }
        # Every file is handed to the two readers at once (pyarrow releases the GIL), so the
        # next sources are read while the current one is validated; results keep their order.
        # A file whose entry the version before has cached is not read at all.
        reading = {
            source.name: [
                (
                    found.name,
                    _cached_or_read(
                        readers,
                        caches[source.name],
                        today,
                        found,
                        hashes.get(found.name, ""),
                        problems.get(found.name),
                        source,
                        required,
                        limit,
                    ),
                )
                for found in sorted(
                    files[source.name],
                    key=lambda f: (
                        first_loaded.get((f.name, hashes.get(f.name, "")), run),
                        *file_order(f.path),
                    ),
                )
            ]
            for source in SOURCES.values()
            for required in [required_columns(suites[source.name])]
        }
        # The register's suite runs in the background (while GX imports and the first files
        # are read and normalised); its verdict comes before anything is validated or written.
        validators: list[Validator] = []
        tmp: Path | None = None

        def register_verdict() -> list[Outcome]:
            try:
                return register_check.verdict()
            except ReferenceDataError:  # nothing of this run stays behind
                readers.shutdown(cancel_futures=True)
                if tmp is not None:
                    shutil.rmtree(tmp, ignore_errors=True)
                raise

        def validator() -> Validator:
            register_verdict()
            if not validators:
                validators.append(shared_validator(today))
            return validators[0]

        try:  # typed at once, tolerantly, for the normalisation
            locaties = typed_register(register_rows)
        except Exception:
            register_verdict()  # a broken register is the reason to give
            raise
        con = duckdb.connect()
        # Should DuckDB ever spill to disk, it does so under --out like everything else.
        con.execute(f"SET temp_directory = '{_sql_path(target / '.duckdb-tmp')}'")
        con.register("locaties_df", locaties)
        con.execute("CREATE TABLE locaties AS SELECT * FROM locaties_df")
        tmp = store.new_version(target, f"{run:06d}")
        earlier_quarantine = _earlier_quarantine(previous_version)
        last_loaded = _last_loaded(manifest, runs)

        # The sources whose files all come from the cache first, while the readers still
        # read the others' new files; the results in the sources' order all the same.
        by_source: dict[str, tuple[list[FileResult], pd.DataFrame, list[dict]]] = {}
        waiting = {s: any(not isinstance(p, Entry) for _, p in reading[s]) for s in reading}
        for source in sorted(SOURCES.values(), key=lambda s: waiting[s.name]):
            suite_json = suites[source.name]
            cache = caches[source.name]
            cache.attach(tmp)
            results: list[FileResult] = []
            files: list[tuple[FileResult, Entry | None, RawExport | None]] = []
            for name, pending in reading[source.name]:
                entry: Entry | None = None
                export: RawExport | None = None
                if isinstance(pending, Entry):
                    entry = pending
                    result = FileResult(bron=source.name, bestand=name, sha256=hashes[name])
                    for key, value in entry.result.items():
                        setattr(result, key, value)
                else:
                    result, export = pending.result()
                if progress:
                    progress(done, len(paths), name)
                done += 1
                result.eerst_geladen_run = first_loaded.get((name, hashes.get(name, "")), run)
                result.kenmerk = marks.get(name, "")
                result.voorbeeld = name in hashes and samples.get(name) == hashes[name]
                results.append(result)
                if entry is not None or export is not None:
                    files.append((result, entry, export))
            try:
                outcomes, quarantined = _validate_and_write(
                    con,
                    validator,
                    source,
                    suite_json,
                    files,
                    cache,
                    today,
                    tmp,
                    run,
                    _previous_files(source, last_loaded, previous_version),
                    earlier_quarantine,
                )
            except Exception:
                register_verdict()  # a broken register is the reason to give
                raise
            by_source[source.name] = (
                results,
                quarantined,
                _expectation_rows(run, source.name, outcomes),
            )
        if progress:
            progress(done, len(paths), "")
        results = [r for name in SOURCES for r in by_source[name][0]]
        quarantine = [by_source[name][1] for name in SOURCES]
        expectation_rows = [row for name in SOURCES for row in by_source[name][2]]
        expectation_rows += _expectation_rows(run, REGISTER_SUITE, register_verdict())

        _write_frame(con, locaties, tmp / "locaties.parquet")
        _write_frame(con, wijken, tmp / "wijken.parquet")
        _write_frame(con, _categories(suites), tmp / CATEGORIES)
        _write_frame(con, _quarantine_frame(quarantine, run), tmp / QUARANTINE)
        _write_frame(con, pd.DataFrame(expectation_rows), tmp / EXPECTATION_RESULTS)
        duration = time.perf_counter() - started
        file_rows = pd.DataFrame(  # the columns also when there is no file at all
            [{"run": run, **asdict(r)} for r in results],
            columns=["run", *(f.name for f in dataclasses.fields(FileResult))],
        )
        _write_frame(con, pd.concat([manifest, file_rows], ignore_index=True), tmp / MANIFEST)
        run_row = pd.DataFrame(
            [
                {
                    "run": run,
                    "gestart": started_at.isoformat(),
                    "invoer": fingerprint,
                    "bestanden": len(results),
                    "geweigerd": sum(r.status == "geweigerd" for r in results),
                    "rijen_gelezen": sum(r.rijen_gelezen for r in results),
                    "rijen_geladen": sum(r.rijen_geladen for r in results),
                    "rijen_quarantaine": sum(r.rijen_quarantaine for r in results),
                    "duur_s": round(duration, 3),
                    "meldingen": "\n".join(warnings),  # what was skipped, and why
                    "door": who,
                    "aanlevering": json.dumps(originals or {}, ensure_ascii=False),
                    "teruggezet_run": undone,
                }
            ]
        ).astype({"teruggezet_run": "Int64"})
        for column, empty in HISTORY_COLUMNS.items():  # versions written before these
            if len(runs) and column not in runs:
                runs = runs.assign(**{column: empty})
        runs = pd.concat([runs, run_row], ignore_index=True).astype({"teruggezet_run": "Int64"})
        _write_frame(con, runs, tmp / RUNS)
        found = _changes(out, tmp)
        _write_frame(con, _figure_history(out, found, run), tmp / FIGURE_CHANGES)
        version = store.publish(target, tmp, f"{run:06d}")
        con.close()
        report = LoadReport(run, True, results, duration, version, warnings)
        report.changes = found
        return report


def who_on_the_command_line() -> str:
    """The account that runs `python -m etl load`, as the history names it."""
    try:
        return f"opdrachtregel ({getpass.getuser()})"
    except (OSError, KeyError):
        return "opdrachtregel"


def _changes(out: Path, tmp: Path) -> Changes:
    """What the version in `tmp` changes against `out`'s current one."""
    linked = Path(tempfile.mkdtemp(prefix="einclusie-nieuw-"))
    try:  # the figures read a data folder whose `current` is the version
        (linked / store.CURRENT).symlink_to(tmp.resolve())
        before = out if store.current_dir(out) is not None else None
        return compare_versions(before, linked)
    finally:
        shutil.rmtree(linked, ignore_errors=True)
        forget_version(tmp.resolve())


def _figure_history(out: Path, found: Changes, run: int) -> pd.DataFrame:
    """Every load's changes of the headline figures per month, this one's added."""
    current = store.current_dir(out)
    earlier = (
        pd.read_parquet(current / FIGURE_CHANGES)
        if current is not None and (current / FIGURE_CHANGES).exists()
        else pd.DataFrame()
    )
    now = found.figures.drop(columns="label").assign(run=run)
    frame = pd.concat([earlier, now], ignore_index=True)
    return frame.reindex(columns=["run", "figuur", "maand", "nu", "straks"]).astype(
        {"run": "int64", "figuur": "string", "nu": "int64", "straks": "int64"}
    )


def _file_results(manifest: pd.DataFrame) -> list[FileResult]:
    """The manifest's rows of one run as the load reported them."""
    names = [f.name for f in dataclasses.fields(FileResult)]
    results = []
    for row in manifest.to_dict("records"):
        values = {k: row[k] for k in names if k in row}
        for listed in ("persoonsgegevens_verwijderd", "kolommen_genegeerd"):
            found = values.get(listed)
            values[listed] = [] if found is None else list(found)  # Parquet gives an array
        results.append(FileResult(**values))
    return results


def _expectation_rows(run: int, source: str, outcomes: list[Outcome]) -> list[dict]:
    return [
        {
            "run": run,
            "bron": source,
            "verwachting": o.expectation,
            "kolom": o.column,
            "reden": o.description,
            "geslaagd": o.success,
            "afwijkende_rijen": o.unexpected_count,
        }
        for o in outcomes
    ]


def _categories(suites: dict[str, dict]) -> pd.DataFrame:
    """bron, kolom, waarde, volgorde: the canonical values of the suites this run used."""
    rows = [
        {"bron": name, "kolom": column, "waarde": value, "volgorde": position}
        for name, suite in suites.items()
        for column, value, position in value_sets(suite)
    ]
    return pd.DataFrame(rows, columns=["bron", "kolom", "waarde", "volgorde"]).astype(
        {"bron": "string", "kolom": "string", "waarde": "string", "volgorde": "int32"}
    )


class _RegisterCheck(threading.Thread):
    """Imports Great Expectations (seconds) and validates the register with its suite, while
    the main thread reads and normalises; `verdict()` waits for it and raises its error."""

    def __init__(
        self, rows: pd.DataFrame, wijken: pd.DataFrame, suite: dict, today: dt.date
    ) -> None:
        super().__init__(name="register", daemon=True)
        self._args = (rows, wijken, suite, today)
        self._outcomes: list[Outcome] = []
        self._error: BaseException | None = None

    def run(self) -> None:
        rows, wijken, suite, today = self._args
        try:
            self._outcomes = check_register(rows, wijken, shared_validator(today), suite)
        except BaseException as exc:  # handed to the main thread by verdict()
            self._error = exc

    def verdict(self) -> list[Outcome]:
        self.join()
        if self._error is not None:
            raise self._error
        return self._outcomes


def _validate_and_write(
    con: duckdb.DuckDBPyConnection,
    validator: Callable[[], Validator],
    source: Source,
    suite_json: dict,
    files: list[tuple[FileResult, Entry | None, RawExport | None]],
    cache: SourceCache,
    today: dt.date,
    tmp: Path,
    run: int,
    before: dict[tuple[str, str], tuple[int, int]] | None = None,
    earlier_quarantine: pa.Table | None = None,
) -> tuple[list[Outcome], pd.DataFrame]:
    """Normalise and validate the source's new files into the cache, then build its table
    from the cached rows of every file (in the order they apply), write it, count per file.

    Returns the expectations' outcomes and the quarantined rows; the rows a later file
    replaced are added to the version's vervangen.parquet. Every rule but the count of a
    table's rows looks at one row, or at the rows of one file (an id twice in one file), so
    a file validated alone fails exactly the rows it fails among the others.

    `before`: {(file, content hash): (rows loaded, rows replaced)} of the version before, for
    this source. When this source has the same files, its table is that version's; when it
    only adds files (applied after the others), the new rows go onto that version's table
    (see `_add_to_previous`); otherwise the table is built from every file's cached rows.
    `earlier_quarantine`: that version's quarantine, where a file it loaded from the same
    entry finds its refused rows."""
    fresh = [(export, result) for result, entry, export in files if export is not None]
    entries = {result.bestand: entry for result, entry, _ in files if entry is not None}
    if fresh:
        entries.update(_validate_new(con, validator, source, suite_json, fresh, cache, today))
    for _, entry, _ in files:
        if entry is not None:
            cache.keep(entry)
    ordered = [(result, entries[result.bestand]) for result, _, _ in files]
    previous = cache.previous.parent.parent if cache.previous is not None else None
    added = _only_added(files, before)
    if previous is not None and before is not None and added == 0:
        # The same files as the version before, all from its cache: its table stands.
        for part in _parts(previous, source):
            _link(part, _part_path(tmp, source, part.name))
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE vervangen AS
            SELECT bestand AS {FILE_COLUMN}, rij AS {ROW_COLUMN}, id, vervangen_door
            FROM read_parquet({_sql_text(str(previous / REPLACED))}) WHERE bron = $bron""",
            {"bron": source.name},
        )
        _write_replaced(con, source, tmp / REPLACED)
        for result, _ in ordered:
            result.rijen_geladen, result.rijen_vervangen = before[(result.bestand, result.sha256)]
    elif previous is not None and before is not None and added is not None:
        _add_to_previous(
            con,
            source,
            suite_json,
            cache,
            ordered,
            added,
            before,
            previous,
            tmp,
            run,
            new_are_fresh=len(fresh) == added,
        )
    else:
        if fresh and len(fresh) == len(files):  # all new: the rows just validated, in order
            _just_validated(con)
        else:
            _combine(con, source, suite_json, cache, ordered)
        _mark_replaced(con, len(ordered))
        _write_source(con, source, _part_path(tmp, source, _part_name(run)))
        _write_replaced(con, source, tmp / REPLACED)
        _count_per_file(con, ordered)
    rules = range(len(suite_json.get("expectations", [])))
    failing = [sum(entry.failing[i] for _, entry in ordered) for i in rules]
    # A file the version before loaded with this content has its refused rows there: one
    # read instead of one per file (the entry found is the one that version used).
    earlier = {
        result.bestand
        for result, entry, _ in files
        if entry is not None
        and before is not None
        and earlier_quarantine is not None
        and (result.bestand, result.sha256) in before
    }
    refused = [
        cache.refused([(r.bestand, entry) for r, entry in ordered if r.bestand not in earlier]),
        _refused_earlier(earlier_quarantine, source, earlier) if earlier else pd.DataFrame(),
    ]
    frames = [frame for frame in refused if len(frame)]
    return summed_outcomes(suite_json, failing), (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    )


def _earlier_quarantine(previous: Path | None) -> pa.Table | None:
    """The quarantine of the version before, without its run (every load writes its own)."""
    if previous is None or not (previous / QUARANTINE).exists():
        return None
    table = pq.read_table(previous / QUARANTINE)
    return table.drop_columns(["run"]) if "run" in table.column_names else table


def _refused_earlier(quarantine: pa.Table, source: Source, names: set[str]) -> pd.DataFrame:
    """The refused rows of files `names` of `source` in an earlier version's quarantine."""
    chosen = pc.and_(
        pc.equal(quarantine["bron"], source.name),
        pc.is_in(quarantine["bestand"], pa.array(sorted(names), pa.string())),
    )
    return quarantine.filter(chosen).to_pandas()


# What a cache entry keeps of a file's FileResult (reading and validating fill them in).
CACHED_RESULT = (
    "codering",
    "scheidingsteken",
    "rijen_gelezen",
    "rijen_quarantaine",
    "persoonsgegevens_verwijderd",
    "kolommen_genegeerd",
    "verwachtingen_geslaagd",
    "verwachtingen_mislukt",
)
# Columns of the normalised rows that are made again when the files are put together.
_REBUILT = (POSITION_COLUMN, ORDER_COLUMN, ID_KEY, ID_CODE)


def _validate_new(
    con: duckdb.DuckDBPyConnection,
    validator: Callable[[], Validator],
    source: Source,
    suite_json: dict,
    fresh: list[tuple[RawExport, FileResult]],
    cache: SourceCache,
    today: dt.date,
) -> dict[str, Entry]:
    """Normalise and validate the files just read, together, and cache each one's result."""
    raw = _concat(source, fresh)
    normalised = normalise(con, source, raw, canonical_values(suite_json))
    frame = validation_frame(normalised, source, checked_columns(suite_json))
    outcomes = validator().validate(suite_json, frame)
    reasons = row_reasons(outcomes, raw, source.location_column)
    refused_rows = _quarantined_rows(source, raw, reasons)  # in the order of `reasons`
    refused_at = reasons.index.to_numpy()
    # When every file of the source is new, its table is built from these rows at once.
    con.register("genormaliseerd", normalised)
    con.register("afgekeurd", pa.table({POSITION_COLUMN: refused_at}))
    bad = np.zeros(raw.num_rows, dtype=bool)
    bad[refused_at] = True
    kept = normalised.drop_columns([c for c in _REBUILT if c in normalised.column_names])
    rules_of_today = today_rules(suite_json)
    failing_at = [np.sort(o.failing_rows.to_numpy()) for o in outcomes]
    # _concat put each file's rows after the other's: a file is a range of rows.
    ends = np.cumsum([export.table.num_rows for export, _ in fresh])
    entries = {}
    for (export, result), end in zip(fresh, ends, strict=True):
        start = end - export.table.num_rows
        valid = kept.slice(start, end - start).filter(pa.array(~bad[start:end]))
        failing = [
            int(np.searchsorted(rows, end) - np.searchsorted(rows, start)) for rows in failing_at
        ]
        first, last = np.searchsorted(refused_at, [start, end])
        refused = refused_rows.iloc[first:last]
        if export.malformed:
            refused = pd.concat(
                [_malformed_rows(source, result.bestand, export), refused], ignore_index=True
            )
        result.rijen_quarantaine += int(last - first)  # + malformed
        result.verwachtingen_mislukt = sum(1 for n in failing if n)
        result.verwachtingen_geslaagd = len(outcomes) - result.verwachtingen_mislukt
        entry = Entry(
            key=cache.key(result.sha256),
            result={name: getattr(result, name) for name in CACHED_RESULT},
            failing=failing,
            made_on=today.isoformat(),
            today_failures=sum(failing[i] for i in rules_of_today),
        )
        cache.store(entry, valid, refused.reset_index(drop=True))
        entries[result.bestand] = entry
    return entries


def _just_validated(con: duckdb.DuckDBPyConnection) -> None:
    """The view `geldig` (see `_combine`) over the rows `_validate_new` just validated, when
    they are all the files to combine: nothing read back from the cache."""
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW geldig AS
        SELECT * EXCLUDE ({ID_KEY}, {ID_CODE}), lower(id) AS {ID_KEY}
        FROM genormaliseerd ANTI JOIN afgekeurd USING ({POSITION_COLUMN})"""
    )


def _combine(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    suite_json: dict,
    cache: SourceCache,
    ordered: list[tuple[FileResult, Entry]],
    first_order: int = 0,
) -> None:
    """The view `geldig`: the valid rows of every file, in the order the files apply, with
    the key an id is replaced by (its lower case) and a position per row."""
    if ordered:
        # Each file's rows under its own name: two files with the same content share an entry.
        # A row's position: its file's place in the order, then its place in the file.
        rows = " UNION ALL ".join(
            f"SELECT * EXCLUDE (file_row_number) REPLACE ({_sql_text(result.bestand)} AS "
            f"{FILE_COLUMN}), {order} AS volgorde, "
            f"({order}::BIGINT << 32) + file_row_number AS {POSITION_COLUMN} "
            f"FROM read_parquet({_sql_text(str(cache.valid_path(entry)))}, "
            "file_row_number = true)"
            for order, (result, entry) in enumerate(ordered, start=first_order)
        )
    else:  # no file of this source: its columns, no rows
        empty = normalise(con, source, _concat(source, []), canonical_values(suite_json))
        con.register("leeg", empty.drop_columns([c for c in _REBUILT if c in empty.column_names]))
        rows = f"SELECT *, 0 AS volgorde, 0::BIGINT AS {POSITION_COLUMN} FROM leeg"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE geldig_rijen AS
        SELECT * EXCLUDE (volgorde), lower(id) AS {ID_KEY}, volgorde AS {ORDER_COLUMN}
        FROM ({rows})"""
    )
    con.execute("CREATE OR REPLACE TEMP VIEW geldig AS SELECT * FROM geldig_rijen")


def _previous_files(
    source: Source, last_loaded: pd.DataFrame | None, previous: Path | None
) -> dict[tuple[str, str], tuple[int, int]] | None:
    """{(file, content hash): (rows loaded, rows replaced)} of the files of `source` the
    version before loaded (`last_loaded`: its last run's loaded files, `_last_loaded`);
    None when that version's table cannot be built on."""
    if previous is None or last_loaded is None:
        return None
    parts = _parts(previous, source)
    if not parts or not (previous / REPLACED).exists():
        return None  # nothing, or a table of one file (before the parts): built again
    if any(ID_KEY_COLUMN not in pq.read_schema(part).names for part in parts):
        return None  # parts written before the ids' keys (an empty source's among them)
    last = last_loaded[last_loaded["bron"] == source.name]
    return {
        (name, sha): (int(loaded), int(replaced))
        for name, sha, loaded, replaced in zip(
            last["bestand"],
            last["sha256"],
            last["rijen_geladen"],
            last["rijen_vervangen"],
            strict=True,
        )
    }


def _last_loaded(manifest: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame | None:
    """The manifest's rows of the files the last run loaded (also when it had no file)."""
    if runs.empty:
        return None
    last = manifest[(manifest["run"] == runs["run"].iloc[-1]) & (manifest["status"] == "geladen")]
    return last[["bron", "bestand", "sha256", "rijen_geladen", "rijen_vervangen"]]


def _only_added(
    files: list[tuple[FileResult, Entry | None, RawExport | None]],
    before: dict[tuple[str, str], tuple[int, int]] | None,
) -> int | None:
    """How many files this load adds to the version before's, when that is all it does: each
    of that version's files is still there, from the cache, and applies before every new one
    (the same files in the same content apply in the same order: first load, then name)."""
    if before is None:
        return None
    pairs = [(result.bestand, result.sha256) for result, _, _ in files]
    old = [pair in before for pair in pairs]
    if set(before) - set(pairs) or any(old[i] and files[i][1] is None for i in range(len(old))):
        return None
    added = old.count(False)
    if any(old[len(old) - added :]) or not all(old[: len(old) - added]):
        return None  # a new file applies before an old one (first loaded earlier, then gone)
    return added


def _add_to_previous(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    suite_json: dict,
    cache: SourceCache,
    ordered: list[tuple[FileResult, Entry]],
    added: int,
    before: dict[tuple[str, str], tuple[int, int]],
    previous: Path,
    tmp: Path,
    run: int,
    *,
    new_are_fresh: bool = False,
) -> None:
    """The table when this load only adds files, which apply last: the version before's rows
    whose id none of the new rows has, and the new rows that no later new row replaces. As a
    rebuild from every file would (tests/test_incremental.py), without reading the old files
    or writing the old rows again: the old parts are linked, except a part that holds a row a
    new one replaces (written again without it), and the new rows are a part of their own. A
    month's export costs a month's rows. `new_are_fresh`: the added files are the ones just
    validated, whose rows are still in memory."""
    new = ordered[len(ordered) - added :]
    if new_are_fresh:  # the added files are those just validated (a month's export)
        _just_validated(con)
    else:
        _combine(con, source, suite_json, cache, new, first_order=len(ordered) - added)
    _mark_replaced(con, len(new))  # among the new files
    old_parts = _parts(previous, source)
    replaced = _sql_text(str(previous / REPLACED))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE winnaars AS
        SELECT {ID_KEY} AS sleutel, arg_max({FILE_COLUMN}, {ORDER_COLUMN}) AS door
        FROM geldig GROUP BY 1"""
    )
    # The old rows that a new row replaces, with the part each lies in: one look at the ids.
    old_sql = "[" + ", ".join(_sql_text(str(p)) for p in old_parts) + "]"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE verloren AS
        SELECT o.filename AS deel, o.bron_bestand, o.bron_rij, CAST(o.id AS VARCHAR) AS id,
            w.door
        FROM read_parquet({old_sql}, filename = true, union_by_name = true) o
        JOIN winnaars w ON w.sleutel = o.{ID_KEY_COLUMN}"""
    )
    touched = {
        Path(p).name for (p,) in con.execute("SELECT DISTINCT deel FROM verloren").fetchall()
    }
    for part in old_parts:
        if part.name not in touched:
            _link(part, _part_path(tmp, source, part.name))
            continue
        con.execute(
            f"""COPY (
                SELECT * FROM read_parquet({_sql_text(str(part))}) o
                WHERE NOT EXISTS (SELECT 1 FROM winnaars w WHERE w.sleutel = o.{ID_KEY_COLUMN})
            ) TO '{_sql_path(_part_path(tmp, source, part.name))}' (FORMAT parquet)"""
        )
    _write_source(con, source, _part_path(tmp, source, _part_name(run)))
    counts = con.execute(
        f"""SELECT {FILE_COLUMN}, count(*) AS geladen,
            (SELECT count(*) FROM vervangen v WHERE v.{FILE_COLUMN} = g.{FILE_COLUMN})
        FROM geldig g GROUP BY 1"""
    ).fetchall()
    lost = dict(con.execute("SELECT bron_bestand, count(*) FROM verloren GROUP BY 1").fetchall())
    # Every replaced row: those of the version before (now replaced by a new file when a new
    # row has their id), the old rows the new ones replace, and those among the new files.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE vervangen_alle AS
        SELECT p.bestand AS {FILE_COLUMN}, p.rij AS {ROW_COLUMN}, p.id,
            coalesce(w.door, p.vervangen_door) AS vervangen_door
        FROM read_parquet({replaced}) p LEFT JOIN winnaars w ON w.sleutel = lower(p.id)
        WHERE p.bron = $bron
        UNION ALL
        SELECT bron_bestand, bron_rij, id, door FROM verloren
        UNION ALL
        SELECT {FILE_COLUMN}, {ROW_COLUMN}, CAST(id AS VARCHAR), vervangen_door FROM vervangen""",
        {"bron": source.name},
    )
    con.execute("CREATE OR REPLACE TEMP TABLE vervangen AS SELECT * FROM vervangen_alle")
    _write_replaced(con, source, tmp / REPLACED)
    loaded = {name: (n, r) for name, n, r in counts}
    for result, _ in ordered[: len(ordered) - added]:
        n, r = before[(result.bestand, result.sha256)]
        # Rows loaded count the valid rows, those replaced later too (as a rebuild counts).
        result.rijen_geladen, result.rijen_vervangen = n, r + int(lost.get(result.bestand, 0))
    for result, _ in new:
        n, r = loaded.get(result.bestand, (0, 0))
        result.rijen_geladen, result.rijen_vervangen = int(n), int(r)


def _part_name(run: int) -> str:
    """The part of a source table holding the rows load `run` added."""
    return f"{PART_PREFIX}{run:06d}.parquet"


def _part_path(version: Path, source: Source, name: str) -> Path:
    """Where part `name` of the source's table goes in `version` (its folder made)."""
    folder = version / source.name
    folder.mkdir(exist_ok=True)
    return folder / name


def _parts(version: Path, source: Source) -> list[Path]:
    return sorted((version / source.name).glob(f"{PART_PREFIX}*.parquet"))


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy will do
        shutil.copyfile(source, target)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sample_hashes(raw_dir: Path) -> dict[str, str]:
    """file -> sha256 of the shipped sample exports (sha256sum format), if the list is there."""
    path = raw_dir / SAMPLE_HASHES
    if not path.is_file():
        return {}
    try:  # a list that cannot be read marks nothing as sample data
        text = read_bounded(path, 10_000_000).decode("utf-8", errors="replace")
    except Unreadable:
        return {}
    pairs = (line.split(maxsplit=1) for line in text.splitlines())
    return {pair[1].strip(): pair[0] for pair in pairs if len(pair) == 2}


def _first_loaded(manifest: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(file, content hash) -> the run that first loaded that content."""
    if manifest.empty:
        return {}
    loaded = manifest[manifest["status"] == "geladen"]
    firsts = loaded.groupby(["bestand", "sha256"])["run"].min()
    return {key: int(value) for key, value in firsts.items()}


def _hashes(
    found: list[Found], limit: int, known: dict[str, tuple[str, str]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(file -> content hash, file -> why it is refused before it is read, file -> its mark).

    A file whose mark (size, modification and change time, inode) is what the last load
    recorded with its hash keeps that hash without being read: any write, rename or change
    of its permissions gives it a new change time (which no program can set back), so the
    file is read again. At 100x this was a tenth of a month's load."""
    hashes: dict[str, str] = {}
    problems: dict[str, str] = {}
    marks: dict[str, str] = {}
    for item in found:
        if item.problem:
            problems[item.name] = item.problem
            continue
        mark = _mark(item.path)
        before = known.get(item.name)
        if mark and before is not None and before[0] == mark:
            hashes[item.name], marks[item.name] = before[1], mark
            continue
        try:
            hashes[item.name] = sha256(item.path, limit)
        except Unreadable as exc:
            problems[item.name] = str(exc)
            continue
        marks[item.name] = mark
    return hashes, problems, marks


def _mark(path: Path) -> str:
    try:
        found = path.stat()
    except OSError:
        return ""  # sha256 says why
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}:{found.st_ino}"


def _known_hashes(runs: pd.DataFrame, manifest: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """{file: (mark, hash)} of the files the last load read (or took from the cache)."""
    if runs.empty or "kenmerk" not in manifest:
        return {}
    last = manifest[manifest["run"] == runs["run"].iloc[-1]]
    marks = last["kenmerk"].fillna("")  # rows written before the marks have none
    return {
        name: (mark, sha)
        for name, mark, sha in zip(last["bestand"], marks, last["sha256"].fillna(""), strict=True)
        if mark and sha
    }


def _cached_or_read(
    readers: ThreadPoolExecutor,
    cache: SourceCache,
    today: dt.date,
    found: Found,
    sha: str,
    problem: str | None,
    source: Source,
    required: set[str],
    limit: int,
) -> Any:
    """The file's cache entry from the version before, or the future of its reading."""
    entry = None if problem else cache.find(sha, today)
    if entry is not None:
        return entry
    return readers.submit(_read_one, found, sha, problem, source, required, limit)


def _reference_hashes(reference_dir: Path, limit: int) -> dict[str, str]:
    """What the rows of every file depend on in the reference folder."""
    hashes = {}
    for name in (WIJKEN_FILE, LOCATIES_FILE):
        path = reference_dir / name
        try:
            hashes[name] = sha256(path, limit) if path.exists() else "-"
        except Unreadable as exc:
            hashes[name] = str(exc)
    return hashes


def _read_one(
    found: Found, sha: str, problem: str | None, source: Source, required: set[str], limit: int
) -> tuple[FileResult, RawExport | None]:
    """Read one file; whatever goes wrong, the file is refused and the others still load."""
    started = time.perf_counter()
    result = FileResult(bron=source.name, bestand=found.name, sha256=sha)
    try:
        if problem:
            raise RefusedFile(problem)
        export = read_export(read_bounded(found.path, limit), source, required)
    except (RefusedFile, Unreadable) as refusal:
        result.status, result.melding = "geweigerd", str(refusal)
    except Exception as exc:  # a file the reader does not foresee must not stop the others
        result.status = "geweigerd"
        result.melding = (
            f"het bestand kon niet gelezen worden (onverwachte fout {type(exc).__name__}); "
            "bewaar het opnieuw als CSV of meld het aan de beheerder van het dashboard"
        )
    if result.status == "geweigerd":
        result.duur_s = round(time.perf_counter() - started, 3)
        return result, None
    result.codering, result.scheidingsteken = export.encoding, export.delimiter
    result.rijen_gelezen = export.rows_read
    result.rijen_quarantaine = len(export.malformed)
    result.persoonsgegevens_verwijderd = export.dropped_personal
    result.kolommen_genegeerd = export.ignored_columns
    result.duur_s = round(time.perf_counter() - started, 3)
    return result, export


def _concat(source: Source, exports: list[tuple[RawExport, FileResult]]) -> pa.Table:
    tables = []
    for order, (export, result) in enumerate(exports):
        table = export.table
        for name in source.columns:
            if name not in table.column_names:
                table = table.append_column(name, pa.repeat("", table.num_rows))
        table = table.select([*source.columns, ROW_COLUMN])
        table = table.append_column(FILE_COLUMN, pa.repeat(result.bestand, table.num_rows))
        table = table.append_column(
            ORDER_COLUMN, pa.repeat(pa.scalar(order, pa.int32()), table.num_rows)
        )
        tables.append(table)
    if not tables:
        schema = pa.schema(
            [(c, pa.string()) for c in source.columns]
            + [(ROW_COLUMN, pa.int32()), (FILE_COLUMN, pa.string()), (ORDER_COLUMN, pa.int32())]
        )
        return schema.empty_table()
    return pa.concat_tables(tables)


def _quarantined_rows(source: Source, raw: pa.Table, reasons: pd.Series) -> pd.DataFrame:
    """The failing rows as written in the file, a column per field of the source (known
    columns only: no personal data)."""
    rows = raw.take(pa.array(reasons.index.to_numpy(), pa.int64())).to_pandas()
    values = rows[list(source.columns)].map(lambda v: (v or "").strip())
    return pd.DataFrame(
        {
            "bron": source.name,
            "bestand": rows[FILE_COLUMN].to_numpy(),
            "rij": rows[ROW_COLUMN].to_numpy(),
            "reden": reasons.to_numpy(),
            **{column: values[column].to_numpy() for column in source.columns},
        }
    )


def _malformed_rows(source: Source, name: str, export: RawExport) -> pd.DataFrame:
    """Rows with a wrong number of fields: what could be read safely (the id, mostly) is
    kept; every other field stays empty (null), never guessed."""
    values = [{c: v.strip() for c, v in row.values.items()} for row in export.malformed]
    return pd.DataFrame(
        {
            "bron": source.name,
            "bestand": name,
            "rij": [row.row for row in export.malformed],
            "reden": [row.reason for row in export.malformed],
            **{column: [v.get(column) for v in values] for column in source.columns},
        }
    )


def _quarantine_frame(parts: list[pd.DataFrame], run: int) -> pd.DataFrame:
    """run, bron, bestand, rij, id, reden, then one text column per field of the contract
    (every source's, in the sources' order): null where a row's source has no such field."""
    fields = dict.fromkeys(c for s in SOURCES.values() for c in s.columns if c != "id")
    columns = ["bron", "bestand", "rij", "id", "reden", *fields]
    frames = [p for p in parts if len(p)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    frame = frame.reindex(columns=columns).astype(
        {**{c: "string" for c in columns}, "rij": "int32"}
    )
    frame.insert(0, "run", run)
    return frame.sort_values(["bron", "bestand", "rij"]).reset_index(drop=True)


def _stored_columns(source: Source) -> list[str]:
    """The Parquet columns of a source: its fields, the location's id and wijk, provenance, the
    id's key."""
    columns = []
    for name, kind in source.columns.items():
        if kind is Kind.LOCATION:
            columns += [f"{name}_naam AS {name}", f"{name} AS locatie_id", "wijk"]
        else:
            columns.append(name)
    return [
        *columns,
        f"{FILE_COLUMN} AS bron_bestand",
        f"{ROW_COLUMN} AS bron_rij",
        f"{ID_KEY} AS {ID_KEY_COLUMN}",
    ]


def _mark_replaced(con: duckdb.DuckDBPyConnection, files: int) -> None:
    """Valid rows whose id comes again in a file applied later: the later row wins (the
    file it comes from is `vervangen_door`). `files`: how many files `geldig` holds.

    Ids match regardless of case across files (a re-sent export typed "dp-1" for "DP-1");
    inside one file they stay as written, so no file is refused that loaded before."""
    if files < 2:  # one file replaces none of its own rows: no need to group its ids
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE vervangen AS
            SELECT {POSITION_COLUMN}, {FILE_COLUMN}, {ROW_COLUMN}, id,
                {FILE_COLUMN} AS vervangen_door
            FROM geldig WHERE false"""
        )
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE vervangen AS
        SELECT g.{POSITION_COLUMN}, g.{FILE_COLUMN}, g.{ROW_COLUMN}, g.id,
            d.vervangen_door
        FROM geldig g
        JOIN (
            SELECT {ID_KEY}, max({ORDER_COLUMN}) AS laatste,
                arg_max({FILE_COLUMN}, {ORDER_COLUMN}) AS vervangen_door
            FROM geldig GROUP BY {ID_KEY} HAVING min({ORDER_COLUMN}) < max({ORDER_COLUMN})
        ) d USING ({ID_KEY})
        WHERE g.{ORDER_COLUMN} < d.laatste"""
    )


def _write_source(con: duckdb.DuckDBPyConnection, source: Source, path: Path) -> None:
    """Write the source's table: its valid rows, one per id (files are roughly by period)."""
    con.execute(
        f"""COPY (
            SELECT {", ".join(_stored_columns(source))} FROM geldig
            ANTI JOIN vervangen USING ({POSITION_COLUMN})
        ) TO '{_sql_path(path)}' (FORMAT parquet)"""
    )


# bron, bestand, rij, id, vervangen_door: the valid rows a later export replaced, per file
# (only counted in the manifest, `rijen_vervangen`, before PIPELINE_VERSION 4).
REPLACED = "vervangen.parquet"


def _write_replaced(con: duckdb.DuckDBPyConnection, source: Source, path: Path) -> None:
    """Add the source's replaced rows (`_mark_replaced`) to `path`. Sources are validated one
    after the other, so the file is rewritten with each: a few thousand rows at most."""
    rows = (
        f"SELECT '{source.name}' AS bron, {FILE_COLUMN} AS bestand, {ROW_COLUMN} AS rij, "
        "CAST(id AS VARCHAR) AS id, vervangen_door FROM vervangen"
    )
    if path.exists():
        rows = f"SELECT * FROM read_parquet('{_sql_path(path)}') UNION ALL {rows}"
    part = path.with_name(f"{path.name}.deel")  # not *.parquet: never opened as a table
    # In one order whatever order the sources came in (see load_version).
    con.execute(f"COPY ({rows} ORDER BY ALL) TO '{_sql_path(part)}' (FORMAT parquet)")
    part.replace(path)


def _count_per_file(
    con: duckdb.DuckDBPyConnection, ordered: list[tuple[FileResult, Entry]]
) -> None:
    """Fill in per file: rows loaded and replaced (by a file applied later)."""
    counts = con.execute(
        f"""SELECT {FILE_COLUMN}, count(*) AS geladen,
            (SELECT count(*) FROM vervangen v WHERE v.{FILE_COLUMN} = g.{FILE_COLUMN})
        FROM geldig g GROUP BY 1"""
    ).fetchall()
    loaded = {name: (n, replaced) for name, n, replaced in counts}
    for result, _ in ordered:
        n, replaced = loaded.get(result.bestand, (0, 0))
        result.rijen_geladen, result.rijen_vervangen = int(n), int(replaced)


def _write_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> None:
    con.register("uit", frame)
    con.execute(f"COPY (SELECT * FROM uit) TO '{_sql_path(path)}' (FORMAT parquet)")
    con.unregister("uit")


def _sql_path(path: Path) -> str:
    """COPY takes no parameters; our own output paths are quoted as SQL literals."""
    return str(path).replace("'", "''")
