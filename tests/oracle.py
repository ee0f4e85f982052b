"""An independent oracle for every figure of `python -m etl figures --json`.

Computed with pandas straight from the raw CSV exports (`data/raw/<source>/*.csv`) and the
reference data (`data/reference/locaties.csv`, `wijken.csv`), following the raw-export contract
(`../shared/contract/raw-exports.md`) without the project's ETL, SQL, DuckDB views or query
functions. The one thing taken from the product is the list of quarantined rows, as
(bestand, rij) pairs of a load's `quarantaine.parquet`: those rows are left out, and the oracle
checks that each one names the id the file holds in that row.

    oracle = Oracle(sample_data / "current" / "quarantaine.parquet")
    oracle.expected_figures(2022, None)        # the whole city
    oracle.expected_figures(2022, "Ledeberg")  # one wijk
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parent.parent
RAW = PROJECT / "data" / "raw"
REFERENCE = PROJECT / "data" / "reference"
# What `python -m etl load` writes by default (the shipped sample, once loaded).
DEFAULT_QUARANTINE = PROJECT / "data" / "parquet" / "current" / "quarantaine.parquet"

# The contract's enumerated values, in their canonical spelling.
KANAAL = ["Digipunt", "Aan huis"]
VRAAGTYPE = ["Technische hulp", "Digitale diensten", "Communicatie", "Werk en opleiding", "Andere"]
DIGIBANK_ACTIVITEIT = [
    "Individuele hulp",
    "Groepsvorming",
    "Toestel uitgeleend",
    "Toestel geschonken",
]
DIGIBANK_TOESTEL = ["Laptop", "Tablet", "Smartphone", "Andere"]
DOELGROEP = ["Burger", "Professional"]
ACTIE = ["Hulpvraag", "Screening", "Opleiding", "Gedeeld toestel geplaatst", "Digicoach gestart"]
AD_DOELGROEP = ["Medewerker", "Digicoach"]
BIB_ACTIVITEIT = ["Digicafé", "Digistatie", "Maakatelier", "OpenTechTalk", "Surfsessies"]
SOORT = ["Inventaris", "Ontlening"]
UITLEEN_TOESTEL = ["Laptop", "Tablet", "Educatieve robot", "Ander materiaal"]

# Per source: the column naming a register location (None: no location), the enumerated
# columns the figures use, and the count column (None: one row is one).
SOURCES: dict[str, dict] = {
    "digipunten": {
        "location": "locatie",
        "enums": {"kanaal": KANAAL, "vraagtype": VRAAGTYPE},
        "count": None,
    },
    "digibanken": {
        "location": "digibank",
        "enums": {
            "activiteit": DIGIBANK_ACTIVITEIT,
            "toesteltype": DIGIBANK_TOESTEL,
            "doelgroep": DOELGROEP,
        },
        "count": "aantal",
    },
    "allemaal_digitaal": {
        "location": None,
        "enums": {"actie": ACTIE, "doelgroep": AD_DOELGROEP},
        "count": "aantal",
    },
    "bibliotheek": {
        "location": "vestiging",
        "enums": {"activiteit": BIB_ACTIVITEIT},
        "count": "deelnemers",
    },
    "uitleendienst": {
        "location": "locatie",
        "enums": {"soort": SOORT, "toesteltype": UITLEEN_TOESTEL},
        "count": "aantal",
    },
    "vorming": {
        "location": "locatie",
        "enums": {"doelgroep": DOELGROEP},
        "count": "deelnemers",
    },
}

HEADLINE_KEYS = [
    "help_requests_total",
    "help_requests_digipunten",
    "help_requests_digibank",
    "help_requests_at_home",
    "help_requests_internal",
    "devices_total",
    "devices_public_computers",
    "devices_lending_pool",
    "devices_donated",
    "devices_lent",
    "people_trained",
    "professionals_coached",
]

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DUTCH_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


# --- reading ---------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252 (the contract's three encodings)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (trimmed, lower case) and every record with its row number as Excel numbers it
    (header = row 1; a quoted field with line breaks stays one row; empty rows count too)."""
    text = decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [name.strip().lower() for name in rows[0]]
    return header, [(number, row) for number, row in enumerate(rows[1:], start=2)]


