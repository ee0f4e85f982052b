"""Who may see what: the roles, the users file, the pages each role opens, the download audit.

No Streamlit here: the dashboard (dashboard/access.py) asks this module who a logged-in email
is and what that person may open; the file and the rules are the programme's, so they are
read and checked like an export (a bad row is refused with a Dutch reason; the rest counts).

`data/reference/gebruikers.csv` (or EINCLUSIE_GEBRUIKERS), UTF-8, `;`:

    email;rol;wijken
    an.peeters@voorbeeld.gent;medewerker;Ledeberg|Rabot - Blaisantvest

Roles build on each other: a databeheerder may do what a medewerker may, a beheerder what a
databeheerder may. `wijken` (optional, `|` between names) is the person's default selection on
a first visit, not a restriction.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import fcntl
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from einclusie.settings import REFERENCE_DIR, settings

USERS_HEADER = ("email", "rol", "wijken")
MAX_USERS_BYTES = 1_000_000  # a users file is a few hundred rows; anything larger is refused
_EMAIL = re.compile(r"^[^@\s;|<>]+@[^@\s;|<>]+\.[^@\s;|<>]+$")


class Role(enum.IntEnum):
    """The roles of the users file, in order: each may do all that the ones before it may."""

    MEDEWERKER = 1
    DATABEHEERDER = 2
    BEHEERDER = 3

    @property
    def label(self) -> str:
        return self.name.lower()


ROLE_NAMES = {role.label: role for role in Role}

# The least role that opens a page (by its url_path); every other page is for a medewerker.
PAGE_ROLES = {
    "gegevens": Role.DATABEHEERDER,
    "aanleveren": Role.DATABEHEERDER,
    "gebruikers": Role.BEHEERDER,
}


def page_role(url_path: str) -> Role:
    return PAGE_ROLES.get(url_path, Role.MEDEWERKER)


# What the public view opens (no login): the pages whose every number passes the small-number
# protection (einclusie/figures/values.py protects the headline figures per wijk and month and
# the help requests' splits). The other pages' figures are not protected yet: not public.
PUBLIC_PAGES = frozenset({"overzicht", "hulpvragen", "wijken"})


@dataclass(frozen=True)
class User:
    email: str  # as written in the file; matched in lower case
    role: Role
    wijken: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefusedRow:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reason: str  # Dutch, for the beheerder


@dataclass(frozen=True)
class Users:
    """The users file as read: the valid users by lower-case email, and the refused rows."""

    by_email: dict[str, User] = field(default_factory=dict)
    refused: tuple[RefusedRow, ...] = ()
    problem: str | None = None  # the whole file refused (missing, unreadable, wrong header)

    def find(self, email: str | None) -> User | None:
        return self.by_email.get((email or "").strip().lower())


def users_path() -> Path:
    return settings().users_file


def known_wijken() -> set[str]:
    """The 25 wijken of the register (data/reference/wijken.csv)."""
    with (REFERENCE_DIR / "wijken.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["wijk"] for row in csv.DictReader(handle, delimiter=";")}


def read_users(path: Path | None = None, wijken: Iterable[str] | None = None) -> Users:
    """Read and check the users file; never raises for what is in the file."""
    path = path or users_path()
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_USERS_BYTES:
            return Users(problem=f"{name} is te groot ({size:,} bytes); het mag 1 MB zijn.")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return Users(problem=f"Het gebruikersbestand {name} ontbreekt: niemand heeft toegang.")
    except UnicodeDecodeError:
        return Users(problem=f"{name} is geen UTF-8-tekst; bewaar het als CSV UTF-8.")
    except OSError as error:
        return Users(problem=f"{name} kan niet gelezen worden ({error.strerror}).")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = tuple(cell.strip().lower() for cell in rows[0]) if rows else ()
    if header[:3] != USERS_HEADER:
        return Users(
            problem=f"{name} moet beginnen met de kopregel 'email;rol;wijken' "
            f"(gevonden: '{';'.join(rows[0]) if rows else 'een leeg bestand'}')."
        )
    allowed = set(wijken) if wijken is not None else known_wijken()
    by_email: dict[str, User] = {}
    first_row: dict[str, int] = {}
    refused: list[RefusedRow] = []
    twice: set[str] = set()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # an empty line
        user, reason = _user(cells, allowed)
        if reason is None and user.email.lower() in first_row:
            # Which role was meant is unclear: neither row counts (a downgrade appended below
            # must not leave the old role standing).
            email = user.email.lower()
            twice.add(email)
            reason = (
                f"{user.email} staat er ook in rij {first_row[email]} (hoofdletters tellen "
                "niet): geen van beide rijen telt."
            )
        if reason is not None:
            refused.append(RefusedRow(number, reason))
        else:
            by_email[user.email.lower()] = user
            first_row[user.email.lower()] = number
    for email in twice:
        refused.append(
            RefusedRow(first_row[email], f"{by_email.pop(email).email} staat er twee keer in.")
        )
    return Users(by_email, tuple(sorted(refused, key=lambda r: r.row)))


def _user(cells: list[str], wijken: set[str]) -> tuple[User | None, str | None]:
    if len(cells) > 3 and any(cell.strip() for cell in cells[3:]):
        return None, "te veel velden: verwacht email;rol;wijken."
    email, role, chosen = [*cells, "", "", ""][:3]
    # Invisible characters (a word joiner copied from a screen) would make a row that never
    # matches a login: they are taken out.
    email = "".join(c for c in email if unicodedata.category(c) != "Cf").strip()
    if not _EMAIL.match(email):
        return None, f"'{email}' is geen e-mailadres."
    if role.strip().lower() not in ROLE_NAMES:
        return None, (
            f"rol '{role.strip()}' bestaat niet; kies medewerker, databeheerder of beheerder."
        )
    names = tuple(part.strip() for part in chosen.split("|") if part.strip())
    unknown = [part for part in names if part not in wijken]
    if unknown:
        return None, f"onbekende wijk '{unknown[0]}' (schrijf ze zoals in wijken.csv)."
    return User(email, ROLE_NAMES[role.strip().lower()], names), None


# --- the download audit ------------------------------------------------------------------

AUDIT_HEADER = ("wanneer", "wie", "wat", "bestand")


def audit_path(data_dir: Path | None = None) -> Path:
    """Beside the loaded versions: the audit is about the data, not about the code."""
    return (data_dir or settings().data_dir) / "audit" / "downloads.csv"


def record_download(who: str, what: str, file_name: str, data_dir: Path | None = None) -> None:
    """Append one download, under an exclusive lock of the file: two replicas writing at
    once never interleave within a line, and only the first writes the header."""
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    line = io.StringIO()
    writer = csv.writer(line, delimiter=";", lineterminator="\n")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # two replicas: one header, whole lines
        if os.fstat(fd).st_size == 0:
            writer.writerow(AUDIT_HEADER)
        writer.writerow([when, who, _one_line(what), _one_line(file_name)])
        os.write(fd, line.getvalue().encode("utf-8"))
    finally:
        os.close(fd)


def read_downloads(data_dir: Path | None = None) -> list[dict[str, str]]:
    """The audit, newest first."""
    path = audit_path(data_dir)
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter=";") if row.get("wanneer")]
    return rows[::-1]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
