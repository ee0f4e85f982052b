"""The registry of figures: every number the product shows, declared once.

Each figure is one SQL file, `sql/kpis/<key>.sql` for the twelve headline KPIs and
`sql/programmes/<key>.sql` for the figures of the programme pages. The file selects the
figure's facts (`datum, wijk, programma, onderdeel, waarde, soort`) and its header says what the
figure is:

    -- label: the Dutch label (unique over the registry)
    -- definitie: the Dutch definition shown next to the figure
    -- eenheid: aantal (default) | percentage | euro
    -- soort: stroom (default: counted in the period) | stand (on its last day) | stroom en stand
    -- per_wijk: ja (default: every fact lies in a wijk) | deels (a total with city-wide parts)
    --           | nee (city-wide: it has no value for a wijk)
    -- programma: the programme page that shows it (programme figures only)
    -- per_onderdeel: ja when the figure is given per part (per Digibank)
    -- aandeel_van: <key> for a percentage: these facts over that figure's facts
    -- onderdelen: <key>, <key>, ... for a total: the figures whose facts it unites
    -- gepubliceerd: <published key> = <part>; ... (per-part figures the report names singly)

Programme figures that are a part of a headline KPI select from that KPI's facts
(`kpi_<key>`), never again from the staging views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"

# What the screen shows for a figure without a value for a wijk, and the note files carry.
NOT_PER_WIJK = "niet per wijk"
CITY_WIDE_NOTE = f"telt voor heel Gent, {NOT_PER_WIJK}"
PARTLY_NOTE = "zonder de delen die voor heel Gent tellen"
# A figure none of whose facts belong to the programmes chosen in the filter.
NOT_IN_PROGRAMMES = "niet in deze programma's"
PROGRAMME_NOTE = "hoort niet bij de gekozen programma's"


class Unit(StrEnum):
    COUNT = "aantal"
    PERCENTAGE = "percentage"
    EURO = "euro"


class Kind(StrEnum):
    FLOW = "stroom"  # counted inside the period
    STOCK = "stand"  # its level on the period's last day
    MIXED = "stroom en stand"  # a total of flows and stocks (devices_total)


class WijkSplit(StrEnum):
    YES = "ja"  # every fact lies in a wijk: the 25 wijken make the city
    PARTLY = "deels"  # a total with city-wide parts: per wijk only its wijk-bound parts count
    NO = "nee"  # city-wide: no value for a wijk


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    unit: Unit
    kind: Kind
    per_wijk: WijkSplit
    sql: str
    programme: str | None = None  # None: a headline KPI
    per_part: bool = False
    share_of: str | None = None  # percentages: the figure they are a share of
    parts: tuple[str, ...] = ()  # totals: the figures they unite
    published: dict[str, str] = field(default_factory=dict)  # published key -> part

    @property
    def headline(self) -> bool:
        return self.programme is None

    def wijk_note(self) -> str:
        """What a file says next to this figure's value under a wijk filter ('' if nothing)."""
        return {WijkSplit.NO: CITY_WIDE_NOTE, WijkSplit.PARTLY: PARTLY_NOTE}.get(self.per_wijk, "")


