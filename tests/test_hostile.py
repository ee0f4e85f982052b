"""Hostile input and faults: one bad file, register or crash never stops the load or fools a
reader. Files are loaded for real (`python -m etl load` in a subprocess, so a hang would show
as a timeout and the exit status is the contract's), the register is checked by its own Great
Expectations suite, and crashes are injected at every step of writing and publishing."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from einclusie.figures.queries import skipped_files
from etl.cli import main as cli
from etl.reading import RefusedFile, read_export
from etl.sources import SOURCES
from tests.conftest import PROJECT, REGISTER, load, make_reference, put, read_table, table

DIGIPUNTEN = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
DIGIBANKEN = "id;datum;digibank;activiteit;onderwerp;toesteltype;doelgroep;aantal\n"
VORMING = "id;datum;programma;locatie;titel;doelgroep;deelnemers\n"
GOOD = {  # beside every hostile file: these rows must load, every time
    "digipunten/2022-01.csv": DIGIPUNTEN + "goed-1;03/01/2022;DP01;Digipunt;Andere;65+\n",
    "vorming/2022-01.csv": VORMING + "goed-2;2022-01-04;Onderwijs;;Les;Burger;7\n",
}
LIMIT_MB = 1  # EINCLUSIE_MAX_FILE_MB for the hostile load
ENGLISH = re.compile(r"\b(unexpected|expected|error|the|file|denied|such|seen|found)\b", re.I)


@dataclass(frozen=True)
class Case:
    name: str  # the file, as the manifest names it
    make: Callable[[Path], None]  # writes it under the raw folder
    outcome: str  # "geweigerd", "quarantaine", "geladen" or "overgeslagen"
    reason: str = ""  # part of the Dutch message
    row: int = 0  # the row a quarantine names


def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda raw: put(raw, name, content, encoding) and None


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(raw: Path) -> None:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, raw / name)

    return make


def _fifo(name: str) -> Callable[[Path], None]:
    def make(raw: Path) -> None:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(raw / name)

    return make


def _folder(name: str) -> Callable[[Path], None]:
    return lambda raw: (raw / name).mkdir(parents=True)


def _bytes_name(folder: str, name: bytes) -> Callable[[Path], None]:
    """A file whose name is not UTF-8 (Windows-1252 bytes, as an old share may give)."""

    def make(raw: Path) -> None:
        (raw / folder).mkdir(parents=True, exist_ok=True)
        with open(os.fsencode(raw / folder) + b"/" + name, "wb") as handle:
            handle.write(DIGIPUNTEN.encode())

    return make


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


CASES = [
    Case("digipunten/h-map.csv", _folder("digipunten/h-map.csv"), "geweigerd", "een map"),
    Case("digipunten/h-fifo.csv", _fifo("digipunten/h-fifo.csv"), "geweigerd", "FIFO"),
    Case(
        "digipunten/h-zero.csv",
        _link("digipunten/h-zero.csv", "/dev/zero"),
        "geweigerd",
        "buiten de map",
    ),
    Case(
        "digipunten/h-passwd.csv",
        _link("digipunten/h-passwd.csv", "/etc/passwd"),
        "geweigerd",
        "buiten de map",
    ),
    Case(
        "digipunten/h-lus.csv",
        _link("digipunten/h-lus.csv", "h-lus.csv"),
        "geweigerd",
        "kan niet geopend worden",
    ),
    Case(
        "digipunten/h-groot.csv",
        _write("digipunten/h-groot.csv", DIGIPUNTEN + "x;" * (LIMIT_MB * 600_000)),
        "geweigerd",
        "groter dan de grens van 1 MB",
    ),
    Case(
        "digipunten/h-binair.csv",
        _write("digipunten/h-binair.csv", b"id\x00\x01\x02" * 50),
        "geweigerd",
        "binaire gegevens",
    ),
    Case(
        "digipunten/h-willekeurig.csv",
        _write("digipunten/h-willekeurig.csv", _random_bytes(9, 4000)),
        "geweigerd",
        "",
    ),
    Case(
        "digipunten/h-utf16.csv",
        _write("digipunten/h-utf16.csv", DIGIPUNTEN, "utf-16"),
        "geweigerd",
        "UTF-16",
    ),
    Case(
        "digipunten/h-werkmap.csv",
        _write("digipunten/h-werkmap.csv", b"PK\x03\x04rest"),
        "geweigerd",
        "Excel-werkmap",
    ),
    Case(
        "digipunten/h-aanhaling.csv",
        _write("digipunten/h-aanhaling.csv", DIGIPUNTEN + 'h1;"03/01/2022;DP01\n'),
        "geweigerd",
        "aanhalingstekens",
    ),
    Case(
        "digipunten/h-kopregel.csv",
        _write("digipunten/h-kopregel.csv", 'id;"datum\n'),
        "geweigerd",
        "een aanhalingsteken wordt niet gesloten",
    ),
    Case(
        "digipunten/h-mac.csv",
        _write(
            "digipunten/h-mac.csv",
            (DIGIPUNTEN + "h-mac;03/01/2022;DP01;Digipunt;Andere;\n").replace("\n", "\r"),
        ),
        "geladen",
    ),
    Case(
        "digipunten/H-GROTE-LETTERS.CSV",
        _write(
            "digipunten/H-GROTE-LETTERS.CSV",
            DIGIPUNTEN + "h-hoofd;03/01/2022;DP01;Digipunt;Andere;\n",
        ),
        "geladen",
    ),
    Case(
        "vorming/h-gemengd.csv",
        _write(
            "vorming/h-gemengd.csv",
            VORMING.encode()
            + "h-gem1;2022-01-04;Onderwijs;;Café in UTF-8;Burger;1\n".encode()
            + "h-gem2;2022-01-04;Onderwijs;;Café in Windows-1252;Burger;1\n".encode("cp1252"),
        ),
        "geladen",
    ),
    Case(
        "digipunten/h-breed.csv",
        _write(
            "digipunten/h-breed.csv",
            "id;datum;locatie;kanaal;vraagtype;"
            + ";".join(f"k{i}" for i in range(80_000))
            + "\n"
            + "h-breed;03/01/2022;DP01;Digipunt;Andere;"
            + ";" * 79_999
            + "\n",
        ),
        "geladen",
    ),
    Case(
        "digibanken/h-17-cijfers.csv",
        _write(
            "digibanken/h-17-cijfers.csv",
            DIGIBANKEN + "h-17;2022-03-01;DB01;Toestel geschonken;;Laptop;Burger;"
            "12345678901234567\n",
        ),
        "quarantaine",
        "onwaarschijnlijk groot",
        2,
    ),
    Case(
        "digibanken/h-2-tot-53.csv",
        _write(
            "digibanken/h-2-tot-53.csv",
            DIGIBANKEN + "h-ok;2022-03-01;DB01;Toestel geschonken;;Laptop;Burger;3\n"
            "h-53;2022-03-01;DB01;Toestel geschonken;;Laptop;Burger;9007199254740993\n",
        ),
        "quarantaine",
        "onwaarschijnlijk groot",
        3,
    ),
    Case(
        "digibanken/h-40-cijfers.csv",
        _write(
            "digibanken/h-40-cijfers.csv",
            DIGIBANKEN
            + "h-40;2022-03-01;DB01;Toestel uitgeleend;;Laptop;Burger;"
            + "9" * 40
            + "\n",
        ),
        "quarantaine",
        "onwaarschijnlijk groot",
        2,
    ),
    Case(
        "digipunten/h-tekst.txt",
        _write("digipunten/h-tekst.txt", DIGIPUNTEN),
        "overgeslagen",
        "alleen bestanden die op .csv eindigen",
    ),
    Case(
        "digipunten/h-dubbel.csv.txt",
        _write("digipunten/h-dubbel.csv.txt", DIGIPUNTEN),
        "overgeslagen",
        "alleen bestanden die op .csv eindigen",
    ),
    Case("h-los.csv", _write("h-los.csv", DIGIPUNTEN), "overgeslagen", "rechtstreeks in"),
    Case(
        "digipunten/~$slot.csv",
        _write("digipunten/~$slot.csv", b"\x00"),
        "overgeslagen",
        "tijdelijk bestand van Excel",
    ),
    Case("onbekend", _folder("onbekend"), "overgeslagen", "geen bekende bron"),
    Case(
        "digipunten/café.csv",
        _bytes_name("digipunten", b"caf\xe9.csv"),
        "overgeslagen",
        "geen UTF-8",
    ),
]


def _all_parquet_text(folder: Path) -> str:
    """Every value of every Parquet file of a version (its tables, their parts, the cache),
    as one text (to search for leaks)."""
    texts = []
    for parquet in sorted(folder.rglob("*.parquet")):
        texts.append(duckdb.sql(f"SELECT * FROM '{parquet}'").df().to_csv())
    return "\n".join(texts)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One load over every hostile file beside the good ones, then one clean load."""
    base = tmp_path_factory.mktemp("hostile")
    reference = base / "reference"
    make_reference(reference)
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    for name, content in GOOD.items():
        put(raw, name, content)
    for case in CASES:
        case.make(raw)
    put(raw, "voorbeeldgegevens.sha256", b"eenwoord\n\xff\xfe kapot\n  \n")  # a broken list
    env = {**os.environ, "EINCLUSIE_MAX_FILE_MB": str(LIMIT_MB)}
    args = ["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    version = (out / "current").resolve()
    manifest = duckdb.sql(f"SELECT * FROM '{version}/manifest.parquet'").df()
    quarantine = duckdb.sql(f"SELECT * FROM '{version}/quarantaine.parquet'").df()
    stored = {
        source: read_table(version, source) for source in ("digipunten", "digibanken", "vorming")
    }
    leaked = _all_parquet_text(version)
    skipped = list(skipped_files(out)["melding"])  # what the Gegevens page lists

    good = {raw / name for name in GOOD}
    for path in sorted(raw.rglob("*"), key=lambda p: -len(p.parts)):  # the hostile files go
        if path in good or (path.is_dir() and not path.is_symlink() and any(path.iterdir())):
            continue
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    clean = subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return {
        "run": done,
        "manifest": manifest,
        "quarantine": quarantine,
        "stored": stored,
        "leaked": leaked,
        "skipped": skipped,
        "clean": clean,
        "out": out,
    }


def test_a_load_with_hostile_files_ends_with_exit_1_and_loads_the_good_files(hostile: dict):
    assert hostile["run"].returncode == 1, hostile["run"].stderr
    assert "Traceback" not in hostile["run"].stderr
    assert "goed-1" in set(hostile["stored"]["digipunten"]["id"])
    assert "goed-2" in set(hostile["stored"]["vorming"]["id"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_file_is_refused_quarantined_or_read_as_meant(hostile: dict, case: Case):
    manifest, quarantine = hostile["manifest"], hostile["quarantine"]
    listed = manifest[manifest["bestand"] == case.name]
    marker = case.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if case.outcome == "overgeslagen":
        assert listed.empty
        warning = next(line for line in hostile["run"].stdout.splitlines() if case.name in line)
        assert warning.startswith("Let op:") and case.reason in warning
        assert warning.removeprefix("Let op: ") in hostile["skipped"]
        return
    assert len(listed) == 1, f"{case.name} is not in the manifest"
    file = listed.iloc[0]
    if case.outcome == "geweigerd":
        assert file["status"] == "geweigerd"
        assert case.reason in file["melding"] and file["melding"][:1].islower()
        assert not ENGLISH.search(file["melding"]), file["melding"]
        assert f"GEWEIGERD {case.name}" in hostile["run"].stdout  # named on the terminal
        assert marker not in hostile["leaked"].replace(case.name, "")
        assert "root:x:0:0" not in hostile["leaked"]
    elif case.outcome == "quarantaine":
        assert file["status"] == "geladen"
        rows = quarantine[quarantine["bestand"] == case.name]
        assert list(rows["rij"]) == [case.row]
        assert case.reason in rows["reden"].iloc[0]
        stored = hostile["stored"][case.name.split("/")[0]]
        assert not set(rows["id"]) & set(stored["id"])
    else:
        assert file["status"] == "geladen" and file["rijen_geladen"] >= 1, file["melding"]


def test_text_comes_through_intact_from_a_file_that_mixes_encodings(hostile: dict):
    rows = hostile["stored"]["vorming"].set_index("id")
    assert rows.loc["h-gem1", "titel"] == "Café in UTF-8"
    assert rows.loc["h-gem2", "titel"] == "Café in Windows-1252"
    assert hostile["stored"]["digipunten"].set_index("id").loc["h-mac", "kanaal"] == "Digipunt"
    manifest = hostile["manifest"].set_index("bestand")
    assert manifest.loc["vorming/h-gemengd.csv", "codering"] == "UTF-8 en Windows-1252 gemengd"


def test_the_next_clean_load_works(hostile: dict):
    assert hostile["clean"].returncode == 0, hostile["clean"].stderr
    version = (hostile["out"] / "current").resolve()
    stored = read_table(version, "digipunten")
    assert list(stored["id"]) == ["goed-1"]


# --- the same thing spelled twice ---------------------------------------------------------


def test_the_same_thing_spelled_twice_is_one_thing(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    register = reference / "locaties.csv"
    register.write_text(
        register.read_text(encoding="utf-8")
        + "DP09;Buurthuis Émile Braun;Buurtwerking;Binnenstad;Straat 1;ja;nee;0;51.05;3.72;"
        "2015-01-01;\n",
        encoding="utf-8",
    )
    nbsp, zero_width, nfd = "\u00a0", "\u200b", "E\u0301mile"
    put(
        raw,
        "digipunten/2022-01.csv",
        DIGIPUNTEN
        + f"s1;03/01/2022;DP01;Digipunt{nbsp};Andere;\n"
        + f"s2;03/01/2022;Buurthuis {nfd} Braun;Aan{nbsp}huis;Andere;\n"
        + "S3;03/01/2022;DP01;Digipunt;Andere;\n",
    )
    put(raw, "vorming/2022-01.csv", VORMING + f"v1;2022-01-04;Onderwijs;;Les;Burger;{nbsp}12\n")
    load(raw, reference, out)
    rows = table(out, "digipunten").set_index("id")
    assert sorted(rows.index) == ["S3", "s1", "s2"]
    assert rows.loc["s1", "kanaal"] == "Digipunt"
    assert rows.loc["s2", "kanaal"] == "Aan huis"
    assert rows.loc["s2", "locatie"] == "Buurthuis Émile Braun"
    assert table(out, "vorming")["deelnemers"].tolist() == [12]

    # Re-sent with ids in another case, with a no-break or zero-width space, with a BOM:
    # every row replaces its earlier one, nothing counts twice.
    put(
        raw,
        "digipunten/2022-01-herzien.csv",
        "\ufeff"
        + DIGIPUNTEN
        + f"S1{nbsp};03/01/2022;DP01;Digipunt;Andere;\n"
        + f"s2{zero_width};03/01/2022;DP01;Digipunt;Andere;\n"
        + "\ufeffs3;03/01/2022;DP01;Digipunt;Andere;\n",
    )
    load(raw, reference, out)
    rows = table(out, "digipunten")
    assert len(rows) == 3
    assert set(rows["bron_bestand"]) == {"digipunten/2022-01-herzien.csv"}


# --- the register -------------------------------------------------------------------------

HEAD = REGISTER.splitlines()[0]
ROWS = REGISTER.splitlines()[1:]


def _register(*lines: str) -> str:
    return "\n".join(lines) + "\n"


BROKEN_REGISTERS = {
    "alleen-kopregel": (_register(HEAD), "geen enkele locatie"),
    "leeg": ("", "het bestand is leeg"),
    "dubbele-naam": (
        _register(
            HEAD, *ROWS, "DP99;digipunt rabot;Digipunt;Ledeberg;Elders 2;ja;nee;0;;;2023-01-01;"
        ),
        "rij 8: naam 'digipunt rabot' komt meer dan eens voor",
    ),
    "dubbel-id-andere-hoofdletters": (
        _register(HEAD, *ROWS, "dp01;Nieuw Digipunt;Digipunt;Ledeberg;x;ja;nee;0;;;;"),
        "locatie_id 'dp01' komt meer dan eens voor",
    ),
    "naam-is-ander-id": (
        _register(HEAD, *ROWS, "DP98;DB01;Digipunt;Ledeberg;x;ja;nee;0;;;;"),
        "naam 'DB01' is ook de locatie_id van een andere locatie",
    ),
    "kolom-ontbreekt": (
        _register(HEAD.replace(";wijk", ""), *[r.split(";", 4)[0] for r in ROWS]),
        "kolommen ontbreken: wijk",
    ),
    "te-weinig-velden": (_register(HEAD, *ROWS, "DP97;Kort"), "rij 8"),
    "aanhalingsteken": (_register(HEAD, *ROWS, 'DP96;"Open;Digipunt'), "aanhalingstekens"),
    "onbekende-wijk": (
        _register(HEAD, *[r.replace("Ledeberg;", "Atlantis;") for r in ROWS]),
        "rij 4: onbekende wijk 'Atlantis'",
    ),
    "geen-getal": (
        _register(HEAD, *[r.replace(";20;", ";twintig;") for r in ROWS]),
        "publieke_computers 'twintig' is geen geheel getal",
    ),
    "coordinaat-tekst": (
        _register(HEAD, *[r.replace("51.064", "noord") for r in ROWS]),
        "lat 'noord' is geen getal",
    ),
    "buiten-gent": (
        _register(HEAD, *[r.replace("3.712", "-73.9") for r in ROWS]),
        "lon '-73.9' ligt niet in Gent",
    ),
    "slechte-datum": (
        _register(HEAD, *[r.replace("2022-02-01", "1/2/2022") for r in ROWS]),
        "actief_van '1/2/2022' is geen datum jjjj-mm-dd",
    ),
    "einde-voor-begin": (
        _register(HEAD, *[r.replace("2022-06-30", "2014-06-30") for r in ROWS]),
        "actief_tot '2014-06-30' ligt voor actief_van",
    ),
    "ja-nee": (
        _register(HEAD, *[r.replace(";ja;ja;6;", ";misschien;ja;6;") for r in ROWS]),
        "digipunt 'misschien' moet ja of nee zijn",
    ),
    "binair": ("\x00\x01" * 20, "binaire gegevens"),
    "datum-met-tijdzone": (
        _register(HEAD, *[r.replace("2022-02-01", "2022-02-01 00:00:00+05:00") for r in ROWS]),
        "actief_van '2022-02-01 00:00:00+05:00' is geen datum jjjj-mm-dd",
    ),
    "superscript-getal": (
        _register(HEAD, *[r.replace(";20;", ";²;") for r in ROWS]),
        "publieke_computers '²' is geen geheel getal",
    ),
    "weekdatum": (
        _register(HEAD, *[r.replace("2022-06-30", "2022-W26-4") for r in ROWS]),
        "actief_tot '2022-W26-4' is geen datum jjjj-mm-dd",
    ),
}


@pytest.fixture(scope="module")
def loaded_once(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("register")
    reference, raw, out = base / "reference", base / "raw", base / "out"
    make_reference(reference)
    put(
        raw,
        "digipunten/2022-01.csv",
        DIGIPUNTEN + "r1;03/01/2022;Digipunt Rabot;Digipunt;Andere;\n",
    )
    args = ["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    assert cli(args) == 0
    return {"args": args, "reference": reference, "out": out}


@pytest.mark.parametrize("case", sorted(BROKEN_REGISTERS))
def test_a_broken_register_refuses_the_run_and_keeps_the_last_good_version(
    loaded_once: dict, case: str, capsys: pytest.CaptureFixture[str]
):
    content, message = BROKEN_REGISTERS[case]
    out, register = loaded_once["out"], loaded_once["reference"] / "locaties.csv"
    before = (out / "current").resolve()
    register.write_text(content, encoding="utf-8")
    try:
        capsys.readouterr()
        assert cli(loaded_once["args"]) == 1
        error = capsys.readouterr().err
        assert error.startswith("Laden gestopt, er is niets gewijzigd: ")
        assert message in error and "Traceback" not in error
        assert (out / "current").resolve() == before
        assert list(table(out, "digipunten")["id"]) == ["r1"]
        assert [p.name for p in (out / "versions").iterdir()] == [before.name]
    finally:
        register.write_text(REGISTER, encoding="utf-8")


def test_the_shipped_register_passes_its_suite_and_its_results_are_published(sample_data: Path):
    results = duckdb.sql(
        f"SELECT * FROM '{sample_data / 'current' / 'verwachtingen.parquet'}' "
        "WHERE bron = 'locaties'"
    ).df()
    suite = json.loads((PROJECT / "expectations/locaties.json").read_text(encoding="utf-8"))
    assert len(results) == len(suite["expectations"]) and results["geslaagd"].all()


# --- crashes at every step of writing and publishing ---------------------------------------


class Crash(BaseException):
    """A crash: nothing in the load catches it (as nothing runs after a kill -9)."""


STEPS = ("mkdir", "rename", "replace", "symlink", "unlink", "fsync", "rmdir")


def _count_steps(monkeypatch: pytest.MonkeyPatch, out: Path, crash_at: int | None) -> list[str]:
    """Patch the file-system calls a load makes under `out` (and every call inside a removal
    of a folder under it); crash before call number `crash_at`."""
    import shutil

    seen: list[str] = []
    removing = []

    def is_under(args: tuple) -> bool:
        paths = [a for a in args if isinstance(a, str | bytes | os.PathLike)]
        return any(os.fsdecode(a).startswith(str(out)) for a in paths)

    def counted(name: str, real: Callable) -> Callable:
        def step(*args, **kwargs):
            if is_under(args) or removing or name == "fsync":
                if crash_at is not None and len(seen) == crash_at:
                    raise Crash(f"{name} {args[:1]}")
                seen.append(f"{name} {args[:1]}")
            return real(*args, **kwargs)

        return step

    for name in STEPS:
        monkeypatch.setattr(os, name, counted(name, getattr(os, name)))
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if not is_under((path,)):
            return real_rmtree(path, *args, **kwargs)
        counted("rmtree", lambda *a: None)(path)
        removing.append(path)
        try:
            return real_rmtree(path, *args, **kwargs)
        finally:
            removing.pop()

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    return seen


def test_a_crash_at_any_step_of_publishing_never_needs_a_repair(
    raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", DIGIPUNTEN + "c1;03/01/2022;DP01;Digipunt;Andere;\n")
    load(raw, reference, out)
    load_step = 0

    def next_load() -> list[str]:
        nonlocal load_step
        load_step += 1
        put(
            raw,
            f"digipunten/2022-{load_step + 1:02d}.csv",
            DIGIPUNTEN + f"c{load_step + 1};03/02/2022;DP01;Digipunt;Andere;\n",
        )
        return sorted(table(out, "digipunten")["id"])

    # A dry run counts the steps of one load (a third version, so old ones are pruned too).
    next_load()
    load(raw, reference, out)
    next_load()
    with monkeypatch.context() as patch:
        steps = _count_steps(patch, out, None)
        load(raw, reference, out)
    assert len(steps) >= 8, steps
    kinds = {s.split()[0] for s in steps}
    assert {"mkdir", "rename", "replace", "symlink", "fsync", "rmtree", "rmdir"} <= kinds, steps

    # A run of calls of one kind (the fsync of each written file, the unlinks inside one
    # removal) is one step: a crash anywhere in it leaves the same kind of state.
    points = [
        i for i, step in enumerate(steps) if i == 0 or step.split()[0] != steps[i - 1].split()[0]
    ]
    for crash_at in points:
        before = next_load()
        with monkeypatch.context() as patch:
            _count_steps(patch, out, crash_at)
            with pytest.raises(Crash):
                load(raw, reference, out)
        after_crash = sorted(table(out, "digipunten")["id"])
        # Old figures or new ones, never a mix or nothing.
        new = sorted({*before, f"c{load_step + 1}"})
        assert after_crash in (before, new), (crash_at, steps[crash_at])
        report = load(raw, reference, out)  # the next normal load repairs itself
        assert report.version_dir is not None
        assert sorted(table(out, "digipunten")["id"]) == new, (crash_at, steps[crash_at])
        leftovers = [p.name for p in (out / "versions").iterdir() if p.name.startswith(".")]
        assert leftovers == [], (crash_at, steps[crash_at])


# --- random bytes never raise out of the reader ---------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=600)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=300).map(str.encode)
    | st.lists(
        st.sampled_from(
            [
                "id",
                "datum",
                ";",
                ",",
                '"',
                "\r",
                "\n",
                "\r\n",
                "é",
                "\x00",
                "locatie",
                "kanaal",
                "vraagtype",
                "12",
                "\ufeff",
                "\u00a0",
            ]
        ),
        max_size=60,
    ).map(lambda parts: "".join(parts).encode())
)
def test_random_bytes_as_a_csv_are_read_or_refused_never_raised(data: bytes):
    source = SOURCES["digipunten"]
    try:
        export = read_export(data, source, {"id", "datum"})
    except RefusedFile as refused:
        assert str(refused)
    else:
        assert export.table.num_rows + len(export.malformed) == export.rows_read


# --- usage and environment errors of the command line --------------------------------------


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["kpis", "--year", "99999"], 2, "'99999' is geen jaar tussen 2015 en 2100"),
        (["figures", "--year", "twintig"], 2, "'twintig' is geen jaar"),
        (["report", "--year", "1900", "--out", "x"], 2, "'1900' is geen jaar"),
        (["kpis"], 2, "Ongeldige opdracht"),
        (["load", "--out", "/etc/passwd"], 2, "--out moet een map zijn"),
        (["load", "--out", "/proc/einclusie-test"], 1, "er kan niet geschreven worden in"),
    ],
)
def test_a_usage_or_write_error_is_a_dutch_sentence_not_a_traceback(
    args: list[str],
    status: int,
    message: str,
    raw: Path,
    reference: Path,
    capsys: pytest.CaptureFixture[str],
):
    if args[0] == "load":
        args = [*args, "--raw", str(raw), "--reference", str(reference)]
    try:
        code = cli(args)
    except SystemExit as exit_:
        code = exit_.code
    error = capsys.readouterr().err
    assert code == status and message in error and "Traceback" not in error


def test_a_file_or_folder_without_read_permission_is_refused_and_the_rest_loads():
    """Run as an ordinary account (root reads everything): `nobody`, when the tests are root."""
    import shutil
    import stat
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="einclusie-rechten-"))
    try:
        base.chmod(0o777)
        reference = make_reference(base / "reference")
        raw = base / "raw"
        for name, content in GOOD.items():
            put(raw, name, content)
        locked = put(raw, "digipunten/h-geen-rechten.csv", GOOD["digipunten/2022-01.csv"])
        locked.chmod(0)
        put(raw, "bibliotheek/2022.csv", "id;datum;vestiging;activiteit;deelnemers\n")
        (raw / "bibliotheek").chmod(0)
        for folder in [base, *base.rglob("*")]:
            if folder.is_dir() and folder != raw / "bibliotheek":
                folder.chmod(0o777)
        command = [
            sys.executable,
            "-m",
            "etl",
            "load",
            "--raw",
            str(raw),
            "--reference",
            str(reference),
            "--out",
            str(base / "out"),
        ]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "HOME": str(base)}
        done = subprocess.run(
            command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        line = next(x for x in done.stdout.splitlines() if "h-geen-rechten.csv" in x)
        assert "GEWEIGERD" in line and "kan niet geopend worden (geen leesrechten)" in line
        assert "de map bibliotheek/ kan niet gelezen worden (geen leesrechten)" in done.stdout
        version = (base / "out" / "current").resolve()
        ids = read_table(version, "digipunten")["id"]
        assert list(ids) == ["goed-1"]
    finally:
        (raw / "bibliotheek").chmod(stat.S_IRWXU)
        shutil.rmtree(base, ignore_errors=True)
