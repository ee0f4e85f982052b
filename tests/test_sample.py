"""The shipped sample: reproducible byte for byte, and its final state gives the 2022 report.

The check of the 2022 figures reads the raw CSV files with nothing but the contract's rules,
independently of the ETL, so a change to the generator cannot hide behind the ETL or the
other way round.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tools.sample import SOURCES, generate

PROJECT = Path(__file__).resolve().parent.parent
RAW = PROJECT / "data" / "raw"
REFERENCE = PROJECT / "data" / "reference"
GEOJSON = PROJECT.parent / "shared" / "reference" / "gent-wijken.geojson"

# The published 2022 figures ("headline" and "programme") that the sample must reproduce.
PUBLISHED = json.loads((REFERENCE / "kpi-2022.json").read_text(encoding="utf-8"))
EXPECTED_2022 = {**PUBLISHED["headline"], **PUBLISHED["programme"]}

# ------------------------------------------------------------------ the contract, compactly

AGES = ("-18", "18-34", "35-54", "55-64", "65+", "onbekend")
DEVICES = ("Laptop", "Tablet", "Smartphone", "Andere")
LENDING_DEVICES = ("Laptop", "Tablet", "Educatieve robot", "Ander materiaal")
DB_ACTIVITIES = ("Individuele hulp", "Groepsvorming", "Toestel uitgeleend", "Toestel geschonken")
# column -> (required, rule): allowed values, None for free text, or "count" (>= 1),
# "count0" (>= 0), "int" (any sign) or "loc" (a register location)
RULES: dict[str, dict[str, tuple[bool, object]]] = {
    "digipunten": {
        "locatie": (True, "loc"),
        "kanaal": (True, ("Digipunt", "Aan huis")),
        "vraagtype": (True, ("Technische hulp", "Digitale diensten", "Communicatie",
                             "Werk en opleiding", "Andere")),
        "leeftijdsgroep": (False, AGES),
    },
    "digibanken": {
        "digibank": (True, "loc"),
        "activiteit": (True, DB_ACTIVITIES),
        "onderwerp": (False, ("Digitale vaardigheden", "Essentiële diensten")),
        "toesteltype": (False, DEVICES),
        "doelgroep": (True, ("Burger", "Professional")),
        "aantal": (True, "count"),
    },
    "allemaal_digitaal": {
        "stadsdienst": (True, None),
        "actie": (True, ("Hulpvraag", "Screening", "Opleiding", "Gedeeld toestel geplaatst",
                         "Digicoach gestart")),
        "doelgroep": (True, ("Medewerker", "Digicoach")),
        "aantal": (True, "count"),
    },
    "bibliotheek": {
        "vestiging": (True, "loc"),
        "activiteit": (True, ("Digicafé", "Digistatie", "Maakatelier", "OpenTechTalk",
                              "Surfsessies")),
        "deelnemers": (True, "count0"),
    },
    "uitleendienst": {
        "soort": (True, ("Inventaris", "Ontlening")),
        "toesteltype": (True, LENDING_DEVICES),
        "aantal": (True, "int"),
        "organisatie": (False, None),
        "locatie": (False, "loc"),
    },
    "vorming": {
        "programma": (True, None),
        "locatie": (False, "loc"),
        "titel": (False, None),
        "doelgroep": (True, ("Burger", "Professional")),
        "deelnemers": (True, "count0"),
    },
}  # fmt: skip
LOCATION_TYPES = {"digibank": ("Digibank", "Welzijnsbureau"), "vestiging": ("Bibliotheek",)}
DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (3, 2, 1)),
    (re.compile(r"(\d{2})-(\d{2})-(\d{4})"), (3, 2, 1)),
)


def read_register() -> list[dict[str, str]]:
    text = (REFERENCE / "locaties.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def parse_date(text: str) -> dt.date | None:
    for pattern, (y, m, d) in DATE_PATTERNS:
        match = pattern.fullmatch(text.strip())
        if match:
            try:
                day = dt.date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                return None
            return day if dt.date(2015, 1, 1) <= day <= dt.date.today() else None
    return None


def parse_int(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+|-?\d+", text):
        return int(text.replace(".", ""))
    return None


def read_rows(path: Path) -> list[dict[str, str]]:
    """Decode, sniff the delimiter, normalise the headers; skip entirely empty rows."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    names = [h.strip().lower() for h in records[0]]
    return [dict(zip(names, r, strict=True)) for r in records[1:] if any(f.strip() for f in r)]


