"""The reference data shipped with the project: the 25 wijken and the location register.

Every row of every export is resolved against the register, so a broken register would make
good rows vanish into the quarantine or publish a version the figures cannot read. It is read
as strictly as an export (the same bounded reading, encodings and text cleaning) and validated
by its own suite, `expectations/locaties.json`; when anything is wrong the load stops before it
writes, and the last good version stays current.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd

from etl.files import Unreadable, check, read_bounded
from etl.normalise import clean_value
from etl.reading import RefusedFile, csv_problem, sniff_delimiter, to_utf8
from etl.sources import normalise_header
from etl.validation import Outcome, Validator

WIJKEN_FILE = "wijken.csv"
LOCATIES_FILE = "locaties.csv"
REGISTER_SUITE = "locaties"  # expectations/locaties.json
REFERENCE_LIMIT = 50_000_000  # bytes: the register has tens of rows, not millions
MAX_PROBLEMS = 10  # problems named in the message; the rest are counted
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


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(normalised header, [(row number, cleaned values)]) of a reference CSV, or refuse it."""
    problem = check(path, path.parent, REFERENCE_LIMIT) if path.exists() else None
    if not path.exists() and not path.is_symlink():
        raise ReferenceDataError(f"{path}: het referentiebestand ontbreekt")
    if problem:
        raise ReferenceDataError(f"{path}: {problem}")
    try:
        text = to_utf8(read_bounded(path, REFERENCE_LIMIT))[0].decode("utf-8")
    except (Unreadable, RefusedFile) as exc:
        raise ReferenceDataError(f"{path}: {exc}") from None
    lines = io.StringIO(text, newline="")
    first = text.split("\n", 1)[0]
    reader = csv.reader(lines, delimiter=sniff_delimiter(first), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = [normalise_header(clean_value(h)) for h in next(reader, [])]
        for number, fields in enumerate(reader, start=2):
            values = [clean_value(f) for f in fields]
            if any(values):
                rows.append((number, values))
    except csv.Error as exc:
        raise ReferenceDataError(
            f"{path.name} rij {reader.line_num}: geen geldige CSV ({csv_problem(exc)}); "
            "controleer de aanhalingstekens"
        ) from None
    return header, rows


def _columns(path: Path, header: list[str], wanted: list[str]) -> dict[str, int]:
    doubled = sorted(n for n, c in collections.Counter(header).items() if n and c > 1)
    if doubled:
        raise ReferenceDataError(f"{path}: de kolom '{doubled[0]}' komt meer dan eens voor")
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ReferenceDataError(
            f"{path}: kolommen ontbreken: {', '.join(missing)} "
            f"(verwacht {';'.join(wanted)}, gescheiden door ;)"
        )
    return {c: header.index(c) for c in wanted}


def _table(path: Path, wanted: list[str]) -> pd.DataFrame:
    """The wanted columns as cleaned strings, with `_rij`; rows of the wrong width refused."""
    header, rows = _read_rows(path)
    where = _columns(path, header, wanted)
    wrong = [n for n, values in rows if len(values) != len(header)]
    if wrong:
        raise ReferenceDataError(
            f"{path.name} rij {', '.join(map(str, wrong[:MAX_PROBLEMS]))}: de rij heeft niet "
            f"evenveel velden als de kopregel ({len(header)})"
        )
    frame = pd.DataFrame(
        {c: [values[i] for _, values in rows] for c, i in where.items()}, dtype=object
    )
    frame["_rij"] = [n for n, _ in rows]
    return frame


def read_wijken(reference_dir: Path) -> pd.DataFrame:
    """`wijknr;wijk`: Ghent's official wijken, each number and name once."""
    path = reference_dir / WIJKEN_FILE
    frame = _table(path, ["wijknr", "wijk"])
    problems = []
    for _, row in frame.iterrows():
        if not _whole_number(row["wijknr"]) or not row["wijk"]:
            problems.append(f"{path.name} rij {row['_rij']}: verwacht een wijknummer en een naam")
    for column in ("wijknr", "wijk"):
        keys = frame[column].str.lower()
        for value in sorted(set(frame.loc[keys.duplicated(), column])):
            problems.append(f"{path.name}: {column} '{value}' komt meer dan eens voor")
    if frame.empty:
        problems.append(f"{path.name}: er staat geen enkele wijk in")
    _refuse(problems)
    return pd.DataFrame({"wijknr": frame["wijknr"].astype(int), "wijk": frame["wijk"]})


def read_register(reference_dir: Path) -> pd.DataFrame:
    """The location register as cleaned strings (one row per location, with `_rij`)."""
    return _table(reference_dir / LOCATIES_FILE, LOCATIES_COLUMNS)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def _whole_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _date(text: str) -> dt.date | None:
    """jjjj-mm-dd only (fromisoformat alone would take 20220101 and week dates too)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date_number(text: str) -> float | None:
    day = _date(text)
    return None if day is None else float(day.year * 10000 + day.month * 100 + day.day)


def _number(text: str) -> float | None:
    """A decimal number with a point, as the register writes coordinates."""
    return float(text) if _DECIMAL.fullmatch(text) else None


def _validation_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns the register's suite checks (see its 'uitleg')."""
    ids = rows["locatie_id"].str.lower()
    names = rows["naam"].str.lower()
    every_id = set(ids)
    frame = pd.DataFrame(
        {
            "locatie_id": rows["locatie_id"].replace("", None),
            "id_sleutel": ids.replace("", None),
            "naam": rows["naam"].replace("", None),
            "naam_sleutel": names.replace("", None),
            "naam_is_andere_id": [
                "ja" if n and n in every_id and n != own else "nee"
                for n, own in zip(names, ids, strict=True)
            ],
            "type": rows["type"].replace("", None),
            "wijk": rows["wijk"].replace("", None),
            "digipunt": rows["digipunt"].str.lower().replace("", None),
            "surfpunt": rows["surfpunt"].str.lower().replace("", None),
            "publieke_computers": [
                float(v) if _whole_number(v) and len(v) < 10 else None
                for v in rows["publieke_computers"]
            ],
        }
    )
    for column in ("lat", "lon"):
        numbers = [_number(v) if v else None for v in rows[column]]
        frame[column] = numbers
        frame[f"{column}_geldig"] = [
            "nee" if v and n is None else "ja" for v, n in zip(rows[column], numbers, strict=True)
        ]
    for column in ("actief_van", "actief_tot"):
        numbers = [_date_number(v) if v else None for v in rows[column]]
        frame[column] = numbers
        frame[f"{column}_geldig"] = [
            "nee" if v and n is None else "ja" for v, n in zip(rows[column], numbers, strict=True)
        ]
    return frame.astype({c: "float64" for c in _NUMBER_COLUMNS}).reset_index(drop=True)


_NUMBER_COLUMNS = ["publieke_computers", "lat", "lon", "actief_van", "actief_tot"]
# The register column whose value a reason shows, for a checked column.
_SHOWN = {
    "id_sleutel": "locatie_id",
    "naam_sleutel": "naam",
    "naam_is_andere_id": "naam",
    "lat_geldig": "lat",
    "lon_geldig": "lon",
    "actief_van_geldig": "actief_van",
    "actief_tot_geldig": "actief_tot",
    "actief_tot,actief_van": "actief_tot",
}


def check_register(
    rows: pd.DataFrame, wijken: pd.DataFrame, validator: Validator, suite_json: dict
) -> list[Outcome]:
    """Validate the register with its suite; refuse it naming each row and problem, or return
    the suite's outcomes. A register that passed once is not validated again in this process
    (a dashboard or a test session loads many times with the same register)."""
    key = (rows.to_json(), tuple(wijken["wijk"]), json.dumps(suite_json, sort_keys=True))
    if key in _PASSED:
        return _PASSED[key]
    frame = _validation_frame(rows)
    outcomes = validator.validate(
        suite_json, frame, per_row=True, parameters={"wijken": list(wijken["wijk"])}
    )
    problems = []
    for outcome in outcomes:
        if outcome.success:
            continue
        if not len(outcome.failing_rows):  # a check of the whole table
            problems.append(f"{LOCATIES_FILE}: {outcome.description}")
            continue
        shown = _SHOWN.get(outcome.column, outcome.column)
        for position in outcome.failing_rows:
            row = rows.iloc[int(position)]
            value = row[shown] if shown in row else ""
            reason = outcome.description.replace("{waarde}", str(value))
            problems.append(f"{LOCATIES_FILE} rij {row['_rij']}: {reason}")
    _refuse(sorted(problems, key=_row_order))
    _PASSED[key] = outcomes
    return outcomes


_PASSED: dict[tuple, list[Outcome]] = {}


def _row_order(problem: str) -> tuple[int, str]:
    head = problem.split(":", 1)[0]
    number = head.rsplit(" ", 1)[-1]
    return (int(number) if number.isdigit() else 0, problem)


def _refuse(problems: list[str]) -> None:
    if problems:
        more = len(problems) - MAX_PROBLEMS
        tail = f"; en nog {more} andere fout(en)" if more > 0 else ""
        raise ReferenceDataError("; ".join(problems[:MAX_PROBLEMS]) + tail)


def typed_register(rows: pd.DataFrame) -> pd.DataFrame:
    """The register typed (booleans for digipunt/surfpunt, numbers, dates, None for no wijk),
    tolerant of bad values: it is used only once `check_register` has passed it."""
    frame = rows[LOCATIES_COLUMNS].copy().reset_index(drop=True)
    frame["digipunt"] = frame["digipunt"].str.lower() == "ja"
    frame["surfpunt"] = frame["surfpunt"].str.lower() == "ja"
    frame["publieke_computers"] = [
        min(int(v), 10**6) if _whole_number(v) and len(v) < 10 else 0
        for v in frame["publieke_computers"]
    ]
    frame["publieke_computers"] = frame["publieke_computers"].astype("int64")
    # The same parsing the suite checked, so a value it passed is the value used.
    for column in ("lat", "lon"):
        frame[column] = [
            number if (number := _number(v)) is not None else float("nan") for v in frame[column]
        ]
    for column in ("actief_van", "actief_tot"):
        frame[column] = pd.Series([_date(v) for v in frame[column]], dtype=object)
    frame["wijk"] = frame["wijk"].replace("", None)
    return frame
