"""Exports sent in through the dashboard (the Aanleveren page): checked, tried, stored, undone.

An upload is the most hostile input there is, so nothing of it reaches the raw folder before
the steward saves it:
1. `check` reads the bytes as the contract's CSV (the kind of file from its content, not its
   name), recognises the source from the header, and refuses what the contract refuses;
2. `stage` writes the accepted files into a staging folder of their own, and `try_upload`
   runs the load as a dry run with them beside the raw folder (nothing stored);
3. `save` moves them into `<raw>/<source>/` under a safe name (sorted by period, never
   overwriting) and loads, holding the load's lock, so a second steward is told to wait;
   `undo` moves the files of one earlier upload into the archive, with the reason, and loads.
Every load records who made it and the original file names (runs.parquet).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import datetime as dt
import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from einclusie.format import slug
from etl import journal, store
from etl.journal import ARCHIVE
from etl.load import FIGURE_CHANGES, LoadReport, Progress, load_version, run_load
from etl.reading import RefusedFile, read_export, sniff_delimiter, to_utf8
from etl.sources import SOURCES, normalise_header
from etl.validation import EXPECTATIONS_DIR, read_suite, required_columns

_DATE = re.compile(r"\b(?:(\d{1,2})[/-](\d{1,2})[/-](\d{4})|(\d{4})-(\d{2})-(\d{2}))\b")


@dataclass
class Checked:
    """One uploaded file after the checks: its source, or why it is refused."""

    name: str  # the name the steward's computer gave it (data: shown as plain text)
    data: bytes = field(repr=False)
    source: str | None = None
    candidates: list[str] = field(default_factory=list)  # more than one: the steward chooses
    refusal: str = ""
    rows: int = 0
    period: str = ""  # yyyy-mm of its latest date (what its safe name sorts by)

    @property
    def accepted(self) -> bool:
        return not self.refusal and self.source is not None


class UploadBusy(Exception):
    """Another steward is saving or undoing; the message says to wait."""


def header_names(data: bytes) -> list[str]:
    """The file's column names as the load reads them; RefusedFile when it is no CSV."""
    utf8, _ = to_utf8(data)
    first = utf8.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    try:
        header = next(csv.reader([first], delimiter=sniff_delimiter(first), strict=True))
    except (csv.Error, StopIteration):
        raise RefusedFile("de kopregel (rij 1) is geen geldige CSV") from None
    return [normalise_header(h) for h in header]


def recognise(names: Iterable[str], suites_dir: Path = EXPECTATIONS_DIR) -> list[str]:
    """The sources whose required columns the header has, best match first."""
    present = set(names)
    scores = []
    for source in SOURCES.values():
        required = required_columns(read_suite(source.name, suites_dir))
        if required <= present:
            scores.append((-len(present & set(source.columns)), source.name))
    return [name for _, name in sorted(scores)]