# The annual report's order: "in cijfers", then each programme page.
HEADLINE_KEYS = (
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
)
PROGRAMME_KEYS = (
    "digipunten_locations",
    "surfpunten_locations",
    "digipunten_share_technical_help_pct",
    "digipunten_share_digital_services_pct",
    "ldc_digipunt_questions",
    "digibank_devices_lent",
    "digibank_devices_donated",
    "digibank_help_requests",
    "digibank_workshops",
    "digibank_workshop_participants",
    "allemaal_digitaal_shared_devices_placed",
    "allemaal_digitaal_workers_screened",
    "allemaal_digitaal_training_series",
    "allemaal_digitaal_workers_trained",
    "allemaal_digitaal_new_digicoaches",
    "library_digipunt_questions",
    "library_surf_sessions",
    "library_digicafes",
    "library_digicafe_participants",
    "library_digistaties",
    "library_digistatie_participants",
    "library_makerspace_workshops",
    "library_makerspace_participants",
    "library_activities_total",
    "library_participants_total",
    "uitleendienst_laptops",
    "uitleendienst_tablets",
    "uitleendienst_robots",
    "uitleendienst_loans",
    "uitleendienst_devices_lent_to_organisations",
)
# The programme pages, in the navigation's order; each headline KPI of a programme is shown on
# its page too (the Digipunten page shows help_requests_digipunten itself, not a copy).
PROGRAMME_PAGES = ("Digipunten", "Digibanken", "Allemaal Digitaal", "Bibliotheek", "Uitleendienst")
PAGE_KPIS: dict[str, tuple[str, ...]] = {
    "Digipunten": ("help_requests_digipunten",),
    "Digibanken": (),
    "Allemaal Digitaal": (),
    "Bibliotheek": (),
    "Uitleendienst": (),
}


def _header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        name, sep, value = line[2:].partition(":")
        if sep and name.strip().isidentifier():
            header[name.strip()] = value.strip()
    return header


def _read(path: Path, programme_figure: bool) -> Figure:
    text = path.read_text(encoding="utf-8")
    header = _header(text)
    published = {}
    for pair in filter(None, (p.strip() for p in header.get("gepubliceerd", "").split(";"))):
        name, _, part = pair.partition("=")
        published[name.strip()] = part.strip()
    figure = Figure(
        key=path.stem,
        label=header["label"],
        definition=header["definitie"],
        unit=Unit(header.get("eenheid", "aantal")),
        kind=Kind(header.get("soort", "stroom")),
        per_wijk=WijkSplit(header.get("per_wijk", "ja")),
        sql=text,
        programme=header["programma"] if programme_figure else None,
        per_part=header.get("per_onderdeel", "nee") == "ja",
        share_of=header.get("aandeel_van"),
        parts=tuple(p.strip() for p in header.get("onderdelen", "").split(",") if p.strip()),
        published=published,
    )
    return figure


def _registry() -> dict[str, Figure]:
    figures = [_read(SQL_DIR / "kpis" / f"{key}.sql", False) for key in HEADLINE_KEYS]
    figures += [_read(SQL_DIR / "programmes" / f"{key}.sql", True) for key in PROGRAMME_KEYS]
    registry = {f.key: f for f in figures}
    labels = [f.label for f in figures]
    doubles = {label for label in labels if labels.count(label) > 1}
    if doubles:  # a reader must never take one figure for another
        raise ValueError(f"Labels used twice in the registry: {', '.join(sorted(doubles))}")
    for f in figures:
        for other in (f.share_of, *f.parts):
            if other is not None and other not in registry:
                raise ValueError(f"{f.key} refers to an unknown figure: {other}")
    return registry


FIGURES: dict[str, Figure] = _registry()
HEADLINE: tuple[Figure, ...] = tuple(FIGURES[k] for k in HEADLINE_KEYS)
PROGRAMME: tuple[Figure, ...] = tuple(FIGURES[k] for k in PROGRAMME_KEYS)


class UnknownFigureError(ValueError):
    """A key that is not in the registry."""


def figure(key: str) -> Figure:
    try:
        return FIGURES[key]
    except KeyError:
        raise UnknownFigureError(
            f"Onbekend cijfer: {key}. Kies uit: {', '.join(FIGURES)}"
        ) from None


def check_keys(keys: tuple[str, ...] | list[str]) -> list[str]:
    """`keys` as a list; an unknown key raises UnknownFigureError (Dutch)."""
    for key in keys:
        figure(key)
    return list(keys)


def programme_figures_of(programme: str) -> tuple[Figure, ...]:
    """What a programme page shows: its headline KPIs, then its own figures."""
    return tuple(FIGURES[k] for k in PAGE_KPIS[programme]) + tuple(
        f for f in PROGRAMME if f.programme == programme
    )
