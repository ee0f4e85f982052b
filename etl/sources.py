"""What each source of the raw-export contract holds: its columns and how to parse them.

The rules a value must satisfy (required, allowed values, ranges, uniqueness) live in the
Great Expectations suites in `expectations/`, one per source; this module only says how a
column is typed, so the suites can stay the one place a data steward edits rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    TEXT = "text"  # stored trimmed; canonical spelling if the suite gives a value set
    DATE = "date"  # dd/mm/yyyy, dd-mm-yyyy, d/m/yyyy or yyyy-mm-dd
    COUNT = "count"  # whole number, Dutch thousands separator allowed
    LOCATION = "location"  # a register location, by naam or locatie_id


@dataclass(frozen=True)
class Source:
    name: str
    label: str  # Dutch name shown to users
    columns: dict[str, Kind]
    # Used when a location column is empty: the register type whose single row is meant.
    default_location_type: str | None = None
    # The value an empty optional column stands for, as the contract says.
    empty_means: dict[str, str] = field(default_factory=dict)

    @property
    def location_column(self) -> str | None:
        return next((c for c, k in self.columns.items() if k is Kind.LOCATION), None)


SOURCES: dict[str, Source] = {
    s.name: s
    for s in [
        Source(
            "digipunten",
            "Digipunten",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "locatie": Kind.LOCATION,
                "kanaal": Kind.TEXT,
                "vraagtype": Kind.TEXT,
                "leeftijdsgroep": Kind.TEXT,
            },
            empty_means={"leeftijdsgroep": "onbekend"},
        ),
        Source(
            "digibanken",
            "Digibanken",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "digibank": Kind.LOCATION,
                "activiteit": Kind.TEXT,
                "onderwerp": Kind.TEXT,
                "toesteltype": Kind.TEXT,
                "doelgroep": Kind.TEXT,
                "aantal": Kind.COUNT,
            },
        ),
        Source(
            "allemaal_digitaal",
            "Allemaal Digitaal",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "stadsdienst": Kind.TEXT,
                "actie": Kind.TEXT,
                "doelgroep": Kind.TEXT,
                "aantal": Kind.COUNT,
            },
        ),
        Source(
            "bibliotheek",
            "Bibliotheek",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "vestiging": Kind.LOCATION,
                "activiteit": Kind.TEXT,
                "deelnemers": Kind.COUNT,
            },
        ),
        Source(
            "uitleendienst",
            "Digitale Uitleendienst",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "soort": Kind.TEXT,
                "toesteltype": Kind.TEXT,
                "aantal": Kind.COUNT,
                "organisatie": Kind.TEXT,
                "locatie": Kind.LOCATION,
            },
            default_location_type="Uitleendienst",
        ),
        Source(
            "vorming",
            "Vorming",
            {
                "id": Kind.TEXT,
                "datum": Kind.DATE,
                "programma": Kind.TEXT,
                "locatie": Kind.LOCATION,
                "titel": Kind.TEXT,
                "doelgroep": Kind.TEXT,
                "deelnemers": Kind.COUNT,
            },
        ),
    ]
}

# Beside the sample exports: sha256sum lines of the shipped sample files, so a load can tell
# when the dashboard runs on invented sample data.
SAMPLE_HASHES = "voorbeeldgegevens.sha256"

# Header names that look like personal data: never stored, reported as dropped.
PERSONAL_DATA_COLUMNS = frozenset(
    {
        "naam",
        "voornaam",
        "achternaam",
        "familienaam",
        "email",
        "e-mail",
        "emailadres",
        "e-mailadres",
        "mail",
        "telefoon",
        "telefoonnummer",
        "tel",
        "gsm",
        "gsm-nummer",
        "gsmnummer",
        "rijksregisternummer",
        "rijksregister",
        "insz",
        "adres",
        "straat",
        "woonplaats",
        "geboortedatum",
    }
)


def normalise_header(name: str) -> str:
    """Header names match case-insensitively, ignoring surrounding spaces (and a BOM)."""
    return name.replace("\ufeff", "").strip().lower()