def clean(source: str, raw: dict[str, str], locations: dict[str, dict[str, str]]) -> dict | None:
    """The row with canonical values, or None when the contract forbids it."""
    row: dict[str, object] = {"id": raw["id"].strip(), "datum": parse_date(raw["datum"])}
    if not row["id"] or row["datum"] is None:
        return None
    for column, (required, rule) in RULES[source].items():
        value = raw.get(column, "").strip()
        if not value:
            if required:
                return None
            row[column] = ""
            continue
        if isinstance(rule, tuple):
            canonical = {v.lower(): v for v in rule}.get(value.lower())
            if canonical is None:
                return None
            row[column] = canonical
        elif rule == "loc":
            loc = locations.get(value.lower())
            if loc is None or loc["type"] not in LOCATION_TYPES.get(column, (loc["type"],)):
                return None
            row[column] = loc
        elif rule in ("count", "count0", "int"):
            number = parse_int(value)
            low = {"count": 1, "count0": 0}.get(rule, -(10**9))
            if number is None or number < low:
                return None
            row[column] = number
        else:
            row[column] = value
    if (
        source == "digibanken"
        and row["activiteit"].startswith("Toestel")
        and not row["toesteltype"]
    ):
        return None
    if source == "uitleendienst" and row["soort"] == "Ontlening":
        if not row["organisatie"] or row["aantal"] < 0:
            return None
    return row


def final_state(raw_dir: Path) -> dict[str, list[dict]]:
    """Per source: last file by name wins per id; rows the contract forbids are dropped."""
    register = read_register()
    locations = {r["naam"].lower(): r for r in register} | {
        r["locatie_id"].lower(): r for r in register
    }
    state = {}
    for source in SOURCES:
        final: dict[str, dict] = {}
        for path in sorted((raw_dir / source).glob("*.csv")):
            rows = read_rows(path)
            twice = {i for i, n in Counter(r["id"].strip() for r in rows).items() if n > 1}
            for raw in rows:
                row = None if raw["id"].strip() in twice else clean(source, raw, locations)
                if row is not None:
                    final[row["id"]] = row
        state[source] = list(final.values())
    return state


def open_on(day: str) -> list[dict[str, str]]:
    """Register rows open on ``day`` (ISO): actief_van <= day <= actief_tot or still open."""
    return [r for r in read_register() if r["actief_van"] <= day <= (r["actief_tot"] or "9999")]