def file_order(path: Path) -> tuple[str, str]:
    """Files are applied in order of file name, compared on the name without `.csv` first."""
    return (path.name.removesuffix(".csv"), path.name)


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if m := ISO_DATE.match(text):
        year, month, day = m.groups()
    elif m := DUTCH_DATE.match(text):
        day, month, year = m.groups()
    else:
        raise ValueError(f"not a date of the contract: {text!r}")
    return dt.date(int(year), int(month), int(day))


def parse_count(text: str) -> int:
    """A whole number; `1.234` is the Dutch way of writing 1234."""
    return int(text.strip().replace(".", ""))


def canonical(value: str, allowed: list[str], what: str) -> str | None:
    """The canonical spelling of an enumerated value (case and surrounding spaces ignored)."""
    value = value.strip()
    if not value:
        return None
    for spelling in allowed:
        if spelling.casefold() == value.casefold():
            return spelling
    raise ValueError(f"{what} {value!r} is not in the contract but was not quarantined")


# --- the reference data ----------------------------------------------------------------------


def read_register(reference: Path) -> pd.DataFrame:
    header, rows = records(reference / "locaties.csv")
    frame = pd.DataFrame([row for _, row in rows if any(c.strip() for c in row)], columns=header)
    frame = frame.apply(lambda column: column.str.strip())
    frame["wijk"] = frame["wijk"].where(frame["wijk"] != "", None)
    frame["publieke_computers"] = frame["publieke_computers"].map(parse_count)
    frame["digipunt"] = frame["digipunt"].str.lower() == "ja"
    frame["surfpunt"] = frame["surfpunt"].str.lower() == "ja"
    frame["actief_van"] = frame["actief_van"].map(parse_date)
    frame["actief_tot"] = frame["actief_tot"].map(lambda v: parse_date(v) if v else None)
    return frame


def read_wijken(reference: Path) -> list[str]:
    header, rows = records(reference / "wijken.csv")
    column = header.index("wijk")
    return [row[column].strip() for _, row in rows if row and row[column].strip()]


# --- the sources -----------------------------------------------------------------------------