def check(
    name: str,
    data: bytes,
    limit_bytes: int,
    source: str | None = None,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> Checked:
    """Read an uploaded file as the contract's CSV; `source` when the steward chose one."""
    checked = Checked(name=name, data=data)
    if len(data) > limit_bytes:
        checked.refusal = (
            f"het bestand is {len(data) / 1e6:.1f} MB; de grens is {limit_bytes / 1e6:.0f} MB "
            "per bestand. Stuur het in delen (bv. per maand)".replace(".", ",", 1)
        )
        return checked
    try:
        names = header_names(data)
        checked.candidates = recognise(names, suites_dir)
        if source is not None and source not in SOURCES:
            raise RefusedFile(f"onbekende bron '{source}'")
        chosen = source or (checked.candidates[0] if len(checked.candidates) == 1 else None)
        if chosen is None and not checked.candidates:
            raise RefusedFile(
                "de kolommen passen bij geen enkele bron van het contract (gevonden: "
                + (", ".join(n for n in names if n) or "geen")
                + ")"
            )
        if chosen is not None:
            required = required_columns(read_suite(chosen, suites_dir))
            export = read_export(data, SOURCES[chosen], required)
            checked.source, checked.rows = chosen, export.rows_read
            dates = export.table.column("datum") if "datum" in export.table.column_names else []
            checked.period = period_of(dates)
    except RefusedFile as refusal:
        checked.refusal = str(refusal)
    return checked


def period_of(dates: Iterable[object], today: dt.date | None = None) -> str:
    """yyyy-mm of the latest of these `datum` values that is a date not after today (a typo
    such as 01/01/2031 does not move the file); today's month when there is none."""
    today = today or dt.date.today()
    latest: tuple[int, int] | None = None
    for value in dates:
        match = _DATE.fullmatch(str(value or "").strip())
        if match is None:
            continue
        day_first = match.group(3) is not None
        year = int(match.group(3) if day_first else match.group(4))
        month = int(match.group(2) if day_first else match.group(5))
        if 1 <= month <= 12 and 2000 <= year and (year, month) <= (today.year, today.month):
            latest = max(latest or (year, month), (year, month))
    if latest is None:
        latest = (today.year, today.month)
    return f"{latest[0]:04d}-{latest[1]:02d}"


def _next_free(base: str, taken: set[str]) -> str:
    lowered = {t.lower() for t in taken}
    name, n = f"{base}.csv", 1
    while name.lower() in lowered:
        n += 1
        name = f"{base}-{n}.csv"
    return name


def safe_name(checked: Checked, taken: set[str]) -> str:
    """<period>_<original name as ASCII>.csv, with -2, -3 ... when the name is taken."""
    stem = slug(Path(checked.name).stem)[:60].strip("-") or "export"
    return _next_free(f"{checked.period or period_of([])}_{stem}", taken)


STAGING = ".aanlevering"  # beside the raw folder: same file system, so saving is a rename
STALE_STAGING_S = 24 * 3600  # a session that ended without Opslaan or Annuleren


def staging_root(raw_dir: Path) -> Path:
    return raw_dir.parent / STAGING


def stage(files: list[Checked], raw_dir: Path) -> tuple[Path, dict[str, str]]:
    """Write the accepted files into a new staging folder laid out as the raw folder.

    Returns the folder and {<source>/<safe name>: original name}; the names are free in the
    raw folder and among each other. Staging folders of sessions that ended a day ago go."""
    root = staging_root(raw_dir)
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in root.iterdir():
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > STALE_STAGING_S:
                shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="sessie-", dir=root))
    originals: dict[str, str] = {}
    taken: dict[str, set[str]] = collections.defaultdict(set)
    for checked in files:
        if not checked.accepted:
            continue
        source = str(checked.source)
        if source not in taken:
            existing = raw_dir / source
            taken[source] = {p.name for p in existing.iterdir()} if existing.is_dir() else set()
        name = safe_name(checked, taken[source] | _archived(raw_dir, source))
        taken[source].add(name)
        (folder / source).mkdir(exist_ok=True)
        (folder / source / name).write_bytes(checked.data)
        originals[f"{source}/{name}"] = checked.name
    return folder, originals


def _archived(raw_dir: Path, source: str) -> set[str]:
    """Names used before by files now in the archive: a name is never given twice."""
    archive = raw_dir.parent / ARCHIVE
    if not archive.is_dir():
        return set()
    return {p.name for p in archive.glob(f"*/{source}/*.csv")}


