"""The journal of a save or an undo: which files it moves, kept until its load is published.

Opslaan moves the staged files into `data/raw/` one by one and then loads; Terugzetten moves
an upload's files out of it into the archive and then loads. A crash between (a power cut, a
killed server) would leave the raw folder as no load recorded it: files that the next load
would count as anybody's, or an upload's rows gone while the history says it stands. So the
moves are written down first (`<out>/.opslaan.json`, on disk before the first file moves),
and the note is removed once the load is published. Whoever takes the load's lock next (a
load, a save, an undo; a dry run when nobody holds it) finishes the story first (`recover`):

- the load was published (the loaded version is no longer the one the note names): only the
  note goes;
- a save was not: its files leave the raw folder for `archief/<when>-onderbroken/`, with
  `reden.json`, and the figures stay those of the last load;
- an undo was not: its files go back into the raw folder, and its archive folder goes.

Either way `recover` returns a Dutch sentence for whoever loads next.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from etl import store

JOURNAL = ".opslaan.json"
ARCHIVE = "archief"  # beside the raw folder: files that left it, each group with its reason
SAVE, UNDO = "opslaan", "terugzetten"
REASON = "reden.json"


def interrupted_archive(when: dt.datetime) -> str:
    """The archive folder of a save that a crash stopped (named when the save began)."""
    return f"{when:%Y%m%d-%H%M%S}-onderbroken"


def begin(out: Path, kind: str, files: list[str], who: str, archive: str, **more: object) -> None:
    """Write down a save or an undo before its first move: `files` as the raw folder names
    them, `archive` the folder under archief/ they go to (an undo's) or would go to (a save's
    after a crash)."""
    current = store.current_dir(out)
    note = {
        "soort": kind,
        "versie": current.name if current is not None else "",
        "bestanden": files,
        "door": who,
        "archief": archive,
        **more,
    }
    path = out / JOURNAL
    part = path.with_name(f"{JOURNAL}.deel")
    with open(part, "w", encoding="utf-8") as handle:
        json.dump(note, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    part.replace(path)
    store.fsync_dir(out)


def done(out: Path) -> None:
    """The save or undo is over: its load published, or every file moved back."""
    (out / JOURNAL).unlink(missing_ok=True)
    store.fsync_dir(out)


def recover(out: Path, raw_dir: Path) -> list[str]:
    """Finish a save or undo that a crash stopped; call it holding the load's lock. Returns
    what happened, in Dutch, for the next load's warnings (empty: nothing to finish)."""
    path = out / JOURNAL
    if not path.exists():
        return []
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
        kind, files, archive_name = note["soort"], list(note["bestanden"]), note["archief"]
    except (OSError, ValueError, KeyError, TypeError):
        done(out)  # written with a rename, so never half: not a note of ours
        return []
    current = store.current_dir(out)
    if (current.name if current is not None else "") != note.get("versie", ""):
        done(out)  # its load was published: the raw folder is as it recorded
        return []
    archive = raw_dir.parent / ARCHIVE / archive_name
    message = (
        _undo_undone(raw_dir, archive, files, note)
        if kind == UNDO
        else _save_archived(raw_dir, archive, files, note)
    )
    done(out)
    return [message] if message else []


def _save_archived(raw_dir: Path, archive: Path, files: list[str], note: dict) -> str | None:
    """A save that stopped before its load: its files go to the archive, with the reason
    first (a crash while this runs is finished by the next call, in the same folder)."""
    present = [name for name in files if (raw_dir / name).is_file()]
    kept = [name for name in files if (archive / name).is_file()]
    if not present and not kept:
        return None  # stopped before its first move: the raw folder is as it was
    archive.mkdir(parents=True, exist_ok=True)
    if not (archive / REASON).exists():
        reason = {
            "reden": "Opslaan werd onderbroken voor de lading klaar was: deze bestanden zijn "
            "niet geladen. Lever ze opnieuw aan.",
            "door": note.get("door", ""),
            "wanneer": archive.name.removesuffix("-onderbroken"),
            "bestanden": note.get("namen", {}) or files,
        }
        _write(archive / REASON, reason)
    for name in present:
        target = archive / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(raw_dir / name, target)
        store.fsync_dir(target.parent)
    names = ", ".join(sorted(set(present) | set(kept)))
    who = f" door {note['door']}" if note.get("door") else ""
    return (
        f"Een opslag via Aanleveren{who} werd onderbroken voor de lading klaar was: "
        f"{names} is niet geladen en staat nu in {ARCHIVE}/{archive.name}. Lever het opnieuw aan."
    )


def _undo_undone(raw_dir: Path, archive: Path, files: list[str], note: dict) -> str | None:
    """An undo that stopped before its load: its files go back into the raw folder."""
    back = [name for name in files if (archive / name).is_file() and not (raw_dir / name).exists()]
    for name in back:
        (raw_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(archive / name, raw_dir / name)
        store.fsync_dir((raw_dir / name).parent)
    if archive.is_dir() and not any(p.is_file() and p.name != REASON for p in archive.rglob("*")):
        shutil.rmtree(archive, ignore_errors=True)
    if not back:
        return None
    run = note.get("lading", "?")
    return (
        f"Het terugzetten van lading {run} werd onderbroken voor de lading klaar was: de "
        "bestanden staan weer in de map met exports en er is niets teruggezet."
    )


def _write(path: Path, note: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(note, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    store.fsync_dir(path.parent)
