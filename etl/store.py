"""Versioned output: every load writes a complete new version, then switches `current` to it.

`<out>/current` is a symlink to `<out>/versions/<run>`; it is replaced atomically (rename), so a
reader sees either the previous complete version or the new complete version, never a mix.

A crash at any step leaves at most: a `.tmp-*` folder, a `.current-*` link, a version folder
that `current` does not point to yet (the crash fell between renaming the folder and switching
the link), or an old version half removed. The next run removes all of these before it
writes (`recover`), so no crash ever needs a repair by hand; the tests crash at every step.
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


def recover(out: Path) -> None:
    """Remove what a crashed run left: unfinished folders and links, unpublished versions."""
    versions = out / VERSIONS
    current = current_dir(out)
    for stale in out.glob(f".{CURRENT}-*"):
        stale.unlink(missing_ok=True)
    if not versions.is_dir():
        return
    for folder in versions.iterdir():
        unfinished = folder.name.startswith(".tmp-")
        unpublished = current is not None and folder.name > current.name
        if (unfinished or unpublished) and folder.resolve() != current:
            shutil.rmtree(folder, ignore_errors=True)


def new_version(out: Path, run: str) -> Path:
    """A fresh, empty temporary folder to write the version `run` into."""
    recover(out)
    versions = out / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    tmp = versions / f".tmp-{run}"
    tmp.mkdir()
    return tmp


def publish(out: Path, tmp: Path, run: str) -> Path:
    """Make the finished version in `tmp` the current one, atomically."""
    final = out / VERSIONS / run
    for written in sorted(tmp.rglob("*")):  # data on disk before the switch (and the cache)
        if written.is_dir():
            fsync_dir(written)
            continue
        with open(written, "rb") as handle:
            os.fsync(handle.fileno())
    if final.exists():  # an earlier run crashed after this rename, before it switched `current`
        shutil.rmtree(final)
    tmp.rename(final)
    fsync_dir(final.parent)
    link_tmp = out / f".{CURRENT}-{run}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(Path(VERSIONS) / run)
    os.replace(link_tmp, out / CURRENT)
    fsync_dir(out)
    _prune(out, keep=final)
    return final


def fsync_dir(folder: Path) -> None:
    """A rename is on disk only once its folder is (a power cut must not undo the switch)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(out: Path, keep: Path) -> None:
    versions = sorted(
        (p for p in (out / VERSIONS).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