def try_upload(
    staged: Path,
    raw_dir: Path,
    reference_dir: Path,
    out: Path,
    *,
    progress: Progress | None = None,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> LoadReport:
    """The dry run of an upload: what would load, be quarantined and change."""
    return run_load(
        raw_dir,
        reference_dir,
        out,
        progress=progress,
        suites_dir=suites_dir,
        dry_run=True,
        staged=staged,
    )


def save(
    staged: Path,
    originals: dict[str, str],
    raw_dir: Path,
    reference_dir: Path,
    out: Path,
    who: str,
    *,
    tried_on: str | None = None,
    progress: Progress | None = None,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> LoadReport:
    """Move the staged files into the raw folder and load them, as one step under the load's
    lock: a second steward gets UploadBusy, and a failed load puts nothing in the raw folder.
    `tried_on`: the version the dry run compared with (`loaded_version`); when another load
    came since, nothing is saved (the dry run no longer says what would change)."""
    with _exclusive(out):
        if tried_on is not None and loaded_version(out) != tried_on:
            raise UploadBusy(
                "Intussen is er opnieuw geladen, dus de proeflading klopt niet meer. Doe de "
                "proeflading opnieuw; er is niets gewijzigd."
            )
        notices = journal.recover(out, raw_dir)
        targets: dict[str, Path] = {}
        for name in originals:
            target = raw_dir / name
            if target.exists():  # another save took the name meanwhile: the next free one
                source, file_name = name.split("/", 1)
                taken = {p.name for p in target.parent.iterdir()} | _archived(raw_dir, source)
                taken |= {t.name for t in targets.values() if t.parent == target.parent}
                target = target.parent / _next_free(Path(file_name).stem, taken)
            targets[name] = target
        originals = {str(targets[n].relative_to(raw_dir)): o for n, o in originals.items()}
        archive = journal.interrupted_archive(dt.datetime.now().astimezone())
        # On disk before the first file moves (etl/journal.py).
        journal.begin(out, journal.SAVE, list(originals), who, archive, namen=originals)
        moved: list[tuple[Path, Path]] = []
        try:
            for name, target in targets.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(staged / name, target)
                moved.append((staged / name, target))
            report = load_version(
                raw_dir,
                reference_dir,
                out,
                out,
                progress,
                suites_dir,
                None,
                who=who,
                originals=originals,
                notices=notices,
            )
        except BaseException:
            for origin, target in moved:  # back where they were: the raw folder as before
                origin.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(target, origin)
            journal.done(out)
            raise
        journal.done(out)
    shutil.rmtree(staged, ignore_errors=True)
    return report


def loaded_version(out: Path) -> str:
    """Which version is loaded now ('' for none): what a dry run was made against."""
    current = store.current_dir(out)
    return current.name if current is not None else ""


def discard(staged: Path | None) -> None:
    """Annuleren: the staging folder goes, nothing stays behind."""
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)


def uploads(out: Path) -> pd.DataFrame:
    """run, gestart, door, bestanden (list of raw names), namen (original names), teruggezet:
    every load that added files through the dashboard, newest first."""
    current = store.current_dir(out)
    columns = ["run", "gestart", "door", "bestanden", "namen", "teruggezet"]
    if current is None:
        return pd.DataFrame(columns=columns)
    runs = pd.read_parquet(current / "runs.parquet")
    if "aanlevering" not in runs:
        return pd.DataFrame(columns=columns)
    rows = []
    undone = {int(r) for r in runs.get("teruggezet_run", pd.Series(dtype="float")).dropna()}
    for run in runs.itertuples():
        added = json.loads(run.aanlevering or "{}")
        if added:
            rows.append(
                (
                    int(run.run),
                    run.gestart,
                    run.door,
                    list(added),
                    list(added.values()),
                    int(run.run) in undone,
                )
            )
    return pd.DataFrame(rows, columns=columns).sort_values("run", ascending=False)


def history(out: Path) -> pd.DataFrame:
    """Every load, newest first: run, gestart, door, bestanden (the files it added, by the
    name they were sent under), aanlevering (through the dashboard), teruggezet (undone
    later), zet_terug (the upload this load undid), wijzigingen (headline figure-months)."""
    columns = ["run", "gestart", "door", "bestanden", "aanlevering", "teruggezet", "zet_terug"]
    current = store.current_dir(out)
    if current is None:
        return pd.DataFrame(columns=[*columns, "wijzigingen"])
    runs = pd.read_parquet(current / "runs.parquet")
    manifest = pd.read_parquet(current / "manifest.parquet")
    undone = {int(r) for r in runs.get("teruggezet_run", pd.Series(dtype="float")).dropna()}
    rows = []
    for run in runs.itertuples():
        sent = json.loads(getattr(run, "aanlevering", "") or "{}")
        first = manifest[(manifest["run"] == run.run) & (manifest["eerst_geladen_run"] == run.run)]
        names = list(sent.values()) or first["bestand"].tolist()
        back = getattr(run, "teruggezet_run", None)
        rows.append(
            (
                int(run.run),
                run.gestart,
                getattr(run, "door", "") or "",
                names,
                bool(sent),
                int(run.run) in undone,
                None if pd.isna(back) else int(back),
            )
        )
    frame = pd.DataFrame(rows, columns=columns).astype({"zet_terug": "Int64"})
    changes = figure_changes(out)
    counted = changes.groupby("run").size() if not changes.empty else pd.Series(dtype=int)
    frame["wijzigingen"] = frame["run"].map(counted).fillna(0).astype(int)
    return frame.sort_values("run", ascending=False).reset_index(drop=True)


def figure_changes(out: Path, run: int | None = None) -> pd.DataFrame:
    """run, figuur, label, maand, nu, straks: what each load changed in the headline figures
    per month (the load's history keeps it); of one load when `run` is given."""
    from einclusie.figures.registry import FIGURES

    current = store.current_dir(out)
    path = current / FIGURE_CHANGES if current is not None else None
    if path is None or not path.exists():
        return pd.DataFrame(columns=["run", "figuur", "label", "maand", "nu", "straks"])
    frame = pd.read_parquet(path)
    if run is not None:
        frame = frame[frame["run"] == run]
    labels = frame["figuur"].map(lambda k: FIGURES[k].label if k in FIGURES else k)
    return frame.assign(label=labels).reset_index(drop=True)


def try_undo(
    run: int, raw_dir: Path, reference_dir: Path, out: Path, suites_dir: Path = EXPECTATIONS_DIR
) -> LoadReport:
    """What undoing upload `run` would change (a dry run without its files)."""
    return run_load(
        raw_dir,
        reference_dir,
        out,
        suites_dir=suites_dir,
        dry_run=True,
        excluded=set(_upload_files(run, out)),
    )


def undo(
    run: int,
    reason: str,
    raw_dir: Path,
    reference_dir: Path,
    out: Path,
    who: str,
    *,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> LoadReport:
    """Terugzetten: the files of upload `run` leave the raw folder for the archive (with the
    reason, who and when), and a load makes the figures those of before."""
    stamp = dt.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    archive = raw_dir.parent / ARCHIVE / f"{stamp}-lading-{run}"
    with _exclusive(out):
        notices = journal.recover(out, raw_dir)
        found = uploads(out)
        if found.loc[found["run"] == run, "teruggezet"].any():
            raise UploadBusy(f"Lading {run} is al teruggezet; er is niets gewijzigd.")
        names = _upload_files(run, out)
        journal.begin(out, journal.UNDO, names, who, archive.name, lading=run)
        moved: list[tuple[Path, Path]] = []
        try:
            for name in names:
                source = raw_dir / name
                if not source.exists():
                    continue  # already gone (removed by hand): nothing to move
                target = archive / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
                moved.append((source, target))
            note = {
                "lading": run,
                "reden": reason,
                "door": who,
                "wanneer": stamp,
                "bestanden": names,
            }
            archive.mkdir(parents=True, exist_ok=True)
            (archive / "reden.json").write_text(
                json.dumps(note, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            report = load_version(
                raw_dir,
                reference_dir,
                out,
                out,
                None,
                suites_dir,
                None,
                who=who,
                undone=run,
                notices=notices,
            )
        except BaseException:
            for source, target in moved:
                shutil.move(target, source)
            shutil.rmtree(archive, ignore_errors=True)
            journal.done(out)
            raise
        journal.done(out)
    return report


def _upload_files(run: int, out: Path) -> list[str]:
    found = uploads(out)
    row = found[found["run"] == run]
    if row.empty:
        raise ValueError(f"lading {run} is geen aanlevering via het dashboard")
    return list(row["bestanden"].iloc[0])


class _exclusive:
    """The load's lock; held by someone else: UploadBusy with a sentence to show."""

    def __init__(self, out: Path) -> None:
        self._lock = store.exclusive(out)

    def __enter__(self) -> None:
        try:
            self._lock.__enter__()
        except RuntimeError:
            raise UploadBusy(
                "Een andere databeheerder is net aan het opslaan of terugzetten. Wacht tot "
                "die klaar is en probeer dan opnieuw; er is niets gewijzigd."
            ) from None

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)