def figures_2022(state: dict[str, list[dict]]) -> dict[str, int]:
    """The kpi-2022.json figures, counted from the final state as the contract defines them."""
    y = {s: [r for r in rows if r["datum"].year == 2022] for s, rows in state.items()}

    def select(source: str, **where: str) -> list[dict]:
        """2022 rows whose columns equal ``where``; a location matches by naam or by type."""

        def match(value: object, wanted: str) -> bool:
            if isinstance(value, dict):
                return wanted in (value["naam"], value["type"])
            return value == wanted

        return [r for r in y[source] if all(match(r[k], v) for k, v in where.items())]

    def n(source: str, **where: str) -> int:
        return len(select(source, **where))

    def total(source: str, column: str, **where: str) -> int:
        return sum(r[column] for r in select(source, **where))

    desk = select("digipunten", kanaal="Digipunt")
    open_end = open_on("2022-12-31")
    pool = Counter()
    for r in state["uitleendienst"]:
        if r["soort"] == "Inventaris" and r["datum"] <= dt.date(2022, 12, 31):
            pool[r["toesteltype"]] += r["aantal"]
    activities = ("Digicafé", "Digistatie", "Maakatelier", "OpenTechTalk")
    lent, group, ad = "Toestel uitgeleend", "Groepsvorming", "allemaal_digitaal"
    serre, uconnect = "Digibank De Serre", "Digibank U-Connect"
    f = {
        "help_requests_digipunten": len(desk),
        "help_requests_digibank": total("digibanken", "aantal", activiteit="Individuele hulp"),
        "help_requests_at_home": n("digipunten", kanaal="Aan huis"),
        "help_requests_internal": total(ad, "aantal", actie="Hulpvraag"),
        "devices_public_computers": sum(int(r["publieke_computers"]) for r in open_end),
        "devices_lending_pool": sum(pool.values()),
        "devices_donated": total("digibanken", "aantal", activiteit="Toestel geschonken"),
        "devices_lent": total("digibanken", "aantal", activiteit=lent),
        "people_trained": total("digibanken", "aantal", activiteit=group, doelgroep="Burger")
        + total(ad, "aantal", actie="Opleiding")
        + sum(total("bibliotheek", "deelnemers", activiteit=a) for a in activities)
        + total("vorming", "deelnemers", doelgroep="Burger"),
        "professionals_coached": total(
            "digibanken", "aantal", activiteit=group, doelgroep="Professional"
        )
        + total(ad, "aantal", actie="Digicoach gestart")
        + total("vorming", "deelnemers", doelgroep="Professional"),
        "digipunten_locations": sum(r["digipunt"] == "ja" for r in open_end),
        "surfpunten_locations": sum(r["surfpunt"] == "ja" for r in open_end),
        "digipunten_share_technical_help_pct": round(
            100 * n("digipunten", kanaal="Digipunt", vraagtype="Technische hulp") / len(desk)
        ),
        "digipunten_share_digital_services_pct": round(
            100 * n("digipunten", kanaal="Digipunt", vraagtype="Digitale diensten") / len(desk)
        ),
        "library_digipunt_questions": n("digipunten", locatie="Bibliotheek"),
        "library_surf_sessions": total("bibliotheek", "deelnemers", activiteit="Surfsessies"),
        "library_digicafes": n("bibliotheek", activiteit="Digicafé"),
        "library_digicafe_participants": total("bibliotheek", "deelnemers", activiteit="Digicafé"),
        "library_digistaties": n("bibliotheek", activiteit="Digistatie"),
        "library_digistatie_participants": total(
            "bibliotheek", "deelnemers", activiteit="Digistatie"
        ),
        "library_makerspace_workshops": n("bibliotheek", activiteit="Maakatelier"),
        "library_makerspace_participants": total(
            "bibliotheek", "deelnemers", activiteit="Maakatelier"
        ),
        "library_activities_total": sum(n("bibliotheek", activiteit=a) for a in activities),
        "library_participants_total": sum(
            total("bibliotheek", "deelnemers", activiteit=a) for a in activities
        ),
        "ldc_digipunt_questions": n("digipunten", locatie="Lokaal Dienstencentrum"),
        "digibank_de_serre_devices_lent": total(
            "digibanken", "aantal", activiteit=lent, digibank=serre
        ),
        "digibank_uconnect_devices_lent": total(
            "digibanken", "aantal", activiteit=lent, digibank=uconnect
        ),
        "digibank_uconnect_workshops": n("digibanken", activiteit=group, digibank=uconnect),
        "allemaal_digitaal_shared_devices_placed": total(
            ad, "aantal", actie="Gedeeld toestel geplaatst"
        ),
        "allemaal_digitaal_workers_screened": total(ad, "aantal", actie="Screening"),
        "allemaal_digitaal_training_series": n(ad, actie="Opleiding"),
        "allemaal_digitaal_workers_trained": total(ad, "aantal", actie="Opleiding"),
        "allemaal_digitaal_new_digicoaches": total(ad, "aantal", actie="Digicoach gestart"),
        "uitleendienst_laptops": pool["Laptop"],
        "uitleendienst_tablets": pool["Tablet"],
        "uitleendienst_robots": pool["Educatieve robot"],
        "uitleendienst_loans": n("uitleendienst", soort="Ontlening"),
        "uitleendienst_devices_lent_to_organisations": total(
            "uitleendienst", "aantal", soort="Ontlening"
        ),
    }
    help_requests = ("digipunten", "digibank", "at_home", "internal")
    f["help_requests_total"] = sum(f[f"help_requests_{k}"] for k in help_requests)
    devices = ("public_computers", "lending_pool", "donated", "lent")
    f["devices_total"] = sum(f[f"devices_{k}"] for k in devices)
    return f


# ------------------------------------------------------------------ tests


def csv_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_checksum_list_names_every_sample_file() -> None:
    listed = (RAW / "voorbeeldgegevens.sha256").read_text(encoding="ascii").splitlines()
    actual = [
        f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in csv_files(RAW).items()
    ]
    assert listed == actual


def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path, REFERENCE)
    committed, fresh = csv_files(RAW), csv_files(tmp_path)
    checksums = "voorbeeldgegevens.sha256"
    assert (tmp_path / checksums).read_bytes() == (RAW / checksums).read_bytes()
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert not changed, f"regenerate with `python -m tools.sample`: {changed[:5]}"


def test_the_final_state_reproduces_the_2022_report() -> None:
    assert figures_2022(final_state(RAW)) == EXPECTED_2022


def test_rows_name_locations_that_are_open_that_day() -> None:
    for rows in final_state(RAW).values():
        for row in rows:
            for value in row.values():
                if isinstance(value, dict):
                    day = row["datum"].isoformat()
                    assert value["actief_van"] <= day <= (value["actief_tot"] or "9999"), row


def test_forbidden_rows_are_few() -> None:
    state = final_state(RAW)
    kept = sum(len(rows) for rows in state.values())
    read = sum(len(read_rows(p)) for p in RAW.rglob("*.csv"))
    resent = len(read_rows(RAW / "digipunten" / "2022-05_herzien.csv"))
    assert 20 <= read - resent - kept <= 40


