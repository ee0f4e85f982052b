"""The reference data shipped with the project: the 25 wijken and the location register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

WIJKEN_FILE = "wijken.csv"
LOCATIES_FILE = "locaties.csv"
LOCATION_TYPES = {
    "Digipunt",
    "Bibliotheek",
    "Lokaal Dienstencentrum",
    "Digibank",
    "Welzijnsbureau",
    "Buurtwerking",
    "Stadsdienst",
    "Uitleendienst",
}
LOCATIES_COLUMNS = [
    "locatie_id",
    "naam",
    "type",
    "wijk",
    "adres",
    "digipunt",
    "surfpunt",
    "publieke_computers",
    "lat",
    "lon",
    "actief_van",
    "actief_tot",
]


class ReferenceDataError(Exception):
    """The reference data itself is wrong; nothing can be loaded until it is fixed."""


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ReferenceDataError(f"{path}: het referentiebestand ontbreekt")
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip().lower() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def read_wijken(reference_dir: Path) -> pd.DataFrame:
    """`wijknr;wijk`: Ghent's 25 official wijken."""
    path = reference_dir / WIJKEN_FILE
    frame = _read(path)
    if list(frame.columns) != ["wijknr", "wijk"]:
        raise ReferenceDataError(f"{path}: verwacht de kolommen wijknr;wijk")
    frame["wijknr"] = frame["wijknr"].astype(int)
    return frame


def read_locaties(reference_dir: Path, wijken: pd.DataFrame) -> pd.DataFrame:
    """The location register, checked: every problem is named with its row."""
    path = reference_dir / LOCATIES_FILE
    frame = _read(path)
    missing = [c for c in LOCATIES_COLUMNS if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: kolommen ontbreken: {', '.join(missing)}")
    frame = frame[LOCATIES_COLUMNS].copy()
    problems: list[str] = []
    known_wijken = set(wijken["wijk"])
    for i, row in frame.iterrows():
        where = f"{path.name} rij {int(i) + 2}"  # header is row 1
        if not row["locatie_id"] or not row["naam"]:
            problems.append(f"{where}: locatie_id of naam ontbreekt")
        if row["type"] not in LOCATION_TYPES:
            problems.append(f"{where}: onbekend type '{row['type']}'")
        if row["wijk"] and row["wijk"] not in known_wijken:
            problems.append(f"{where}: onbekende wijk '{row['wijk']}'")
        for flag in ("digipunt", "surfpunt"):
            if row[flag] not in ("ja", "nee"):
                problems.append(f"{where}: {flag} moet ja of nee zijn")
        for col in ("actief_van", "actief_tot"):
            if row[col]:
                try:
                    dt.date.fromisoformat(row[col])
                except ValueError:
                    problems.append(f"{where}: {col} '{row[col]}' is geen datum jjjj-mm-dd")
        if not row["publieke_computers"].isdigit():
            problems.append(f"{where}: publieke_computers moet een geheel getal zijn")
    duplicated = frame["locatie_id"][frame["locatie_id"].duplicated()]
    problems += [f"{path.name}: locatie_id '{v}' komt meer dan eens voor" for v in duplicated]
    if problems:
        raise ReferenceDataError("; ".join(problems[:10]))
    frame["digipunt"] = frame["digipunt"] == "ja"
    frame["surfpunt"] = frame["surfpunt"] == "ja"
    frame["publieke_computers"] = frame["publieke_computers"].astype(int)
    for col in ("lat", "lon"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    for col in ("actief_van", "actief_tot"):
        frame[col] = pd.to_datetime(frame[col].replace("", None)).dt.date
    frame["wijk"] = frame["wijk"].replace("", None)
    return frame
