"""Deterministic generator of the sample raw exports in ``data/raw/``.

The programme publishes totals only (annual report 2022), so every record here is invented.
They are laid out so that the final state of the exports (per source the last file by name
wins per id, rows the contract forbids left out) reproduces the published 2022 figures
exactly, while the files mix every variant the raw-export contract allows and carry a few
forbidden rows for the quarantine. ``data/raw/README.md`` describes the result.

Usage: ``python -m tools.sample [--out data/raw] [--reference data/reference] [--scale N]``.
Standard library only: the bytes depend on nothing but the seed, the scale and the register.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from etl.sources import SAMPLE_HASHES
from etl.sources import SOURCES as CONTRACT_SOURCES

SOURCES = tuple(CONTRACT_SOURCES)  # the six source folders, in the contract's order
YEARS = (2021, 2022, 2023)
DEFAULT_SEED = 20221231
SAMPLE_CHECKSUMS = SAMPLE_HASHES

Row = dict[str, object]

# Relative activity per month, January..December: summer dip, peak when school starts again.
SEASON = (1.0, 1.05, 1.1, 0.95, 1.0, 0.95, 0.55, 0.5, 1.35, 1.15, 1.1, 0.75)
MON_FRI = (0, 1, 2, 3, 4)
MON_SAT = (0, 1, 2, 3, 4, 5)


# --------------------------------------------------------------------------- register


@dataclass(frozen=True)
class Location:
    id: str
    naam: str
    type: str
    wijk: str
    digipunt: bool
    surfpunt: bool
    computers: int
    start: dt.date
    end: dt.date | None

    def active(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def load_register(reference_dir: Path) -> list[Location]:
    """The location register ``locaties.csv``, in file order."""
    text = (Path(reference_dir) / "locaties.csv").read_text(encoding="utf-8")
    return [
        Location(
            id=rec["locatie_id"],
            naam=rec["naam"],
            type=rec["type"],
            wijk=rec["wijk"],
            digipunt=rec["digipunt"] == "ja",
            surfpunt=rec["surfpunt"] == "ja",
            computers=int(rec["publieke_computers"]),
            start=dt.date.fromisoformat(rec["actief_van"]),
            end=dt.date.fromisoformat(rec["actief_tot"]) if rec["actief_tot"] else None,
        )
        for rec in csv.DictReader(io.StringIO(text), delimiter=";")
    ]


# --------------------------------------------------------------------------- calendar


def _easter(year: int) -> dt.date:
    # Anonymous Gregorian algorithm.
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@functools.cache
def _holidays(year: int) -> frozenset[dt.date]:
    """Belgian public holidays: the locations are closed."""
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [_easter(year) + dt.timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([dt.date(year, m, d) for m, d in fixed] + moving)


def opening_days(
    weekdays: Sequence[int], first: dt.date, last: dt.date, location: Location | None = None
) -> list[dt.date]:
    """Days in [first, last] on ``weekdays`` that are no public holiday, location active."""
    days = []
    day = first
    while day <= last:
        if (
            day.weekday() in weekdays
            and day not in _holidays(day.year)
            and (location is None or location.active(day))
        ):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


# --------------------------------------------------------------------------- allocation


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def split(rng: random.Random, total: int, parts: int, low: int = 1) -> list[int]:
    """``parts`` random integers of at least ``low`` that sum to ``total`` exactly."""
    if total < low * parts:
        raise ValueError(f"cannot split {total} into {parts} parts of at least {low}")
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    return [low + n for n in allocate(total - low * parts, weights)]


def spread(rng: random.Random, total: int, days: Sequence[dt.date]) -> list[int]:
    """Counts per day summing to ``total``: the season plus day-to-day noise."""
    return allocate(total, [SEASON[d.month - 1] * rng.uniform(0.6, 1.4) for d in days])


def pick_dates(rng: random.Random, n: int, days: Sequence[dt.date]) -> list[dt.date]:
    """``n`` dates drawn from ``days`` along the season, in date order."""
    # Drawn, not allocated: allocating a few rows over many days would pick only peak days.
    return sorted(rng.choices(days, weights=[SEASON[d.month - 1] for d in days], k=n))


def _weighted(rng: random.Random, table: Sequence[tuple[str, float]], k: int) -> list[str]:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table], k=k)


def _date(row: Row) -> dt.date:
    value = row.get("_sort", row["datum"])
    assert isinstance(value, dt.date)
    return value


class Ids:
    """Sequential ids per year, e.g. ``HV-2022-00042``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        self.last[year] = self.last.get(year, 0) + 1
        return f"{self.prefix}-{year}-{self.last[year]:05d}"

    def assign(self, rows: list[Row]) -> None:
        """Number ``rows`` in date order (sorting them in place)."""
        rows.sort(key=_date)
        for row in rows:
            row["id"] = self.next(_date(row).year)

    def forbidden(self, columns: Sequence[str], table: Iterable[tuple]) -> list[Row]:
        """Rows the contract forbids, from ``(file, anchor date, reason, *values)`` tuples.

        The anchor date places the row in its file (and is its datum unless a value says
        otherwise). A reason starting with "same id" adds a second record (the next day)
        under the same id.
        """
        rows: list[Row] = []
        for file, anchor, reason, *values in table:
            day = dt.date.fromisoformat(anchor)
            row: Row = {"datum": day, "_file": file, "_sort": day, "_bad": reason}
            row.update((c, v) for c, v in zip(columns, values, strict=True) if v is not None)
            row["id"] = self.next(day.year)
            rows.append(row)
            if reason.startswith("same id"):
                rows.append({**row, "datum": day + dt.timedelta(days=1)})
        return rows


def _restyle(
    rng: random.Random, rows: Sequence[Row], key: str, variants: dict[str, list[str]], n: int
) -> None:
    """Write ``n`` values in another case or with spaces around, as people type them."""
    candidates = [r for r in rows if r.get(key) in variants]
    for row in rng.sample(candidates, min(n, len(candidates))):
        row[key] = rng.choice(variants[str(row[key])])


def _dated(rows: list[Row], columns: Sequence[str], table: Iterable[tuple]) -> None:
    """Append rows given as ``(iso date, *values)`` tuples."""
    for day, *values in table:
        row = dict(zip(columns, values, strict=True))
        rows.append({"datum": dt.date.fromisoformat(day), **row})


# --------------------------------------------------------------------------- file layout


@dataclass(frozen=True)
class FileSpec:
    """One export file: its layout and the period whose rows it holds (None: named rows only)."""

    name: str
    headers: tuple[str, ...]
    encoding: str = "utf-8"
    delimiter: str = ";"
    newline: str = "\n"
    date_format: str = "iso"
    first: dt.date | None = None
    last: dt.date | None = None
    by_id: bool = False  # locations written as locatie_id instead of naam
    thousands: bool = False  # counts of 1000 and more with a Dutch thousands dot
    trailer: str = ""  # what follows the last row: empty lines


DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    "dd/mm/yyyy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "d/m/yyyy": lambda d: f"{d.day}/{d.month}/{d.year}",
    "dd-mm-yyyy": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    "iso": lambda d: d.isoformat(),
}
LOCATION_KEYS = ("locatie", "digibank", "vestiging")

