"""The ETL against the contract: variants accepted, bad rows quarantined, bad files refused,
nothing lost or counted twice."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import load as load_module
from etl.cli import main as cli
from tests.conftest import file_result, load, put, table

HEADER = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep"


def test_every_variant_the_contract_allows_loads(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    # ; + Windows-1252, CRLF, header case and spaces, columns reordered, trailing empty lines,
    # an entirely empty row, enum values in other case with spaces, a name with é.
    put(
        raw,
        "digipunten/2022-01.csv",
        " Vraagtype ;ID;DATUM; Locatie;Kanaal;leeftijdsgroep;Opmerking\r\n"
        "technische HULP ;a1;03/01/2022;digipunt rabot;DIGIPUNT ;65+;café\r\n"
        "Communicatie;a2;4/1/2022;DP02; aan huis;;\r\n"
        ";;;;;;\r\n"
        "Andere;a3;05-01-2022;Bibliotheek De Krook;Digipunt;18-34;€ 2\r\n"
        "\r\n\r\n",
        encoding="cp1252",
    )
    # , + UTF-8 with BOM, LF, ISO dates, quoted field with the delimiter and a newline,
    # an unknown extra column and personal data columns.
    put(
        raw,
        "vorming/2022.csv",
        "\ufeffid,datum,programma,locatie,titel,doelgroep,deelnemers,opmerking,e-mail\n"
        'v1,2022-03-01,Lokale Dienstencentra,LDC Ledeberg,"Smartphone, deel 1\nvoor senioren",'
        "Burger,1.204,koffie voorzien,jan@example.org\n"
        "v2,2022-03-02,Cross&Learn,,Digihelper café,professional,12,,\n",
    )
    report = load(raw, reference, out)
    assert report.refused == []

    digipunten = table(out, "digipunten").set_index("id")
    assert list(digipunten.index) == ["a1", "a2", "a3"]
    assert digipunten.loc["a1", "vraagtype"] == "Technische hulp"
    assert digipunten.loc["a1", "kanaal"] == "Digipunt"
    assert digipunten.loc["a2", "kanaal"] == "Aan huis"
    assert digipunten.loc["a2", "leeftijdsgroep"] == "onbekend"  # empty means onbekend
    assert str(digipunten.loc["a2", "datum"].date()) == "2022-01-04"
    assert digipunten.loc["a1", "wijk"] == "Rabot - Blaisantvest"
    assert digipunten.loc["a2", "locatie"] == "Bibliotheek De Krook"  # resolved by locatie_id
    assert digipunten.loc["a3", "wijk"] == "Binnenstad"

    vorming = table(out, "vorming").set_index("id")
    assert vorming.loc["v1", "titel"] == "Smartphone, deel 1\nvoor senioren"
    assert vorming.loc["v1", "deelnemers"] == 1204  # Dutch thousands separator
    assert vorming.loc["v2", "titel"] == "Digihelper café"
    assert vorming.loc["v2", "doelgroep"] == "Professional"
    assert (
        vorming.loc["v2", "wijk"] is None or vorming.loc["v2", "wijk"] != vorming.loc["v2", "wijk"]
    )

    result = file_result(report, "digipunten/2022-01.csv")
    assert (result.codering, result.scheidingsteken) == ("Windows-1252", ";")
    assert (result.rijen_gelezen, result.rijen_geladen, result.rijen_quarantaine) == (3, 3, 0)
    result = file_result(report, "vorming/2022.csv")
    assert (result.codering, result.scheidingsteken) == ("UTF-8 met BOM", ",")
    assert result.persoonsgegevens_verwijderd == ["e-mail"]
    assert result.kolommen_genegeerd == ["opmerking"]


def test_characters_come_through_in_every_encoding(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    line = (
        "id;datum;programma;locatie;titel;doelgroep;deelnemers\nt{n};2022-05-01;{p};;{t};Burger;3\n"
    )
    title = "Één café, façade en € 5"
    put(raw, "vorming/a.csv", line.format(n=1, p="Onderwijs", t=title), encoding="cp1252")
    put(raw, "vorming/b.csv", line.format(n=2, p="Onderwijs", t=title), encoding="utf-8")
    put(raw, "vorming/c.csv", "\ufeff" + line.format(n=3, p="Onderwijs", t=title))
    load(raw, reference, out)
    assert set(table(out, "vorming")["titel"]) == {title}


FORBIDDEN = [
    ("b1;01/01/2031;DP01;Digipunt;Andere;", "na vandaag"),
    ("b2;01/01/2014;DP01;Digipunt;Andere;", "voor 2015"),
    ("b3;31/02/2022;DP01;Digipunt;Andere;", "geen geldige datum ('31/02/2022'"),
    ("b4;2022/02/01;DP01;Digipunt;Andere;", "geen geldige datum"),
    ("b5;01/02/2022;Nergenshuis;Digipunt;Andere;", "locatie 'Nergenshuis' staat niet"),
    ("b6;01/02/2022;DP01;Telefonisch;Andere;", "kanaal 'Telefonisch' is niet toegelaten"),
    ("b7;01/02/2022;DP01;Digipunt;Belastingen;", "vraagtype 'Belastingen'"),
    ("b8;01/02/2022;DP01;Digipunt;Andere;90+", "leeftijdsgroep '90+'"),
    (";01/02/2022;DP01;Digipunt;Andere;", "id ontbreekt"),
    ("b9;;DP01;Digipunt;Andere;", "datum ontbreekt"),
    ("b10;01/02/2022;DP01;;Andere;", "kanaal ontbreekt"),
    ("dup;01/02/2022;DP01;Digipunt;Andere;", "id 'dup' komt meer dan eens voor"),
    ("dup;02/02/2022;DP01;Digipunt;Andere;", "id 'dup' komt meer dan eens voor"),
    ("b11;01/02/2022;DP01;Digipunt", "de rij heeft 4 velden, de kopregel heeft er 6"),
]


def test_each_kind_of_forbidden_row_is_quarantined_with_its_reason(
    raw: Path, reference: Path, tmp_path: Path
):
    out = tmp_path / "out"
    rows = [line for line, _ in FORBIDDEN]
    put(
        raw,
        "digipunten/2022-02.csv",
        "\n".join([HEADER, "ok1;01/02/2022;DP01;Digipunt;Andere;", *rows]),
    )
    report = load(raw, reference, out)
    quarantine = table(out, "quarantaine")
    assert len(quarantine) == len(FORBIDDEN)
    for row_number, (_, reason) in enumerate(FORBIDDEN, start=3):  # header 1, ok row 2
        found = quarantine[quarantine["rij"] == row_number]
        assert len(found) == 1, row_number
        assert reason in found["reden"].iloc[0], (row_number, found["reden"].iloc[0])
        assert found["bestand"].iloc[0] == "digipunten/2022-02.csv"
    assert list(table(out, "digipunten")["id"]) == ["ok1"]
    result = file_result(report, "digipunten/2022-02.csv")
    assert result.rijen_gelezen == result.rijen_geladen + result.rijen_quarantaine
    assert result.verwachtingen_mislukt > 0


def test_a_malformed_row_keeps_its_id_and_what_else_it_can_safely_read(
    raw: Path, reference: Path, tmp_path: Path
):
    out = tmp_path / "out"
    put(
        raw,
        "digipunten/2022-02.csv",
        "\n".join(
            [
                HEADER,
                "ok1;01/02/2022;DP01;Digipunt;Andere;",
                "kort1;02/02/2022;DP01",  # cut short: what is there is in its place
                "lang1;03/02/2022;DP01;Digipunt;Andere;;x;y",  # two fields too many
                "kort2",
            ]
        ),
    )
    # A personal column before the id: a delimiter in a name could shift it into the id, so
    # nothing that may come from it is kept.
    put(
        raw,
        "vorming/2022.csv",
        "naam;id;datum;programma;locatie;titel;doelgroep;deelnemers\n"
        "Jan Peeters;v1;2022-03-01;Onderwijs;;t;Burger;3\n"
        "Peeters; Marieke;v2;2022-03-01;Onderwijs;;t;Burger;3\n",
    )
    load(raw, reference, out)
    quarantine = table(out, "quarantaine").set_index("rij")
    digipunten = quarantine[quarantine["bron"] == "digipunten"]
    assert list(digipunten["id"]) == ["kort1", "lang1", "kort2"]
    assert digipunten.loc[3, ["datum", "locatie"]].tolist() == ["02/02/2022", "DP01"]
    assert pd.isna(digipunten.loc[3, "kanaal"])  # not in the row: unknown, not empty
    assert "de rij heeft 3 velden" in digipunten.loc[3, "reden"]
    assert pd.isna(digipunten.loc[5, "datum"])
    vorming = quarantine[quarantine["bron"] == "vorming"].iloc[0]
    assert pd.isna(vorming["id"]) and "9 velden" in vorming["reden"]
    assert "Marieke" not in table(out, "quarantaine").to_csv()


def test_conditional_rules_of_the_other_sources(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    put(
        raw,
        "digibanken/2022.csv",
        "id;datum;digibank;activiteit;onderwerp;toesteltype;doelgroep;aantal\n"
        "k1;01/03/2022;Digibank De Serre;Toestel uitgeleend;;Laptop;Burger;2\n"
        "k2;01/03/2022;Digibank De Serre;Toestel geschonken;;;Burger;1\n"
        "k3;01/03/2022;Digibank De Serre;Individuele hulp;;;Burger;0\n"
        "k4;01/03/2022;Digipunt Rabot;Individuele hulp;;;Burger;1\n"
        "k5;01/03/2022;Welzijnsbureau Gent Noord;Groepsvorming;essentiële diensten;;burger;twaalf\n",
    )
    put(
        raw,
        "uitleendienst/2022.csv",
        "id;datum;soort;toesteltype;aantal;organisatie;locatie\n"
        "u1;01/03/2022;Inventaris;Laptop;-4;;\n"
        "u2;01/03/2022;Ontlening;Tablet;-2;School;\n"
        "u3;01/03/2022;Ontlening;Tablet;5;;\n",
    )
    put(
        raw,
        "bibliotheek/2022.csv",
        "id;datum;vestiging;activiteit;deelnemers\n"
        "l1;01/03/2022;Bibliotheek De Krook;Digicafé;0\n"
        "l2;01/03/2022;Digipunt Rabot;Digicafé;3\n"
        "l3;01/03/2022;Bibliotheek De Krook;Surfsessies;-1\n",
    )
    load(raw, reference, out)
    reasons = table(out, "quarantaine").set_index("id")["reden"]
    assert "toesteltype ontbreekt bij een toestel-activiteit" in reasons["k2"]
    assert "aantal '0' moet minstens 1 zijn" in reasons["k3"]
    assert "'Digipunt Rabot' is geen Digibank of Welzijnsbureau" in reasons["k4"]
    assert "aantal ontbreekt of is geen geheel getal ('twaalf')" in reasons["k5"]
    assert "aantal '-2' moet minstens 1 zijn bij een ontlening" in reasons["u2"]
    assert "organisatie ontbreekt bij een ontlening" in reasons["u3"]
    assert "'Digipunt Rabot' is geen bibliotheekvestiging" in reasons["l2"]
    assert "deelnemers '-1' mag niet negatief zijn" in reasons["l3"]
    assert set(reasons.index) == {"k2", "k3", "k4", "k5", "u2", "u3", "l2", "l3"}
    pool = table(out, "uitleendienst").set_index("id")
    assert pool.loc["u1", "aantal"] == -4  # taking devices out of the pool is allowed
    assert pool.loc["u1", "locatie"] == "Digitale Uitleendienst"  # the default location
    assert table(out, "digibanken").set_index("id").loc["k1", "wijk"] == "Nieuw Gent - UZ"


def test_more_than_200_failing_rows_all_reach_the_quarantine(
    raw: Path, reference: Path, tmp_path: Path
):
    out = tmp_path / "out"
    bad = [f"x{i};01/02/2022;DP01;Fax;Andere;" for i in range(1500)]
    good = [f"g{i};01/02/2022;DP01;Digipunt;Andere;" for i in range(500)]
    put(raw, "digipunten/2022-02.csv", "\n".join([HEADER, *good, *bad]))
    report = load(raw, reference, out)
    quarantine = table(out, "quarantaine")
    assert len(quarantine) == 1500
    assert set(quarantine["id"]) == {f"x{i}" for i in range(1500)}
    assert len(table(out, "digipunten")) == 500
    result = file_result(report, "digipunten/2022-02.csv")
    assert (result.rijen_gelezen, result.rijen_geladen, result.rijen_quarantaine) == (
        2000,
        500,
        1500,
    )


REFUSALS = [
    ("leeg.csv", b"", "het bestand is leeg"),
    ("spaties.csv", b"  \r\n\r\n", "het bestand is leeg"),
    ("werkmap.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel-werkmap"),
    ("binair.csv", bytes(range(256)) * 4, "binaire gegevens"),
    ("utf16.csv", HEADER.encode("utf-16"), "UTF-16"),
    (
        "codering.csv",
        (HEADER + "\nz1;01/02/2022;DP01;Digipunt;Andere;\x81\n").encode("latin-1"),
        "tekencodering is niet herkend",
    ),
    (
        "zonder-kanaal.csv",
        b"id;datum;locatie;vraagtype\nz2;01/02/2022;DP01;Andere\n",
        "verplichte kolom 'kanaal' ontbreekt",
    ),
    ("dubbele-kolom.csv", b"id;datum;datum;locatie;kanaal;vraagtype\n", "komt meer dan eens voor"),
    (
        "aanhalingsteken.csv",
        (HEADER + '\nz3;01/02/2022;"DP01;Digipunt;Andere;\n').encode(),
        "geen geldige CSV",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_file_that_is_not_the_contracts_csv_is_refused_whole(
    raw: Path,
    reference: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", HEADER + "\nok1;01/01/2022;DP01;Digipunt;Andere;\n")
    put(raw, f"digipunten/{name}", content)
    code = cli(["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert f"digipunten/{name}" in printed and message in printed
    assert list(table(out, "digipunten")["id"]) == ["ok1"]  # the other file still loads
    assert table(out, "quarantaine").empty  # nothing of the refused file is stored
    manifest = table(out, "manifest").set_index("bestand")
    assert manifest.loc[f"digipunten/{name}", "status"] == "geweigerd"
    assert message in manifest.loc[f"digipunten/{name}", "melding"]
    assert manifest.loc[f"digipunten/{name}", "rijen_geladen"] == 0


def test_a_resent_export_replaces_earlier_rows_by_id(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    put(
        raw,
        "digipunten/2022-03.csv",
        "\n".join(
            [
                HEADER,
                "r1;01/03/2022;DP01;Digipunt;Andere;",
                "r2;02/03/2022;DP01;Digipunt;Andere;",
                "r3;03/03/2022;DP01;Digipunt;Andere;",
            ]
        ),
    )
    put(
        raw,
        "digipunten/2022-03-herzien.csv",
        "\n".join(
            [
                HEADER,
                "r2;02/03/2022;DP02;Digipunt;Communicatie;",
                "r3;03/03/2022;DP01;Fax;Andere;",  # an invalid correction: the earlier row stays
                "r4;04/03/2022;DP01;Aan huis;Andere;",
            ]
        ),
    )
    report = load(raw, reference, out)
    rows = table(out, "digipunten").set_index("id")
    assert sorted(rows.index) == ["r1", "r2", "r3", "r4"]
    assert rows.loc["r2", "vraagtype"] == "Communicatie"
    assert rows.loc["r2", "wijk"] == "Binnenstad"
    assert rows.loc["r3", "kanaal"] == "Digipunt"
    assert file_result(report, "digipunten/2022-03.csv").rijen_vervangen == 1
    # The replaced row itself is kept, per file, with the file whose row counts instead.
    replaced = table(out, "vervangen")
    assert replaced.to_dict("records") == [
        {
            "bron": "digipunten",
            "bestand": "digipunten/2022-03.csv",
            "rij": 3,
            "id": "r2",
            "vervangen_door": "digipunten/2022-03-herzien.csv",
        }
    ]

    # A later run: a re-sent file whose name sorts first still wins, because it came last.
    put(raw, "digipunten/2022-01-correctie.csv", HEADER + "\nr1;01/03/2022;DP01;Aan huis;Andere;\n")
    load(raw, reference, out)
    rows = table(out, "digipunten").set_index("id")
    assert rows.loc["r1", "kanaal"] == "Aan huis"
    assert len(rows) == 4
    replaced = table(out, "vervangen").set_index("id")
    assert replaced.loc["r1", "vervangen_door"] == "digipunten/2022-01-correctie.csv"
    assert replaced.loc["r1", "bestand"] == "digipunten/2022-03.csv"
    assert sorted(replaced.index) == ["r1", "r2"]


def test_loading_the_same_files_again_changes_nothing_and_says_so(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-03.csv", HEADER + "\nr1;01/03/2022;DP01;Digipunt;Andere;\n")
    args = ["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    assert cli(args) == 0
    first = (out / "current").resolve()
    files = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    capsys.readouterr()
    assert cli(args) == 0
    assert "Niets gewijzigd" in capsys.readouterr().out
    assert (out / "current").resolve() == first
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir()} == files
    assert len(table(out, "digipunten")) == 1


def test_personal_data_never_reaches_parquet(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    put(
        raw,
        "digipunten/2022-03.csv",
        "id;datum;Naam;locatie;kanaal;vraagtype;Telefoon;rijksregisternummer;E-mail;adres\n"
        "p1;01/03/2022;Marieke Janssens;DP01;Digipunt;Andere;0470123456;85.07.30-033.61;"
        "marieke@example.org;Veldstraat 12\n"
        "p2;01/03/2022;Joris Peeters;DP01;Fax;Andere;0470654321;90.01.01-123.45;"
        "joris@example.org;Kouter 3\n",  # a quarantined row keeps no personal data either
    )
    report = load(raw, reference, out)
    assert sorted(file_result(report, "digipunten/2022-03.csv").persoonsgegevens_verwijderd) == [
        "E-mail",
        "Naam",
        "Telefoon",
        "adres",
        "rijksregisternummer",
    ]
    secrets = ["Marieke", "Joris", "0470", "85.07.30", "example.org", "Veldstraat", "Kouter"]
    for parquet in (out / "current").resolve().rglob("*.parquet"):  # parts and cache too
        text = duckdb.sql(f"select * from '{parquet}'").df().to_csv()
        assert not any(s in text for s in secrets), parquet.name
        if parquet.stem == "locaties":  # naam and adres of a building, not of a person
            continue
        columns = duckdb.sql(f"select * from '{parquet}' limit 0").columns
        assert not {"naam", "telefoon", "e-mail", "adres"} & {c.lower() for c in columns}


def test_a_crash_mid_write_leaves_the_last_good_state(
    raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-03.csv", HEADER + "\nr1;01/03/2022;DP01;Digipunt;Andere;\n")
    load(raw, reference, out)
    good = (out / "current").resolve()
    put(raw, "digipunten/2022-04.csv", HEADER + "\nr2;01/04/2022;DP01;Digipunt;Andere;\n")

    written = []
    real_write = load_module._write_replaced  # once per source, whatever way it is built

    def crash_after_two(*args: object) -> None:
        real_write(*args)
        written.append(args[-1])
        if len(written) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(load_module, "_write_replaced", crash_after_two)
    with pytest.raises(OSError):
        load(raw, reference, out)
    assert (out / "current").resolve() == good
    assert list(table(out, "digipunten")["id"]) == ["r1"]
    assert any(p.name.startswith(".tmp-") for p in (out / "versions").iterdir())

    monkeypatch.setattr(load_module, "_write_replaced", real_write)
    report = load(raw, reference, out)
    assert report.changed
    assert sorted(table(out, "digipunten")["id"]) == ["r1", "r2"]
    assert not any(p.name.startswith(".tmp-") for p in (out / "versions").iterdir())


def test_the_manifest_records_every_file_and_run(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-03.csv", HEADER + "\nr1;01/03/2022;DP01;Digipunt;Andere;\n")
    load(raw, reference, out)
    put(raw, "digipunten/2022-04.csv", HEADER + "\nr2;01/04/2022;DP01;Fax;Andere;\n")
    load(raw, reference, out)
    manifest = table(out, "manifest")
    assert sorted(manifest["run"]) == [1, 2, 2]
    latest = manifest[manifest["run"] == 2].set_index("bestand")
    assert latest.loc["digipunten/2022-04.csv", "rijen_quarantaine"] == 1
    assert latest.loc["digipunten/2022-03.csv", "eerst_geladen_run"] == 1
    assert len(latest.loc["digipunten/2022-04.csv", "sha256"]) == 64
    assert (latest["rijen_gelezen"] == latest["rijen_geladen"] + latest["rijen_quarantaine"]).all()
    runs = table(out, "runs")
    assert list(runs["run"]) == [1, 2] and (runs["duur_s"] > 0).all()
    failed = table(out, "verwachtingen").query("run == 2 and not geslaagd")
    assert list(failed["kolom"]) == ["kanaal"]
    quarantined = table(out, "quarantaine").iloc[0]  # the values as columns, as written
    assert (quarantined["id"], quarantined["kanaal"], quarantined["datum"]) == (
        "r2",
        "Fax",
        "01/04/2022",
    )
    assert pd.isna(quarantined["deelnemers"])  # a field of another source


def test_a_broken_register_stops_the_load_and_changes_nothing(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    put(raw, "digipunten/2022-03.csv", HEADER + "\nr1;01/03/2022;DP01;Digipunt;Andere;\n")
    args = ["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    assert cli(args) == 0
    register = reference / "locaties.csv"
    register.write_text(register.read_text().replace("Ledeberg;", "Atlantis;"), encoding="utf-8")
    assert cli(args) == 1
    assert "onbekende wijk 'Atlantis'" in capsys.readouterr().err
    assert list(table(out, "digipunten")["id"]) == ["r1"]


def test_usage_errors_exit_2(tmp_path: Path):
    with pytest.raises(SystemExit) as exit_info:
        cli(["load", "--bogus"])
    assert exit_info.value.code == 2
    assert cli(["load", "--raw", str(tmp_path / "bestaat-niet")]) == 2


def test_a_broken_expectation_suite_stops_the_load_and_changes_nothing(
    raw: Path, reference: Path, tmp_path: Path
):
    import shutil

    from etl.load import run_load
    from etl.validation import EXPECTATIONS_DIR, SuiteError

    out, suites = tmp_path / "out", tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    put(raw, "digipunten/2022-03.csv", HEADER + "\nr1;01/03/2022;DP01;Digipunt;Andere;\n")
    run_load(raw, reference, out, suites_dir=suites)
    good = (out / "current").resolve()
    suite = json.loads((suites / "digipunten.json").read_text(encoding="utf-8"))
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "kanal", "min_value": 1},
        }
    )
    (suites / "digipunten.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match="een kolom die deze bron niet heeft: kanal"):
        run_load(raw, reference, out, suites_dir=suites)
    suite["expectations"][-1] = {
        "type": "expect_column_values_to_be_fabulous",
        "kwargs": {"column": "kanaal"},
    }
    (suites / "digipunten.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"digipunten\.json: een verwachting is onbekend"):
        run_load(raw, reference, out, suites_dir=suites)
    assert (out / "current").resolve() == good


def test_a_version_written_before_the_parts_is_read_and_then_rebuilt_in_parts(
    raw: Path, reference: Path, tmp_path: Path
):
    import shutil

    from einclusie.figures.db import SOURCE_TABLES, forget_version, source_parts
    from einclusie.figures.selection import Selection

    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", f"{HEADER}\na;03/01/2022;DP01;Digipunt;Andere;65+\n")
    load(raw, reference, out)
    version = (out / "current").resolve()
    for source in SOURCE_TABLES:  # as PIPELINE_VERSION 5 wrote it: one file per table,
        parts = source_parts(version, source)  # without the ids' keys (7)
        duckdb.sql(
            f"COPY (SELECT * EXCLUDE (id_sleutel) FROM '{parts}') TO '{version / source}.parquet'"
        )
        shutil.rmtree(version / source)
    forget_version(version)
    year = Selection.year(2022)
    assert _help_requests(year, out) == 1

    # A new request and a correction of "a" typed in capitals.
    put(
        raw,
        "digipunten/2022-02.csv",
        f"{HEADER}\nb;01/02/2022;DP01;Digipunt;Andere;65+\nA;03/01/2022;DP01;Digipunt;Andere;\n",
    )
    report = load(raw, reference, out)

    assert report.changed
    new = (out / "current").resolve()
    assert (new / "digipunten").is_dir() and not (new / "digipunten.parquet").exists()
    assert sorted(table(out, "digipunten")["id"]) == ["A", "b"]
    assert _help_requests(year, out) == 2
    rows = report.changes.rows.set_index("bestand").loc["digipunten/2022-02.csv"]
    assert (rows["nieuw"], rows["vervangt"]) == (1, 1)  # matched in the old table by lower(id)


def _help_requests(selection, out: Path) -> int | None:
    from einclusie.figures import values

    [total] = values.figure_values(selection, ("help_requests_total",), out)
    return total.value


def test_a_file_is_hashed_again_only_when_its_size_times_or_inode_changed(
    raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import os

    out = tmp_path / "out"
    january = put(raw, "digipunten/2022-01.csv", f"{HEADER}\na;03/01/2022;DP01;Digipunt;Andere;\n")
    load(raw, reference, out)
    hashed: list[str] = []
    real = load_module.sha256

    def counted(path: Path, limit: int) -> str:
        if path.is_relative_to(raw):  # the exports, not the register's files
            hashed.append(path.name)
        return real(path, limit)

    monkeypatch.setattr(load_module, "sha256", counted)
    put(raw, "digipunten/2022-02.csv", f"{HEADER}\nb;01/02/2022;DP01;Digipunt;Andere;\n")
    load(raw, reference, out)
    assert hashed == ["2022-02.csv"]  # January's mark is as the last load recorded it

    # Edited in place to the same size, its modification time set back: read again all the
    # same (the change time moved), and its new content counts.
    was = january.stat()
    january.write_text(f"{HEADER}\na;03/01/2022;DP01;Aan huis;Andere;\n", encoding="utf-8")
    os.utime(january, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert january.stat().st_size == was.st_size
    hashed.clear()
    report = load(raw, reference, out)
    assert hashed == ["2022-01.csv"] and report.changed
    assert table(out, "digipunten").set_index("id").loc["a", "kanaal"] == "Aan huis"


def test_a_source_empty_when_the_ids_keys_came_keeps_loading_its_first_file(
    raw: Path, reference: Path, tmp_path: Path
):
    """An empty source's part written before the ids' keys (PIPELINE_VERSION 6) is kept by a
    load with no file for it; its first file then builds the table again instead of looking
    up the keys the old part lacks."""
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", f"{HEADER}\na;03/01/2022;DP01;Digipunt;Andere;65+\n")
    load(raw, reference, out)
    version = (out / "current").resolve()
    for part in (version / "vorming").glob("deel-*.parquet"):  # as version 6 wrote them
        duckdb.sql(
            f"COPY (SELECT * EXCLUDE (id_sleutel) FROM '{part}') TO '{part}.oud' (FORMAT parquet)"
        )
        Path(f"{part}.oud").replace(part)
    put(
        raw,
        "vorming/2022.csv",
        "id;Datum;Doelgroep;Programma;Titel;Deelnemers;Locatie\n"
        "VM-1;2022-01-09;Burger;Lokale Dienstencentra;ICT-opleiding;7;\n",
    )
    report = load(raw, reference, out)

    assert report.changed
    assert list(table(out, "vorming")["id"]) == ["VM-1"]