class Oracle:
    """The final state of every source (last row per id wins, quarantined rows left out)."""

    def __init__(
        self,
        quarantine: Path | pd.DataFrame = DEFAULT_QUARANTINE,
        raw: Path = RAW,
        reference: Path = REFERENCE,
    ) -> None:
        q = quarantine if isinstance(quarantine, pd.DataFrame) else pd.read_parquet(quarantine)
        self.quarantined: dict[tuple[str, int], str] = {
            (str(b), int(r)): str(i)
            for b, r, i in zip(q["bestand"], q["rij"], q["id"], strict=True)
        }
        self.register = read_register(reference)
        self.wijken = read_wijken(reference)
        self._locations = self.register.to_dict("records")
        self._by_name = {n.casefold(): i for i, n in enumerate(self.register["naam"])}
        self._by_id = {n.casefold(): i for i, n in enumerate(self.register["locatie_id"])}
        self.excluded: list[tuple[str, int]] = []
        self.sources = {source: self._read_source(raw, source) for source in SOURCES}
        self._by_year = {
            source: dict(tuple(frame.groupby("jaar"))) for source, frame in self.sources.items()
        }
        missing = set(self.quarantined) - set(self.excluded)
        if missing:
            raise ValueError(f"quarantined rows that the raw files do not hold: {sorted(missing)}")

    def _resolve(self, name: str) -> int:
        key = name.strip().casefold()
        hits = {self._by_name.get(key), self._by_id.get(key)} - {None}
        if len(hits) != 1:
            raise ValueError(f"location {name!r} does not resolve but was not quarantined")
        return hits.pop()

    def _read_source(self, raw: Path, source: str) -> pd.DataFrame:
        spec = SOURCES[source]
        kept: dict[str, dict] = {}  # per id the row of the file applied last
        for path in sorted((raw / source).glob("*.csv"), key=file_order):
            bestand = f"{source}/{path.name}"
            header, rows = records(path)
            for number, row in rows:
                if (bestand, number) in self.quarantined:
                    fields = dict(zip(header, row, strict=False))
                    expected = self.quarantined[(bestand, number)]
                    if fields.get("id", "").strip() != expected:
                        raise ValueError(
                            f"{bestand} row {number} holds id {fields.get('id')!r}, "
                            f"the quarantine says {expected!r}"
                        )
                    self.excluded.append((bestand, number))
                    continue
                if not any(field.strip() for field in row):
                    continue  # an empty row
                if len(row) != len(header):
                    raise ValueError(f"{bestand} row {number}: wrong number of fields")
                fields = dict(zip(header, row, strict=True))
                kept[fields["id"].strip()] = self._typed(spec, fields, bestand, number)
        # plain Python objects rather than Arrow strings: many small selections, quickly
        frame = pd.DataFrame(list(kept.values()), dtype=object)
        frame["aantal"] = frame["aantal"].astype("int64")
        frame["datum"] = pd.to_datetime(frame["datum"])
        frame["jaar"] = frame["datum"].dt.year
        return frame

    def _typed(self, spec: dict, fields: dict, bestand: str, number: int) -> dict:
        row: dict = {"id": fields["id"].strip(), "bestand": bestand, "rij": number}
        row["datum"] = parse_date(fields["datum"])
        for column, allowed in spec["enums"].items():
            row[column] = canonical(fields.get(column, ""), allowed, f"{bestand} {column}")
        row["aantal"] = parse_count(fields[spec["count"]]) if spec["count"] else 1
        location = fields.get(spec["location"], "").strip() if spec["location"] else ""
        if location:
            register = self._locations[self._resolve(location)]
            row["locatie"] = register["naam"]
            row["locatietype"] = register["type"]
            row["wijk"] = register["wijk"]
        else:  # no location: city-wide, in no wijk
            row["locatie"] = row["locatietype"] = row["wijk"] = None
        return row

    # --- the figures -------------------------------------------------------------------------

    def canonical_wijk(self, wijk: str | None) -> str | None:
        if wijk is None:
            return None
        for name in self.wijken:
            if name.casefold() == wijk.strip().casefold():
                return name
        raise ValueError(f"unknown wijk {wijk!r}")

    def expected_figures(self, year: int, wijk: str | None) -> dict:
        """`{"headline": {12 keys}, "programme": {...}}` for a year, the city (None) or a wijk."""
        wijk = self.canonical_wijk(wijk)
        last_day = pd.Timestamp(year, 12, 31)
        city = wijk is None

        def in_year(source: str) -> pd.DataFrame:
            frame = self._by_year[source].get(year, self.sources[source].iloc[:0])
            return frame if city else frame[frame["wijk"] == wijk]

        def total(frame: pd.DataFrame) -> int:
            return int(frame["aantal"].sum())

        digipunten = in_year("digipunten")
        digibanken = in_year("digibanken")
        allemaal = in_year("allemaal_digitaal")
        bibliotheek = in_year("bibliotheek")
        uitleen = in_year("uitleendienst")
        vorming = in_year("vorming")

        register = self.register
        # open on the period's last day: actief_van <= it and (no actief_tot or actief_tot >= it)
        is_open = (register["actief_van"] <= last_day.date()) & register["actief_tot"].map(
            lambda end: pd.isna(end) or end >= last_day.date()
        )
        open_locations = register[is_open & (True if city else register["wijk"] == wijk)]
        everything = self.sources["uitleendienst"]
        pool = everything[(everything["soort"] == "Inventaris") & (everything["datum"] <= last_day)]
        loans = uitleen[uitleen["soort"] == "Ontlening"]

        on_site = digipunten[digipunten["kanaal"] == "Digipunt"]
        at_home = digipunten[digipunten["kanaal"] == "Aan huis"]
        activities = bibliotheek[bibliotheek["activiteit"] != "Surfsessies"]

        def digibank(activiteit: str, doelgroep: str | None = None) -> pd.DataFrame:
            rows = digibanken[digibanken["activiteit"] == activiteit]
            return rows if doelgroep is None else rows[rows["doelgroep"] == doelgroep]

        def actie(name: str) -> pd.DataFrame:
            return allemaal[allemaal["actie"] == name]

        def library(activiteit: str) -> pd.DataFrame:
            return bibliotheek[bibliotheek["activiteit"] == activiteit]

        def city_only(value: int) -> int | None:
            return value if city else None

        headline = {
            "help_requests_digipunten": len(on_site),
            "help_requests_digibank": total(digibank("Individuele hulp")),
            "help_requests_at_home": len(at_home),
            "help_requests_internal": city_only(total(actie("Hulpvraag"))),
            "devices_public_computers": int(open_locations["publieke_computers"].sum()),
            "devices_lending_pool": city_only(total(pool)),
            "devices_donated": total(digibank("Toestel geschonken")),
            "devices_lent": total(digibank("Toestel uitgeleend")),
            "people_trained": total(digibank("Groepsvorming", "Burger"))
            + total(actie("Opleiding"))
            + total(activities)
            + total(vorming[vorming["doelgroep"] == "Burger"]),
            "professionals_coached": total(digibank("Groepsvorming", "Professional"))
            + total(actie("Digicoach gestart"))
            + total(vorming[vorming["doelgroep"] == "Professional"]),
        }
        headline["help_requests_total"] = sum(
            headline[k] or 0
            for k in [
                "help_requests_digipunten",
                "help_requests_digibank",
                "help_requests_at_home",
                "help_requests_internal",
            ]
        )
        headline["devices_total"] = sum(
            headline[k] or 0
            for k in [
                "devices_public_computers",
                "devices_lending_pool",
                "devices_donated",
                "devices_lent",
            ]
        )

        def share(vraagtype: str) -> int | None:
            if len(on_site) == 0:
                return None
            part = int((on_site["vraagtype"] == vraagtype).sum())
            # round(100 * part / all), halves away from zero, in exact integer arithmetic
            return (200 * part + len(on_site)) // (2 * len(on_site))

        def per_digibank(activiteit: str, count_rows: bool = False) -> dict[str, int]:
            rows = digibank(activiteit)
            grouped = rows.groupby("locatie")["aantal"]
            values = grouped.size() if count_rows else grouped.sum()
            return {str(name): int(value) for name, value in values.items()}

        def pool_of(toesteltype: str) -> int | None:
            return city_only(total(pool[pool["toesteltype"] == toesteltype]))

        programme = {
            "digipunten_locations": int(open_locations["digipunt"].sum()),
            "surfpunten_locations": int(open_locations["surfpunt"].sum()),
            "digipunten_share_technical_help_pct": share("Technische hulp"),
            "digipunten_share_digital_services_pct": share("Digitale diensten"),
            "library_digipunt_questions": int((on_site["locatietype"] == "Bibliotheek").sum()),
            "library_surf_sessions": total(library("Surfsessies")),
            "library_digicafes": len(library("Digicafé")),
            "library_digicafe_participants": total(library("Digicafé")),
            "library_digistaties": len(library("Digistatie")),
            "library_digistatie_participants": total(library("Digistatie")),
            "library_makerspace_workshops": len(library("Maakatelier")),
            "library_makerspace_participants": total(library("Maakatelier")),
            "library_activities_total": len(activities),
            "library_participants_total": total(activities),
            "ldc_digipunt_questions": int(
                (on_site["locatietype"] == "Lokaal Dienstencentrum").sum()
            ),
            "digibank_devices_lent": per_digibank("Toestel uitgeleend"),
            "digibank_devices_donated": per_digibank("Toestel geschonken"),
            "digibank_help_requests": per_digibank("Individuele hulp"),
            "digibank_workshops": per_digibank("Groepsvorming", count_rows=True),
            "digibank_workshop_participants": per_digibank("Groepsvorming"),
            "allemaal_digitaal_shared_devices_placed": city_only(
                total(actie("Gedeeld toestel geplaatst"))
            ),
            "allemaal_digitaal_workers_screened": city_only(total(actie("Screening"))),
            "allemaal_digitaal_training_series": city_only(len(actie("Opleiding"))),
            "allemaal_digitaal_workers_trained": city_only(total(actie("Opleiding"))),
            "allemaal_digitaal_new_digicoaches": city_only(total(actie("Digicoach gestart"))),
            "uitleendienst_laptops": pool_of("Laptop"),
            "uitleendienst_tablets": pool_of("Tablet"),
            "uitleendienst_robots": pool_of("Educatieve robot"),
            "uitleendienst_loans": city_only(len(loans)),
            "uitleendienst_devices_lent_to_organisations": city_only(total(loans)),
        }
        return {"headline": {k: headline[k] for k in HEADLINE_KEYS}, "programme": programme}


@functools.lru_cache(maxsize=4)
def oracle_for(quarantine: Path = DEFAULT_QUARANTINE) -> Oracle:
    return Oracle(quarantine)


def expected_figures(year: int, wijk: str | None, quarantine: Path = DEFAULT_QUARANTINE) -> dict:
    """The oracle's figures; `quarantine` is the `quarantaine.parquet` of a load of data/raw."""
    return oracle_for(Path(quarantine)).expected_figures(year, wijk)