def test_sample_mixes_the_contract_variants() -> None:
    files = csv_files(RAW)
    headers = {name: data.split(b"\n", 1)[0] for name, data in files.items()}
    assert any(data.startswith(b"\xef\xbb\xbf") for data in files.values())
    assert any(b"Digicaf\xe9" in data or b"Essenti\xeble" in data for data in files.values())
    assert any(b"\r\n" in data for data in files.values())
    assert any(b"\r\n" not in data for data in files.values())
    assert any(b"," in h and b";" not in h for h in headers.values())
    assert any(data.endswith((b"\n\n", b"\r\n\r\n")) for data in files.values())
    for personal in (b"naam", b"e-mail", b"telefoon"):
        assert any(
            personal in h.lower().split(b"," if b"," in h else b";") for h in headers.values()
        )
    assert "digipunten/2022-05_herzien.csv" in files
    assert (
        sorted(files).index("digipunten/2022-05_herzien.csv")
        == sorted(files).index("digipunten/2022-05.csv") + 1
    )


def test_scale_multiplies_the_rows_with_unique_ids(tmp_path: Path) -> None:
    (tmp_path / "vorming").mkdir()
    (tmp_path / "vorming" / "stale.csv").write_text("id\n")
    generate(tmp_path, REFERENCE, scale=3)
    assert not (tmp_path / "vorming" / "stale.csv").exists()
    for source in ("digibanken", "vorming"):
        base = [r for p in sorted((RAW / source).glob("*.csv")) for r in read_rows(p)]
        big = [r for p in sorted((tmp_path / source).glob("*.csv")) for r in read_rows(p)]
        assert 2.9 * len(base) < len(big) <= 3 * len(base)
        ids = Counter(r["id"] for r in big)
        assert sum(n > 1 for n in ids.values()) == sum(
            n > 1 for n in Counter(r["id"] for r in base).values()
        )


def test_register_on_31_12_2022() -> None:
    text = (REFERENCE / "locaties.csv").read_bytes()
    assert text.startswith(
        b"locatie_id;naam;type;wijk;adres;digipunt;surfpunt;publieke_computers;lat;lon;"
        b"actief_van;actief_tot\n"
    )
    assert b"\r" not in text and not text.startswith(b"\xef\xbb\xbf")
    open_end = open_on("2022-12-31")
    assert sum(r["digipunt"] == "ja" for r in open_end) == 36
    assert sum(r["surfpunt"] == "ja" for r in open_end) == 25
    assert (
        sum(int(r["publieke_computers"]) for r in open_end)
        == PUBLISHED["headline"]["devices_public_computers"]
    )


def test_register_is_consistent() -> None:
    register = read_register()
    wijken_text = (REFERENCE / "wijken.csv").read_text(encoding="utf-8")
    wijken = {r["wijk"] for r in csv.DictReader(io.StringIO(wijken_text), delimiter=";")}
    types = {"Digipunt", "Bibliotheek", "Lokaal Dienstencentrum", "Digibank", "Welzijnsbureau",
             "Buurtwerking", "Stadsdienst", "Uitleendienst"}  # fmt: skip
    for r in register:
        assert r["wijk"] in wijken or (r["wijk"] == "" and r["type"] == "Uitleendienst"), r
        assert (
            r["type"] in types and r["digipunt"] in ("ja", "nee") and r["surfpunt"] in ("ja", "nee")
        )
        assert int(r["publieke_computers"]) == 0 or r["surfpunt"] == "ja", r
        assert 50.98 < float(r["lat"]) < 51.19 and 3.57 < float(r["lon"]) < 3.85, r
        assert re.fullmatch(r"\d+\.\d{5}", r["lat"]) and re.fullmatch(r"\d+\.\d{5}", r["lon"])
        assert dt.date.fromisoformat(r["actief_van"]) < dt.date.fromisoformat(
            r["actief_tot"] or "9999-12-31"
        )
    for key in ("locatie_id", "naam"):
        assert len({r[key].lower() for r in register}) == len(register)
    used = {r["wijk"] for r in register}
    assert wijken - used, "at least one wijk has no location"
    digibank_wijken = {r["wijk"] for r in register if r["type"] in ("Digibank", "Welzijnsbureau")}
    assert len(wijken - digibank_wijken) >= 3


def test_register_points_lie_in_their_wijk() -> None:
    if not GEOJSON.exists():
        pytest.skip("../shared/reference/gent-wijken.geojson is not beside the project")
    shapes = {
        f["properties"]["wijk"]: f["geometry"]["coordinates"][0]
        for f in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    }

    def inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                hit = not hit
        return hit

    for r in read_register():
        if r["wijk"]:
            assert inside(float(r["lon"]), float(r["lat"]), shapes[r["wijk"]]), r["naam"]
