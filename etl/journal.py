"""The journal of a save: which files an upload moves into the raw folder, kept until its load
is published.

Opslaan moves the staged files into `data/raw/` one by one and then loads. A crash between
(a power cut, a killed server) would leave files in the raw folder that no load recorded: the
next load would count them as anybody's, without their original names. So the moves are
written down first (`<out>/.opslaan.json`, on disk before the first file moves) and the journal
is removed once the load is published. Whoever takes the load's lock next (a load, a save, an
undo) finishes the story first (`recover`): when the load was published, only the journal
goes; when not, the files leave the raw folder for the archive, with a note why, and the
figures stay those of the last load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pandas as pd

from etl import store

JOURNAL = ".opslaan.json"
ARCHIVE = "archief"  # beside the raw folder: files that left it, each group with its reason
INTERRUPTED = (
    "Opslaan werd onderbroken voor de lading klaar was: deze bestanden zijn niet geladen. "
    "Lever ze opnieuw aan."
)


def begin(out: Path, moves: dict[str, str], who: str) -> None:
    """Write down a save before its first move: {file as the raw folder will name it:
    the name it was sent under}, and who saves."""
    path = out / JOURNAL
    part = path.with_name(f"{JOURNAL}.deel")
    note = {"bestanden": moves, "door": who}
    with open(part, "w", encoding="utf-8") as handle:
        json.dump(note, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    part.replace(path)
    store.fsync_dir(out)


def done(out: Path) -> None:
    """The save is over (its load published, or every file moved back)."""
    (out / JOURNAL).unlink(missing_ok=True)
    store.fsync_dir(out)


def recover(out: Path, raw_dir: Path) -> Path | None:
    """Finish a save that a crash stopped (call it holding the load's lock). Returns the
    archive folder its files went to, or None (no journal, or its load was published)."""
    path = out / JOURNAL
    if not path.exists():
        return None
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
        moves = dict(note["bestanden"])
    except (OSError, ValueError, KeyError, TypeError):
        moves, note = {}, {}  # unreadable: written halfway, so before any file moved
    if not moves or _recorded(out, set(moves)):
        done(out)
        return None
    stamp = dt.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    archive = raw_dir.parent / ARCHIVE / f"{stamp}-onderbroken"
    for name in moves:
        source = raw_dir / name
        if source.is_file():
            target = archive / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
    archive.mkdir(parents=True, exist_ok=True)
    reason = {
        "reden": INTERRUPTED,
        "door": note.get("door", ""),
        "wanneer": stamp,
        "bestanden": moves,
    }
    (archive / "reden.json").write_text(
        json.dumps(reason, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    done(out)
    return archive


def _recorded(out: Path, names: set[str]) -> bool:
    """Whether a published load recorded these files as an upload of its own."""
    current = store.current_dir(out)
    if current is None or not (current / "runs.parquet").exists():
        return False
    runs = pd.read_parquet(current / "runs.parquet")
    if "aanlevering" not in runs:
        return False
    return any(set(json.loads(sent or "{}")) == names for sent in runs["aanlevering"])
