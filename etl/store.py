"""Versioned output: every load writes a complete new version, then switches `current` to it.

`<out>/current` is a symlink to `<out>/versions/<run>`; it is replaced atomically (rename), so a
reader sees either the previous complete version or the new complete version, never a mix. A
crash mid-run leaves only a `.tmp-*` folder behind, which the next run removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

CURRENT = "current"
VERSIONS = "versions"
KEEP_VERSIONS = 2  # the current one and the one before, for readers still holding it


def current_dir(out: Path) -> Path | None:
    """The folder of the last complete load, or None when nothing was loaded yet."""
    link = out / CURRENT
    return link.resolve() if link.exists() else None


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """One load at a time per output folder."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(
                f"er loopt al een lading naar {out}; wacht tot die klaar is"
            ) from None
        yield


def new_version(out: Path, run: str) -> Path:
    """A fresh, empty temporary folder to write the version `run` into."""
    versions = out / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.glob(".tmp-*"):  # left by a run that crashed
        shutil.rmtree(stale, ignore_errors=True)
    tmp = versions / f".tmp-{run}"
    tmp.mkdir()
    return tmp


def publish(out: Path, tmp: Path, run: str) -> Path:
    """Make the finished version in `tmp` the current one, atomically."""
    final = out / VERSIONS / run
    for written in tmp.iterdir():  # data on disk before the switch
        with open(written, "rb") as handle:
            os.fsync(handle.fileno())
    tmp.rename(final)
    link_tmp = out / f".{CURRENT}-{run}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(Path(VERSIONS) / run)
    os.replace(link_tmp, out / CURRENT)
    _prune(out, keep=final)
    return final


def _prune(out: Path, keep: Path) -> None:
    versions = sorted(
        (p for p in (out / VERSIONS).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
