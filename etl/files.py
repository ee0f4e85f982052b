"""Finding the exports in the raw folder, and opening them so that no file can hang the load,
fill the memory or bring in a file from elsewhere.

A source folder's `*.csv` files (any case of the extension) are its exports. Anything that is
not a regular file of at most the size limit is refused by type before it is opened: a folder
named `x.csv`, a FIFO, a device, a socket, a link to a file outside the raw folder (such as
`/etc/passwd` or `/dev/zero`). Files that are skipped (another extension, a CSV beside the
source folders, Excel's lock files) are named in a warning, never passed over without a word.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.sources import SAMPLE_HASHES, SOURCES

CHUNK = 1 << 20


@dataclass(frozen=True)
class Found:
    """One export file in a source folder; `problem` is the Dutch reason it cannot be read."""

    path: Path
    name: str  # "<source>/<file name>", as the manifest and the messages name it
    problem: str | None = None


_REASONS = {
    errno.EACCES: "geen leesrechten",
    errno.EPERM: "geen leesrechten",
    errno.ELOOP: "de link wijst naar zichzelf of naar een kring van links",
    errno.ENOENT: "het bestand bestaat niet (meer), of de link wijst nergens naar",
    errno.EIO: "leesfout op de schijf",
}


def reason(exc: BaseException) -> str:
    """Why a file could not be opened or read, in Dutch."""
    code = getattr(exc, "errno", None)
    return _REASONS.get(code, getattr(exc, "strerror", None) or "onbekende fout")


class Unreadable(Exception):
    """The file cannot be opened or read within its bounds; str() is a Dutch reason."""


def _limit_text(limit: int) -> str:
    return f"{limit / 1e6:.0f} MB".replace(".", ",")


def _kind(mode: int) -> str | None:
    """What a file that is not a regular one is, in Dutch; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "een map, geen bestand"
    if stat.S_ISFIFO(mode):
        return "geen gewoon bestand maar een pijp (FIFO)"
    if stat.S_ISSOCK(mode):
        return "geen gewoon bestand maar een socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "geen gewoon bestand maar een apparaat"
    return "geen gewoon bestand"


def check(path: Path, raw_dir: Path, limit: int) -> str | None:
    """Why `path` cannot be an export (Dutch), or None: checked without opening it."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(raw_dir.resolve()):
                return (
                    "dit is een snelkoppeling (link) naar een bestand buiten de map met exports; "
                    "zet het bestand zelf in de map"
                )
            info = os.stat(target)
    except RuntimeError:  # a loop of links (Path.resolve, Python < 3.13)
        return f"het bestand kan niet geopend worden ({_REASONS[errno.ELOOP]})"
    except OSError as exc:
        return f"het bestand kan niet geopend worden ({reason(exc)})"
    kind = _kind(info.st_mode)
    if kind:
        return f"dit is {kind}"
    if info.st_size > limit:
        return (
            f"het bestand is groter dan de grens van {_limit_text(limit)} per bestand "
            "(instelbaar met EINCLUSIE_MAX_FILE_MB); splits de export op, bv. per maand"
        )
    return None


@contextlib.contextmanager
def _opened(path: Path, limit: int) -> Iterator[int]:
    """A descriptor of `path`, checked again after opening (the file may have been swapped)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(f"het bestand kan niet geopend worden ({reason(exc)})") from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind:
            raise Unreadable(f"dit is {kind}")
        if info.st_size > limit:
            raise Unreadable(f"het bestand is groter dan de grens van {_limit_text(limit)}")
        yield fd
    finally:
        os.close(fd)


def _chunks(fd: int, limit: int) -> Iterator[bytes]:
    total = 0
    while True:
        try:
            chunk = os.read(fd, CHUNK)
        except OSError as exc:
            raise Unreadable(f"het bestand kan niet gelezen worden ({reason(exc)})") from None
        if not chunk:
            return
        total += len(chunk)
        if total > limit:  # it grew while being read
            raise Unreadable(f"het bestand is groter dan de grens van {_limit_text(limit)}")
        yield chunk


def read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, never more than `limit`; raises Unreadable."""
    with _opened(path, limit) as fd:
        return b"".join(_chunks(fd, limit))


def sha256(path: Path, limit: int) -> str:
    """The file's content hash, read in chunks within `limit`; raises Unreadable."""
    digest = hashlib.sha256()
    with _opened(path, limit) as fd:
        for chunk in _chunks(fd, limit):
            digest.update(chunk)
    return digest.hexdigest()


def _utf8_name(name: str) -> bool:
    """A file name the manifest can hold (the file system gave bytes that are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_name_warning(name: str) -> str:
    shown = os.fsencode(name).decode("cp1252", errors="replace")
    return (
        f"'{shown}' wordt niet geladen: de bestandsnaam bevat tekens die geen UTF-8 zijn; "
        "geef het bestand een naam met gewone letters"
    )


def _is_export_name(name: str) -> bool:
    return name.lower().endswith(".csv") and not name.startswith(("~$", ".~lock"))


def discover(raw_dir: Path, limit: int) -> tuple[dict[str, list[Found]], list[str]]:
    """The export files per known source folder, sorted by name, and a warning for each
    thing in the raw folder that is not loaded."""
    files: dict[str, list[Found]] = {name: [] for name in SOURCES}
    warnings: list[str] = []
    try:
        entries = sorted(raw_dir.iterdir())
    except OSError as exc:
        return files, [f"de map {raw_dir} kan niet gelezen worden ({reason(exc)})"]
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in (SAMPLE_HASHES, "README.md"):
            continue
        if not _utf8_name(name):
            warnings.append(_bad_name_warning(name))
            continue
        if name in SOURCES:
            if not entry.is_dir() or entry.is_symlink():
                warnings.append(f"'{name}' in {raw_dir} is geen map en wordt overgeslagen")
                continue
            files[name], skipped = _source_files(entry, raw_dir, limit)
            warnings += skipped
        elif _is_export_name(name):
            warnings.append(
                f"'{name}' staat rechtstreeks in {raw_dir} en wordt niet geladen; "
                "zet het in de map van zijn bron (bv. digipunten/)"
            )
        elif entry.is_dir() and not entry.is_symlink():
            warnings.append(f"map '{name}' in {raw_dir} is geen bekende bron en wordt overgeslagen")
        else:
            warnings.append(f"'{name}' in {raw_dir} is geen export en wordt overgeslagen")
    return files, warnings


def _source_files(folder: Path, raw_dir: Path, limit: int) -> tuple[list[Found], list[str]]:
    found: list[Found] = []
    warnings: list[str] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        return [], [f"de map {folder.name}/ kan niet gelezen worden ({reason(exc)})"]
    for entry in entries:
        name = f"{folder.name}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if not _utf8_name(entry.name):
            warnings.append(_bad_name_warning(name))
            continue
        if entry.name.startswith(("~$", ".~lock")):
            warnings.append(f"'{name}' is een tijdelijk bestand van Excel en wordt overgeslagen")
        elif not _is_export_name(entry.name):
            warnings.append(
                f"'{name}' wordt niet geladen: alleen bestanden die op .csv eindigen zijn exports"
            )
        else:
            found.append(Found(entry, name, check(entry, raw_dir, limit)))
    return found, warnings