# The three ways the programme's exports arrive.
EXCEL_NL = {"encoding": "cp1252", "delimiter": ";", "newline": "\r\n"}  # Dutch Excel "CSV"
BOM_COMMA = {"encoding": "utf-8-sig", "delimiter": ",", "newline": "\r\n"}  # "CSV UTF-8"
UTF8_SEMI = {"encoding": "utf-8", "delimiter": ";", "newline": "\n"}  # a web application
UTF8_COMMA = {"encoding": "utf-8", "delimiter": ",", "newline": "\n"}

Period = tuple[str, dt.date, dt.date]


def _months(year: int) -> list[Period]:
    return [(f"{year}-{m:02d}", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]


def _quarters(year: int) -> list[Period]:
    return [
        (f"{year}-Q{q}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)
    ]


def _halves(year: int) -> list[Period]:
    return [
        (f"{year}-H1", dt.date(year, 1, 1), dt.date(year, 6, 30)),
        (f"{year}-H2", dt.date(year, 7, 1), dt.date(year, 12, 31)),
    ]


def _whole(year: int) -> Period:
    return (str(year), *_year(year))


def _spec(period: Period, headers: Sequence[str], style: dict[str, str], **kw: object) -> FileSpec:
    name, first, last = period
    return FileSpec(f"{name}.csv", tuple(headers), first=first, last=last, **style, **kw)


Build = tuple[list[FileSpec], list[Row]]

# --------------------------------------------------------------------------- digipunten

# Help requests with kanaal Digipunt per year: (library, Lokaal Dienstencentrum, elsewhere).
# 2022: the report's 9078 = 5549 in the libraries + 888 in the LDCs + the rest; 2021: half.
DIGIPUNT_TOTALS = {2021: (2745, 430, 1364), 2022: (5549, 888, 2641), 2023: (5900, 960, 2950)}
AT_HOME = {2021: 310, 2022: 393, 2023: 420}
VRAAGTYPES = ("Technische hulp", "Digitale diensten", "Communicatie", "Werk en opleiding", "Andere")
# Exact counts per vraagtype (kanaal Digipunt): 2022 gives 51% technical help, 26% services.
VRAAGTYPE_COUNTS = {
    2021: (2180, 1270, 520, 330, 239),
    2022: (4630, 2360, 980, 610, 498),
    2023: (4900, 2650, 1100, 650, 510),
}
# fmt: off
AGE_GROUPS = {
    "library": [("-18", 4), ("18-34", 16), ("35-54", 25), ("55-64", 20), ("65+", 27),
                ("onbekend", 4), ("", 4)],
    "ldc": [("55-64", 18), ("65+", 74), ("onbekend", 3), ("", 5)],
    "other": [("-18", 6), ("18-34", 18), ("35-54", 28), ("55-64", 18), ("65+", 22),
              ("onbekend", 4), ("", 4)],
    "home": [("35-54", 8), ("55-64", 22), ("65+", 64), ("onbekend", 2), ("", 4)],
}
AT_HOME_TYPES = [("Technische hulp", 55), ("Digitale diensten", 30), ("Communicatie", 10),
                 ("Andere", 5)]
# fmt: on
WEEKDAY_PATTERNS = ((1, 3), (0, 2, 4), (2, 4), (0, 3), (1, 2, 3), (0, 4), (1, 4), (2, 3, 5))
DIGIPUNT_NOTES = (
    "terugkomer",
    "Digicafé-bezoeker",
    "Essentiële diensten: itsme",
    "afspraak, via onthaal",
    "met tolk",
)
DIGIPUNT_COLUMNS = ("datum", "locatie", "kanaal", "vraagtype", "leeftijdsgroep")
# fmt: off
DIGIPUNT_FORBIDDEN = [
    ("2021-03.csv", "2021-03-03", "date before 2015",
     "03/03/2012", "LDC Rabot", "Digipunt", "Technische hulp", "65+"),
    ("2022-02.csv", "2022-02-28", "date that does not exist",
     "30/2/2022", "Bibliotheek De Krook", "Digipunt", "Communicatie", "35-54"),
    ("2022-03.csv", "2022-03-15", "unknown location",
     None, "Bibliotheek Zuid", "Digipunt", "Digitale diensten", "55-64"),
    ("2022-07.csv", "2022-07-12", "date in the future",
     "2031-07-12", "Digipunt Muide", "Digipunt", "Technische hulp", "18-34"),
    ("2022-09.csv", "2022-09-20", "vraagtype missing",
     None, "Buurtcentrum Ledeberg", "Digipunt", "", "65+"),
    ("2022-10.csv", "2022-10-06", "unknown location id",
     None, "DP99", "Digipunt", "Andere", ""),
    ("2022-11.csv", "2022-11-08", "same id twice in one file",
     None, "Bibliotheek De Krook", "Digipunt", "Technische hulp", "65+"),
    ("2023-04.csv", "2023-04-18", "unknown kanaal",
     None, "Digipunt Dampoort", "Telefonisch", "Digitale diensten", "65+"),
]
# fmt: on


def _digipunt_group(loc: Location) -> str:
    if loc.type == "Bibliotheek":
        return "library"
    if loc.type == "Lokaal Dienstencentrum":
        return "ldc"
    return "other"


def _digipunt_weight(loc: Location) -> float:
    if loc.id == "BIB01":
        return 9.0  # De Krook: the largest Digipunt of Ghent
    return 1.0 + loc.computers / 4 if _digipunt_group(loc) == "other" else 1.0


def _help_requests(rng: random.Random, register: list[Location]) -> list[Row]:
    digipunten = [loc for loc in register if loc.digipunt]
    schedule = {
        loc.id: MON_SAT if loc.id == "BIB01" else WEEKDAY_PATTERNS[i % len(WEEKDAY_PATTERNS)]
        for i, loc in enumerate(digipunten)
    }
    rows: list[Row] = []
    for year in YEARS:
        first, last = _year(year)
        desk: list[Row] = []
        for group, total in zip(("library", "ldc", "other"), DIGIPUNT_TOTALS[year], strict=True):
            days = {
                loc.id: opening_days(schedule[loc.id], first, last, loc)
                for loc in digipunten
                if _digipunt_group(loc) == group
            }
            members = [loc for loc in digipunten if days.get(loc.id)]
            weights = [_digipunt_weight(loc) * len(days[loc.id]) for loc in members]
            for loc, share in zip(members, allocate(total, weights), strict=True):
                dates = pick_dates(rng, share, days[loc.id])
                ages = _weighted(rng, AGE_GROUPS[group], share)
                for day, age in zip(dates, ages, strict=True):
                    desk.append({"datum": day, "locatie": loc.naam, "kanaal": "Digipunt",
                                 "leeftijdsgroep": age})  # fmt: skip
        # Exact vraagtype counts, shuffled over the year's requests.
        counts = zip(VRAAGTYPES, VRAAGTYPE_COUNTS[year], strict=True)
        labels = [label for label, n in counts for _ in range(n)]
        rng.shuffle(labels)
        for row, label in zip(desk, labels, strict=True):
            row["vraagtype"] = label
        rows += desk
        # At home: a neighbourhood Digipunt sends the helper (never a library or an LDC).
        home_days = {
            loc.id: opening_days(MON_FRI, first, last, loc)
            for loc in digipunten
            if _digipunt_group(loc) == "other"
        }
        senders = [loc for loc in digipunten if home_days.get(loc.id)]
        weights = [len(home_days[loc.id]) for loc in senders]
        for loc, share in zip(senders, allocate(AT_HOME[year], weights), strict=True):
            dates = pick_dates(rng, share, home_days[loc.id])
            kinds = _weighted(rng, AT_HOME_TYPES, share)
            ages = _weighted(rng, AGE_GROUPS["home"], share)
            for day, kind, age in zip(dates, kinds, ages, strict=True):
                rows.append(
                    {"datum": day, "locatie": loc.naam, "kanaal": "Aan huis", "vraagtype": kind,
                     "leeftijdsgroep": age}
                )  # fmt: skip
    for row in rng.sample(rows, 160):
        row["opmerking"] = rng.choice(DIGIPUNT_NOTES)
    return rows


def _digipunten(rng: random.Random, register: list[Location]) -> Build:
    ids = Ids("HV")
    rows = _help_requests(rng, register)
    ids.assign(rows)
    _restyle(rng, rows, "kanaal", {"Aan huis": ["aan huis ", "AAN HUIS", " Aan Huis"]}, 25)
    variants = {
        "Technische hulp": ["TECHNISCHE HULP", "technische hulp "],
        "Digitale diensten": [" digitale diensten"],
    }
    _restyle(rng, rows, "vraagtype", variants, 40)
    variants = {
        "Bibliotheek De Krook": ["bibliotheek de krook", "BIBLIOTHEEK DE KROOK "],
        "LDC Ledeberg": [" LDC Ledeberg "],
    }
    _restyle(rng, rows, "locatie", variants, 12)

    # The re-sent May 2022 export: 24 rows corrected, 6 repeated as they were.
    resent = "2022-05_herzien.csv"  # "_" sorts after ".": it is loaded after 2022-05.csv
    may = [r for r in rows if r["kanaal"] == "Digipunt" and _date(r).strftime("%Y-%m") == "2022-05"]
    for n, row in enumerate(rng.sample(may, 30)):
        original = {k: v for k, v in row.items() if k != "opmerking"}
        if n < 16:
            now = str(row["vraagtype"]).strip().lower()
            original["vraagtype"] = rng.choice([t for t in VRAAGTYPES if t.lower() != now])
        elif n < 24:
            now = str(row["locatie"]).strip().lower()
            original["locatie"] = rng.choice(
                [
                    loc.naam
                    for loc in register
                    if loc.digipunt and loc.active(_date(row)) and loc.naam.lower() != now
                ]
            )
        rows.append(original)  # stays in 2022-05.csv; the final row moves to the re-sent file
        row["_file"] = resent
    rows += ids.forbidden(DIGIPUNT_COLUMNS, DIGIPUNT_FORBIDDEN)

    base = ("id", *DIGIPUNT_COLUMNS)
    files = []
    for period in _months(2021):
        trailer = {"2021-06": ";;;;;\r\n", "2021-12": "\r\n\r\n"}.get(period[0], "")
        files.append(_spec(period, base, EXCEL_NL, date_format="dd/mm/yyyy", trailer=trailer))
    headers = ("id", " Datum ", "Locatie", "KANAAL", "Vraagtype", "Leeftijdsgroep", "opmerking")
    for period in _months(2022)[:6]:
        trailer = "\r\n" if period[0] == "2022-03" else ""
        files.append(_spec(period, headers, BOM_COMMA, date_format="d/m/yyyy", trailer=trailer))
    files.append(FileSpec(resent, base, **UTF8_SEMI))
    headers = ("datum", "id", "kanaal", "locatie", "vraagtype", "leeftijdsgroep")
    for period in _months(2022)[6:]:
        files.append(_spec(period, headers, UTF8_SEMI, by_id=period[0] >= "2022-10"))
    headers = ("ID", "Datum", "Kanaal", "Vraagtype", "Locatie", "Leeftijdsgroep", "Opmerking")
    for period in _months(2023):
        trailer = "\r\n\r\n" if period[0] == "2023-12" else ""
        files.append(_spec(period, headers, EXCEL_NL, date_format="dd-mm-yyyy", trailer=trailer))
    return files, rows


# --------------------------------------------------------------------------- digibanken

ONDERWERP = {
    "serre": [("Digitale vaardigheden", 322), ("Essentiële diensten", 151), ("", 40)],
    "mixed": [("Digitale vaardigheden", 60), ("Essentiële diensten", 30), ("", 10)],
    "dv": [("Digitale vaardigheden", 1)],
    "ed": [("Essentiële diensten", 1)],
    "-": [("", 1)],
}
TOESTEL = {
    "lt": [("Laptop", 75), ("Tablet", 25)],
    "laptop": [("Laptop", 1)],
    "all": [("Laptop", 60), ("Tablet", 25), ("Smartphone", 10), ("Andere", 5)],
    "-": [("", 1)],
}
IH, GV, TU, TG = "Individuele hulp", "Groepsvorming", "Toestel uitgeleend", "Toestel geschonken"
# (digibank, activiteit, doelgroep, onderwerp, toestel, total aantal, rows, first day, last day)
# fmt: off
DIGIBANK_PLAN = [
    # 2022: 406 one-to-one help requests (the headline; De Serre's 322 + 151 alone exceed it).
    ("DB01", IH, "Burger", "serre", "-", 190, 190, "2022-02-01", "2022-12-31"),
    ("DB02", IH, "Burger", "mixed", "-", 140, 140, "2022-02-01", "2022-12-31"),
    ("WB01", IH, "Burger", "ed", "-", 40, 40, "2022-08-01", "2022-12-31"),
    ("WB02", IH, "Burger", "ed", "-", 36, 36, "2022-08-01", "2022-12-31"),
    # Groups: De Serre 191 people (121 basic skills, 70 essential services), U-Connect 40 workshops.
    ("DB01", GV, "Burger", "dv", "-", 121, 15, "2022-02-01", "2022-12-31"),
    ("DB01", GV, "Burger", "ed", "-", 70, 9, "2022-02-01", "2022-12-31"),
    ("DB02", GV, "Burger", "mixed", "-", 236, 40, "2022-02-01", "2022-12-31"),
    ("DB01", GV, "Professional", "dv", "-", 25, 3, "2022-03-01", "2022-12-31"),
    # Devices lent: De Serre 57, U-Connect 107, the welzijnsbureaus the rest of 406.
    ("DB01", TU, "Burger", "-", "lt", 57, 40, "2022-02-01", "2022-12-31"),
    ("DB02", TU, "Burger", "-", "lt", 107, 60, "2022-02-01", "2022-12-31"),
    ("WB01", TU, "Burger", "-", "lt", 124, 30, "2022-08-01", "2022-12-31"),
    ("WB02", TU, "Burger", "-", "lt", 118, 28, "2022-08-01", "2022-12-31"),
    # Donated, 865: the last 539 laptops of the 'digitale pakketten' in spring, then the rest.
    ("WB01", TG, "Burger", "-", "laptop", 270, 10, "2022-01-03", "2022-05-31"),
    ("WB02", TG, "Burger", "-", "laptop", 269, 10, "2022-01-03", "2022-05-31"),
    ("WB01", TG, "Burger", "-", "lt", 110, 18, "2022-08-01", "2022-12-31"),
    ("WB02", TG, "Burger", "-", "lt", 108, 16, "2022-08-01", "2022-12-31"),
    ("DB01", TG, "Burger", "-", "lt", 58, 20, "2022-02-01", "2022-12-31"),
    ("DB02", TG, "Burger", "-", "lt", 50, 15, "2022-02-01", "2022-12-31"),
    # 2021: the welzijnsbureaus' 'digitale pakketten', 2961 laptops with the bulk rows below.
    ("WB01", TG, "Burger", "-", "laptop", 376, 9, "2021-04-01", "2021-12-23"),
    ("WB02", TG, "Burger", "-", "laptop", 468, 9, "2021-05-01", "2021-12-23"),
    # 2023
    ("DB01", IH, "Burger", "serre", "-", 220, 220, "2023-01-02", "2023-12-29"),
    ("DB02", IH, "Burger", "mixed", "-", 170, 170, "2023-01-02", "2023-12-29"),
    ("WB01", IH, "Burger", "mixed", "-", 90, 90, "2023-01-02", "2023-12-29"),
    ("WB02", IH, "Burger", "mixed", "-", 85, 85, "2023-01-02", "2023-12-29"),
    ("DB01", GV, "Burger", "mixed", "-", 240, 30, "2023-01-02", "2023-12-29"),
    ("DB01", GV, "Professional", "dv", "-", 32, 4, "2023-01-02", "2023-12-29"),
    ("DB02", GV, "Burger", "mixed", "-", 260, 44, "2023-01-02", "2023-12-29"),
    ("WB01", GV, "Burger", "ed", "-", 60, 10, "2023-01-02", "2023-12-29"),
    ("DB01", TU, "Burger", "-", "all", 70, 50, "2023-01-02", "2023-12-29"),
    ("DB02", TU, "Burger", "-", "all", 120, 70, "2023-01-02", "2023-12-29"),
    ("WB01", TU, "Burger", "-", "all", 90, 40, "2023-01-02", "2023-12-29"),
    ("WB02", TU, "Burger", "-", "all", 85, 38, "2023-01-02", "2023-12-29"),
    ("WB01", TG, "Burger", "-", "all", 120, 20, "2023-01-02", "2023-12-29"),
    ("WB02", TG, "Burger", "-", "all", 110, 20, "2023-01-02", "2023-12-29"),
    ("DB01", TG, "Burger", "-", "lt", 60, 20, "2023-01-02", "2023-12-29"),
    ("DB02", TG, "Burger", "-", "lt", 40, 12, "2023-01-02", "2023-12-29"),
]
DIGIBANK_COLUMNS = ("datum", "digibank", "activiteit", "onderwerp", "toesteltype", "doelgroep",
                    "aantal", "naam")
DIGIBANK_FORBIDDEN = [
    ("2022-Q2.csv", "2022-04-21", "negative aantal",
     None, "Digibank U-Connect", TU, "", "Laptop", "Burger", "-2", None),
    ("2022-Q2.csv", "2022-05-17", "Toestel activity without toesteltype",
     None, "Digibank De Serre", TG, "", "", "Burger", "3", None),
    ("2022-Q2.csv", "2022-06-09", "location is not a Digibank or Welzijnsbureau",
     None, "Bibliotheek De Krook", IH, "Digitale vaardigheden", "", "Burger", "1", None),
    ("2022-Q3.csv", "2022-08-23", "non-numeric aantal",
     None, "Welzijnsbureau Gent Noord", TG, "", "Tablet", "Burger", "twee", None),
    ("2022-Q3.csv", "2022-09-13", "unknown activiteit",
     None, "Digibank De Serre", "Infosessie", "Digitale vaardigheden", "", "Burger", "12", None),
    ("2022-Q4.csv", "2022-10-04", "aantal 0",
     None, "Digibank U-Connect", IH, "Essentiële diensten", "", "Burger", "0", "Koen Maes"),
    ("2022-Q4.csv", "2022-11-29", "doelgroep missing",
     None, "Digibank De Serre", GV, "Digitale vaardigheden", "", "", "8", None),
]
# fmt: on
# Invented people for the personal-data columns the ETL must drop.
FIRST_NAMES = ("An", "Mohamed", "Els", "Yusuf", "Marie", "Koen", "Fatma", "Luc", "Sofie", "Ahmed")
LAST_NAMES = ("Peeters", "Yilmaz", "De Smet", "El Amrani", "Claeys", "Vermeulen", "Demir", "Maes")
DIGIBANK_NOTES = ("via wijkpartner", "doorverwezen door OCMW", "2de bezoek", "Essentiële diensten")


def _digibanken(rng: random.Random, register: list[Location]) -> Build:
    by_id = {loc.id: loc for loc in register}
    ids = Ids("DGB")
    rows: list[Row] = []
    for loc_id, activiteit, doelgroep, subject, device, total, n, first, last in DIGIBANK_PLAN:
        loc = by_id[loc_id]
        period = (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        dates = pick_dates(rng, n, opening_days(MON_FRI, *period, loc))
        subjects = _weighted(rng, ONDERWERP[subject], n)
        devices = _weighted(rng, TOESTEL[device], n)
        counts = split(rng, total, n)
        for values in zip(dates, subjects, devices, counts, strict=True):
            row = dict(zip(("datum", "onderwerp", "toesteltype", "aantal"), values, strict=True))
            row.update(digibank=loc.naam, activiteit=activiteit, doelgroep=doelgroep)
            rows.append(row)
    # Two bulk deliveries of the 'digitale pakketten' in 2021, written with a thousands dot.
    _dated(rows, (*DIGIBANK_COLUMNS[1:-1], "opmerking"), [
        ("2021-03-15", by_id["WB01"].naam, TG, "", "Laptop", "Burger", 1105, "levering 1"),
        ("2021-04-12", by_id["WB02"].naam, TG, "", "Laptop", "Burger", 1012, "levering 1"),
    ])  # fmt: skip
    ids.assign(rows)
    for row in rows:
        if row["activiteit"] == IH:
            row["naam"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    variants = {IH: ["individuele hulp", "INDIVIDUELE HULP "], TU: ["toestel uitgeleend"]}
    _restyle(rng, rows, "activiteit", variants, 20)
    _restyle(rng, rows, "doelgroep", {"Burger": ["burger", " BURGER"]}, 10)
    for row in rng.sample(rows, 30):
        row.setdefault("opmerking", rng.choice(DIGIBANK_NOTES))
    rows += ids.forbidden(DIGIBANK_COLUMNS, DIGIBANK_FORBIDDEN)

    base = ("id", *DIGIBANK_COLUMNS[:-1])
    files = [_spec(_whole(2021), (*base, "opmerking"), EXCEL_NL, date_format="dd/mm/yyyy",
                   thousands=True)]  # fmt: skip
    for period in _quarters(2022)[:2]:
        files.append(_spec(period, base, EXCEL_NL, date_format="d/m/yyyy"))
    headers = ("id", "datum", "naam", *base[2:], "opmerking")
    for period in _quarters(2022)[2:]:
        trailer = "\r\n" if period[0] == "2022-Q4" else ""
        files.append(_spec(period, headers, BOM_COMMA, date_format="dd/mm/yyyy", trailer=trailer))
    headers = ("id", "datum", "DIGIBANK", " Activiteit ", "doelgroep", "aantal", "toesteltype",
               "onderwerp")  # fmt: skip
    for period in _quarters(2023):
        files.append(_spec(period, headers, UTF8_SEMI))
    return files, rows


# --------------------------------------------------------------------------- allemaal_digitaal

# fmt: off
# City services in the programme per year: (name, first month, last month).
SERVICES = {
    2021: [("DBSE", 1, 12), ("Facility Management, schoonmaak", 1, 12),
           ("Diko (kinderopvang)", 1, 12), ("Groendienst", 3, 12),
           ("Dienst Wegen, Bruggen en Waterlopen", 5, 12)],
    2022: [("DBSE", 1, 6), ("Facility Management, schoonmaak", 1, 9),
           ("Diko (kinderopvang)", 1, 10), ("Lokale Dienstencentra", 3, 12),
           ("Historische Huizen", 4, 12), ("Dienst Preventie & Veiligheid", 5, 12),
           ("AGB Musea", 9, 12)],
    2023: [("Lokale Dienstencentra", 1, 12), ("Historische Huizen", 1, 10),
           ("Dienst Preventie & Veiligheid", 1, 12), ("AGB Musea", 1, 12),
           ("Woonzorgcentra", 3, 12), ("Archief & Protocol", 6, 12)],
}
# Help requests (one tally per service per month), then (actie, doelgroep, total, rows).
ACTIONS = {
    2021: (1650, [("Screening", "Medewerker", 420, 10), ("Opleiding", "Medewerker", 60, 7),
                  ("Gedeeld toestel geplaatst", "Medewerker", 23, 5),
                  ("Digicoach gestart", "Digicoach", 35, 6)]),
    2022: (2000, [("Screening", "Medewerker", 85, 8), ("Opleiding", "Medewerker", 77, 9),
                  ("Gedeeld toestel geplaatst", "Medewerker", 80, 10),
                  ("Digicoach gestart", "Digicoach", 47, 8)]),
    2023: (2250, [("Screening", "Medewerker", 150, 10), ("Opleiding", "Medewerker", 95, 11),
                  ("Gedeeld toestel geplaatst", "Medewerker", 100, 12),
                  ("Digicoach gestart", "Digicoach", 40, 8)]),
}
AD_COLUMNS = ("datum", "stadsdienst", "actie", "doelgroep", "aantal")
AD_FORBIDDEN = [
    ("2022-H1.csv", "2022-03-15", "date that does not exist",
     "15/13/2022", "DBSE", "Hulpvraag", "Medewerker", "14"),
    ("2022-H1.csv", "2022-05-10", "stadsdienst missing",
     None, "", "Opleiding", "Medewerker", "9"),
    ("2022-H2.csv", "2022-09-22", "aantal 0",
     None, "AGB Musea", "Screening", "Medewerker", "0"),
    ("2022-H2.csv", "2022-11-17", "unknown actie",
     None, "Historische Huizen", "Workshop", "Medewerker", "11"),
]
# fmt: on


def _allemaal_digitaal(rng: random.Random, register: list[Location]) -> Build:
    ids = Ids("AD")
    rows: list[Row] = []
    for year in YEARS:
        services = SERVICES[year]
        help_total, actions = ACTIONS[year]
        slots = [(name, m) for name, m1, m2 in services for m in range(m1, m2 + 1)]
        weights = [SEASON[m - 1] * rng.uniform(0.6, 1.4) for _, m in slots]
        counts = allocate(help_total - len(slots), weights)
        for (name, month), count in zip(slots, counts, strict=True):
            # A monthly tally, dated the last working day of the month.
            day = opening_days(MON_FRI, dt.date(year, month, 1), _month_end(year, month))[-1]
            rows.append({"datum": day, "stadsdienst": name, "actie": "Hulpvraag",
                         "doelgroep": "Medewerker", "aantal": count + 1})  # fmt: skip
        for actie, doelgroep, total, n in actions:
            for count in split(rng, total, n):
                name, m1, m2 = rng.choice(services)
                month = rng.randint(m1, m2)
                days = opening_days(MON_FRI, dt.date(year, month, 1), _month_end(year, month))
                day = rng.choice(days)
                rows.append({"datum": day, "stadsdienst": name, "actie": actie,
                             "doelgroep": doelgroep, "aantal": count})  # fmt: skip
    ids.assign(rows)
    variants = {"Hulpvraag": ["hulpvraag", "HULPVRAAG "], "Screening": [" screening"]}
    _restyle(rng, rows, "actie", variants, 12)
    _restyle(rng, rows, "doelgroep", {"Medewerker": ["medewerker "]}, 6)
    for row in rng.sample(rows, 12):
        row["opmerking"] = rng.choice(("teamoverleg", "via digicoach", "ploeg vroege dienst"))
    rows += ids.forbidden(AD_COLUMNS, AD_FORBIDDEN)

    base = ("id", *AD_COLUMNS)
    first_half, second_half = _halves(2022)
    files = [
        _spec(_whole(2021), base, BOM_COMMA),
        _spec(first_half, ("id", " Datum ", "Stadsdienst", "ACTIE", "Doelgroep", "Aantal"),
              EXCEL_NL, date_format="dd/mm/yyyy"),
        _spec(second_half, ("id", "datum", "actie", "stadsdienst", "aantal", "doelgroep"),
              UTF8_COMMA, date_format="dd-mm-yyyy", trailer="\n\n"),
        _spec(_whole(2023), (*base, "opmerking"), EXCEL_NL, date_format="d/m/yyyy"),
    ]  # fmt: skip
    return files, rows


# --------------------------------------------------------------------------- bibliotheek

SURF_SESSIONS = {2021: 16120, 2022: 25446, 2023: 26380}
# (activiteit, rows, participants, first month, weekday) per year. 2022 from the report: 74
# activities with 866 participants, no OpenTechTalk that year, the makerspace opened in April.
# fmt: off
LIBRARY_ACTIVITIES = {
    2021: [("Digicafé", 6, 96, 5, 1), ("Digistatie", 10, 118, 3, 3),
           ("OpenTechTalk", 4, 71, 9, 3)],
    2022: [("Digicafé", 10, 230, 1, 1), ("Digistatie", 20, 263, 1, 3),
           ("Maakatelier", 44, 373, 4, 5)],
    2023: [("Digicafé", 10, 241, 1, 1), ("Digistatie", 22, 290, 1, 3),
           ("Maakatelier", 48, 410, 1, 5), ("OpenTechTalk", 3, 64, 2, 3)],
}
BRANCH_DAYS = ((1, 2, 4, 5), (1, 3, 5), (2, 4, 5), (1, 2, 3, 5))
LIBRARY_COLUMNS = ("datum", "vestiging", "activiteit", "deelnemers")
LIBRARY_FORBIDDEN = [
    ("2022-Q1.csv", "2022-02-08", "location is not a Bibliotheek",
     None, "LDC Ledeberg", "Digicafé", 18),
    ("2022-Q2.csv", "2022-05-11", "unknown location",
     None, "Bibliotheek Zuid", "Digistatie", 12),
    ("2022-Q3.csv", "2022-09-14", "negative deelnemers",
     None, "Bibliotheek De Krook", "Surfsessies", "-5"),
    ("2022-Q4.csv", "2022-12-07", "unknown activiteit",
     None, "Bibliotheek De Krook", "Voorleesuur", 25),
    ("2023-Q1.csv", "2023-02-15", "same id twice in one file",
     None, "Bibliotheek De Krook", "Digistatie", 14),
]
# fmt: on


def _bibliotheek(rng: random.Random, register: list[Location]) -> Build:
    ids = Ids("BB")
    libraries = [loc for loc in register if loc.type == "Bibliotheek"]
    rows: list[Row] = []
    for year in YEARS:
        first, last = _year(year)
        days = {
            loc.id: opening_days(MON_SAT if i == 0 else BRANCH_DAYS[i % 4], first, last, loc)
            for i, loc in enumerate(libraries)
        }
        # One row per branch per opening day: the sessions on its public computers that day.
        weights = [(loc.computers + 2) * len(days[loc.id]) for loc in libraries]
        for loc, share in zip(libraries, allocate(SURF_SESSIONS[year], weights), strict=True):
            for day, sessions in zip(days[loc.id], spread(rng, share, days[loc.id]), strict=True):
                rows.append({"datum": day, "vestiging": loc.naam, "activiteit": "Surfsessies",
                             "deelnemers": sessions})  # fmt: skip
        for activiteit, n, total, month, weekday in LIBRARY_ACTIVITIES[year]:
            dates = [
                d
                for d in opening_days((weekday,), dt.date(year, month, 1), last)
                if d.month not in (7, 8)
            ]
            # Digistaties also travel to the branches; the rest happens in De Krook.
            places = libraries[:4] if activiteit == "Digistatie" else libraries[:1]
            for day, count in zip(pick_dates(rng, n, dates), split(rng, total, n), strict=True):
                rows.append({"datum": day, "vestiging": rng.choice(places).naam,
                             "activiteit": activiteit, "deelnemers": count})  # fmt: skip
    ids.assign(rows)
    variants = {
        "Digicafé": ["DIGICAFÉ"],
        "Maakatelier": [" maakatelier", "MAAKATELIER"],
        "Surfsessies": ["surfsessies"],
    }
    _restyle(rng, rows, "activiteit", variants, 14)
    rows.insert(len(rows) // 4, {"datum": dt.date(2021, 8, 3), "_blank": True})  # Excel's ;;;;
    rows += ids.forbidden(LIBRARY_COLUMNS, LIBRARY_FORBIDDEN)

    base = ("id", *LIBRARY_COLUMNS)
    files = [_spec(p, base, EXCEL_NL, date_format="dd/mm/yyyy") for p in _quarters(2021)]
    for period in _quarters(2022)[:2]:
        files.append(_spec(period, (*base, "opmerking"), EXCEL_NL, date_format="d/m/yyyy"))
    headers = ("datum", "activiteit", "vestiging", "deelnemers", "id")
    for period in _quarters(2022)[2:]:
        files.append(_spec(period, headers, BOM_COMMA, date_format="dd/mm/yyyy"))
    headers = ("id", "datum", " VESTIGING ", "Activiteit", "Deelnemers")
    for period in _quarters(2023):
        by_id = period[0] in ("2023-Q3", "2023-Q4")
        trailer = "\n" if period[0] == "2023-Q4" else ""
        files.append(_spec(period, headers, UTF8_SEMI, by_id=by_id, trailer=trailer))
    return files, rows


# --------------------------------------------------------------------------- uitleendienst

# fmt: off
# Devices added to (+) or taken out of (-) the pool. On 31/12/2022: 94 laptops, 103 tablets,
# 42 robots and no other material: 239, the report's figure.
INVENTORY = [
    ("2021-02-08", "Laptop", 36), ("2021-02-22", "Laptop", 24), ("2021-03-10", "Tablet", 50),
    ("2021-03-10", "Ander materiaal", 20), ("2021-03-29", "Tablet", 30),
    ("2021-04-19", "Educatieve robot", 30), ("2021-09-13", "Tablet", 10),
    ("2021-11-22", "Laptop", -6),
    ("2022-02-14", "Tablet", 25), ("2022-03-07", "Laptop", 45),
    ("2022-04-25", "Educatieve robot", 12), ("2022-09-26", "Laptop", -5),
    ("2022-10-17", "Tablet", -12), ("2022-11-28", "Ander materiaal", -20),
    ("2023-01-16", "Laptop", 30), ("2023-03-13", "Ander materiaal", 15),
    ("2023-05-08", "Tablet", -8), ("2023-09-04", "Educatieve robot", 10),
    ("2023-10-02", "Ander materiaal", 12),
    ("2023-12-31", "Tablet", -3),  # the year-end count: the sample runs to 31/12/2023
]
# (toesteltype, loans, devices) per year. 2022: 166 loans, 1361 devices = 371 + 703 + 186 + 101.
LOANS = {
    2021: [("Laptop", 30, 220), ("Tablet", 50, 480), ("Educatieve robot", 20, 120),
           ("Ander materiaal", 15, 70)],
    2022: [("Laptop", 45, 371), ("Tablet", 70, 703), ("Educatieve robot", 30, 186),
           ("Ander materiaal", 21, 101)],
    2023: [("Laptop", 50, 400), ("Tablet", 75, 720), ("Educatieve robot", 35, 210),
           ("Ander materiaal", 25, 130)],
}
# Invented borrowers.
ORGANISATIONS = (
    "Basisschool De Kleine Wereld", "Stedelijke Basisschool Ledeberg", "Buurtwerk Rabot",
    "Jeugdhuis Brugse Poort", "OCMW Gent – Sociale Dienst", "Onderwijscentrum Gent",
    "Lokaal Dienstencentrum Macharius", "vzw Digitaal Samen", "Huiswerkklas Nieuw Gent",
    "Secundaire school Campus Zuid", "Speelpleinwerking Sint-Amandsberg",
    "Kinderdagverblijf 't Mierennest", "Academie voor Muziek, Woord en Dans",
    "Dienst Werk en Activering", "Café Zoë – ontmoetingsplek",
)
# Quoted in their files: a ';' in a ';' file, a ',' in a ',' file, a line break.
TRICKY_ORGANISATIONS = (
    ("2022-03-01", "Onderwijscentrum Gent; project Dig In!"),
    ("2022-10-01", "Scholengroep Gent, campus Sint-Amandsberg"),
    ("2023-02-01", "Basisschool De Regenboog\n(campus Dampoort)"),
)
LENDING_COLUMNS = ("datum", "soort", "toesteltype", "aantal", "organisatie", "locatie")
LENDING_FORBIDDEN = [
    ("2022-H1.csv", "2022-03-01", "date in the future",
     "1/3/2032", "Ontlening", "Laptop", "12", "Buurtwerk Rabot", ""),
    ("2022-H1.csv", "2022-05-24", "Ontlening without organisatie",
     None, "Ontlening", "Tablet", "15", "", ""),
    ("2022-H2.csv", "2022-10-19", "negative aantal on an Ontlening",
     None, "Ontlening", "Laptop", "-3", "Onderwijscentrum Gent", ""),
    ("2022-H2.csv", "2022-12-01", "unknown toesteltype",
     None, "Ontlening", "Beamer", "2", "Jeugdhuis Brugse Poort", ""),
]
# fmt: on


def _uitleendienst(rng: random.Random, register: list[Location]) -> Build:
    ids = Ids("UL")
    service = next(loc for loc in register if loc.type == "Uitleendienst")
    rows: list[Row] = []
    for day, device, count in INVENTORY:
        note = "nieuwe levering" if count > 0 else "afgeschreven (defect)"
        note = "jaarafsluiting inventaris" if day.endswith("12-31") else note
        _dated(rows, (*LENDING_COLUMNS[1:], "opmerking"),
               [(day, "Inventaris", device, count, "", service.naam, note)])  # fmt: skip
    for year in YEARS:
        days = opening_days(MON_FRI, *_year(year))
        for device, n, total in LOANS[year]:
            for day, count in zip(pick_dates(rng, n, days), split(rng, total, n), strict=True):
                place = rng.choice(("", "", "", service.naam, service.id))  # mostly left empty
                rows.append({"datum": day, "soort": "Ontlening", "toesteltype": device,
                             "aantal": count, "organisatie": rng.choice(ORGANISATIONS),
                             "locatie": place})  # fmt: skip
    ids.assign(rows)
    loans = [r for r in rows if r["soort"] == "Ontlening"]
    for day, name in TRICKY_ORGANISATIONS:
        next(r for r in loans if _date(r) >= dt.date.fromisoformat(day))["organisatie"] = name
    for row in loans:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace(" ", "")
        row["e-mail"] = f"{first}.{last}@example.org".lower()
        row["telefoon"] = "04" + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))
    variants = {"Ontlening": ["ontlening", "ONTLENING "], "Inventaris": ["inventaris"]}
    _restyle(rng, rows, "soort", variants, 10)
    variants = {"Educatieve robot": ["educatieve robot"], "Tablet": [" TABLET"]}
    _restyle(rng, rows, "toesteltype", variants, 8)
    rows += ids.forbidden(LENDING_COLUMNS, LENDING_FORBIDDEN)

    base = ("id", *LENDING_COLUMNS)
    first_half, second_half = _halves(2022)
    files = [_spec(p, base, BOM_COMMA, date_format="dd/mm/yyyy") for p in _halves(2021)]
    files += [
        _spec(first_half, (*base, "e-mail", "telefoon", "opmerking"), EXCEL_NL,
              date_format="d/m/yyyy"),
        _spec(second_half, (*base[:-1], "e-mail", "locatie"), UTF8_COMMA, trailer="\n\n"),
    ]  # fmt: skip
    headers = ("Datum", "Soort", "Toesteltype", "Aantal", "Organisatie", "Locatie", "Id",
               "Opmerking")  # fmt: skip
    files += [_spec(p, headers, EXCEL_NL, date_format="dd-mm-yyyy") for p in _halves(2023)]
    return files, rows


# --------------------------------------------------------------------------- vorming

# fmt: off
TITLES = {
    "ldc": ("ICT-opleiding: smartphone voor beginners", "Veilig online; phishing herkennen",
            "Itsme en Mijn eBox", "Werken met de tablet\n(reeks van 4)",
            "Foto's delen met de kleinkinderen", "Internet voor max. €288: hoe aanvragen?"),
    "school": ("Digikriebels", "Huiswerk op de laptop", "Mediaopvoeding voor ouders"),
    "digipunt": ("Infosessie itsme", "Essentiële diensten online", "Digitaal bankieren",
                 "Mijn burgerprofiel"),
    "welzijn": ("Je nieuwe laptop", "Internet thuis: hoe begin je?",
                "Digitale pakketten: opstartsessie"),
    "buurt": ("Digicafé in de wijk", "Smartphone-café", "Videobellen"),
    "code": ("Code City: micro:bit", "Leren coderen"),
    "crosslearn": ("Iedereen digihelper", "Digihelper: terugkommoment"),
    "prof": ("Digitale kloof in de klas", "Mediacoach Gent", "Mijn VDAB voor begeleiders",
             "Digipunt-begeleiders: actuele thema's", "Opleiding digitale inclusiecoach",
             "Webinar e-inclusie", "Werken met vrijwillige digihelpers"),
}
# (programma, doelgroep, rows, participants, where, titles) per year. 2022: 2222 citizens
# (3592 people trained with the Digibank groups, Allemaal Digitaal and the library) and 895
# professionals (967 coached with the Digibank groups and the new digicoaches).
LDC, OND, DIG, WEL = "Lokale Dienstencentra", "Onderwijs", "Digipunten", "Welzijnsbureaus"
BUU, CRL, WRK, IDL = "Buurtwerking", "Cross&Learn", "Werk en Activering", "Iedereen Digitaal Lokaal"
B, P = "Burger", "Professional"
TRAINING = {
    2021: [(LDC, B, 120, 560, "ldc", "ldc"), (CRL, P, 17, 254, "", "crosslearn"),
           (OND, B, 15, 180, "", "school"), (DIG, P, 10, 90, "", "prof"),
           (WEL, B, 60, 1100, "wb", "welzijn"), (BUU, B, 15, 160, "buurt", "buurt")],
    2022: [(LDC, B, 150, 714, "ldc", "ldc"), (OND, B, 12, 86, "", "school"),
           (OND, B, 20, 244, "", "school"), (DIG, B, 40, 380, "digipunt", "digipunt"),
           (WEL, B, 30, 497, "wb", "welzijn"), (BUU, B, 25, 301, "buurt", "buurt"),
           (CRL, P, 11, 165, "", "crosslearn"), (OND, P, 3, 110, "", "prof"),
           (OND, P, 1, 18, "", "prof"), (WRK, P, 12, 200, "", "prof"),
           (DIG, P, 16, 152, "", "prof"), (IDL, P, 1, 27, "", "prof"),
           (IDL, P, 25, 223, "", "prof")],
    2023: [(LDC, B, 160, 760, "ldc", "ldc"), (OND, B, 25, 300, "", "school"),
           (OND, P, 8, 120, "", "prof"), (WRK, P, 10, 180, "", "prof"),
           (DIG, B, 45, 420, "digipunt", "digipunt"), (DIG, P, 18, 170, "", "prof"),
           (IDL, P, 30, 280, "", "prof"), (BUU, B, 30, 350, "buurt", "buurt"),
           ("Code City", B, 20, 400, "", "code"), (WEL, B, 20, 200, "wb", "welzijn")],
}
TRAINING_COLUMNS = ("datum", "programma", "locatie", "titel", "doelgroep", "deelnemers")
TRAINING_FORBIDDEN = [
    ("2022.csv", "2022-03-12", "date before 2015",
     "12/3/2012", LDC, "LDC Macharius", "Itsme en Mijn eBox", B, 8),
    ("2022.csv", "2022-03-28", "unparseable date",
     "maart 2022", OND, "", "Digikriebels", B, 9),
    ("2022.csv", "2022-04-26", "unknown doelgroep",
     None, OND, "", "Digitale kloof in de klas", "Leerkrachten", 24),
    ("2022.csv", "2022-06-14", "non-numeric deelnemers",
     None, DIG, "Digipunt Muide", "Digitaal bankieren", B, "12,5"),
    ("2022.csv", "2022-10-11", "unknown location",
     None, LDC, "LDC Atlantis", "Videobellen", B, 7),
    ("2022.csv", "2022-11-22", "programma missing",
     None, "", "", "Webinar e-inclusie", P, 31),
]
# fmt: on


def _vorming(rng: random.Random, register: list[Location]) -> Build:
    ids = Ids("VM")
    places = {
        "": [],
        "ldc": [loc for loc in register if loc.type == "Lokaal Dienstencentrum"],
        "wb": [loc for loc in register if loc.type == "Welzijnsbureau"],
        "buurt": [loc for loc in register if loc.type == "Buurtwerking"],
        "digipunt": [
            loc for loc in register if loc.digipunt and loc.type in ("Digipunt", "Buurtwerking")
        ],
    }
    rows: list[Row] = []
    for year in YEARS:
        days = opening_days(MON_FRI, *_year(year))
        for programma, doelgroep, n, total, where, titles in TRAINING[year]:
            for day, count in zip(pick_dates(rng, n, days), split(rng, total, n), strict=True):
                open_there = [loc.naam for loc in places[where] if loc.active(day)]
                rows.append({"datum": day, "programma": programma,
                             "locatie": rng.choice(open_there) if open_there else "",
                             "titel": rng.choice(TITLES[titles]), "doelgroep": doelgroep,
                             "deelnemers": count})  # fmt: skip
    cancelled = ("2022-12-20", OND, "", "Digikriebels (geannuleerd)", B, 0)  # 0 is allowed
    _dated(rows, TRAINING_COLUMNS[1:], [cancelled])
    ids.assign(rows)
    variants = {B: ["burger", " Burger "], P: ["PROFESSIONAL"]}
    _restyle(rng, rows, "doelgroep", variants, 12)
    rows += ids.forbidden(TRAINING_COLUMNS, TRAINING_FORBIDDEN)

    base = ("id", *TRAINING_COLUMNS)
    files = [
        _spec(_whole(2021), base, BOM_COMMA, date_format="dd/mm/yyyy"),
        _spec(_whole(2022), base, EXCEL_NL, date_format="d/m/yyyy", trailer="\r\n"),
        _spec(_whole(2023), ("id", "Datum", " Doelgroep ", "Programma", "Titel", "Deelnemers",
                             "Locatie"), UTF8_SEMI),
    ]  # fmt: skip
    return files, rows


# --------------------------------------------------------------------------- writing

BUILDERS: dict[str, Callable[[random.Random, list[Location]], Build]] = {
    "digipunten": _digipunten,
    "digibanken": _digibanken,
    "allemaal_digitaal": _allemaal_digitaal,
    "bibliotheek": _bibliotheek,
    "uitleendienst": _uitleendienst,
    "vorming": _vorming,
}


def _by_file(files: Sequence[FileSpec], rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The rows of each file, in date order: named rows in their file, the rest by period."""
    by_month = {}
    for spec in files:
        if spec.first is not None and spec.last is not None:
            for month in range(spec.first.month, spec.last.month + 1):
                by_month[spec.first.year, month] = spec.name
    out: dict[str, list[Row]] = {spec.name: [] for spec in files}
    for row in rows:
        day = _date(row)
        out[str(row.get("_file") or by_month[day.year, day.month])].append(row)
    for file_rows in out.values():
        file_rows.sort(key=_date)
    return out


def _render(spec: FileSpec, rows: Sequence[Row], scale: int, location_ids: dict[str, str]) -> bytes:
    keys = [h.strip().lower() for h in spec.headers]
    fmt_date = DATE_FORMATS[spec.date_format]
    dates: dict[dt.date, str] = {}

    def cell(key: str, value: object) -> str:
        if isinstance(value, dt.date):
            if value not in dates:
                dates[value] = fmt_date(value)
            return dates[value]
        if isinstance(value, int) and spec.thousands:
            return f"{value:,}".replace(",", ".")
        if spec.by_id and key in LOCATION_KEYS:
            return location_ids.get(str(value), str(value))
        return str(value)

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=spec.delimiter, lineterminator=spec.newline)
    writer.writerow(spec.headers)
    id_at = keys.index("id")
    for row in rows:
        if row.get("_blank"):
            writer.writerow([""] * len(keys))
            continue
        values = [cell(k, row.get(k, "")) for k in keys]
        writer.writerow(values)
        if scale > 1 and "_bad" not in row:
            # Copies get ids of their own; an original and its correction share theirs.
            base = values[id_at]
            for copy in range(1, scale):
                values[id_at] = f"{base}-{copy}"
                writer.writerow(values)
    buf.write(spec.trailer)
    return buf.getvalue().encode(spec.encoding)


def generate(raw_dir: Path, reference_dir: Path, scale: int = 1, seed: int = DEFAULT_SEED) -> None:
    """Write the sample exports of the six sources to ``raw_dir/<source>/*.csv``.

    Byte-identical for the same ``seed``, ``scale`` and register. ``scale`` repeats every
    valid row that many times, each copy with its own id; the 2022 figures hold for
    ``scale=1`` only. The ``*.csv`` files already in those source folders are removed first.
    ``raw_dir/voorbeeldgegevens.sha256`` lists the files written, so the load can tell that
    they are (unchanged) sample data.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    register = load_register(reference_dir)
    location_ids = {loc.naam: loc.id for loc in register}
    checksums: dict[str, str] = {}
    for source in SOURCES:
        # One random stream per source: changing one source leaves the others as they are.
        rng = random.Random(f"{seed}:{source}")
        files, rows = BUILDERS[source](rng, register)
        folder = Path(raw_dir) / source
        folder.mkdir(parents=True, exist_ok=True)
        for stale in sorted(folder.glob("*.csv")):
            stale.unlink()
        grouped = _by_file(files, rows)
        for spec in files:
            data = _render(spec, grouped[spec.name], scale, location_ids)
            with open(folder / spec.name, "wb") as fh:
                fh.write(data)
            checksums[f"{source}/{spec.name}"] = hashlib.sha256(data).hexdigest()
    # The load marks a file whose bytes are listed here as sample data (sha256sum format).
    lines = [f"{checksums[name]}  {name}\n" for name in sorted(checksums)]
    with open(Path(raw_dir) / SAMPLE_CHECKSUMS, "wb") as fh:
        fh.write("".join(lines).encode("ascii"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.sample", description="Write the sample raw exports (deterministic)."
    )
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="default: data/raw")
    parser.add_argument(
        "--reference", type=Path, default=Path("data/reference"), help="default: data/reference"
    )
    parser.add_argument("--scale", type=int, default=1, help="multiply the row volume (default 1)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    generate(args.out, args.reference, scale=args.scale, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
