"""The dry run: what a load would load, quarantine and change, with nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl.cli import main as cli
from etl.load import run_load
from tests.conftest import load, put

HEADER = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
JANUARY = HEADER + "".join(
    f"jan-{n};{n + 2:02d}/01/2022;DP01;Digipunt;Andere;65+\n" for n in range(1, 4)
)


def _hashes(folder: Path) -> dict[str, str]:
    """Every file and link under `folder`, with its content (or target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "-> " + str(path.readlink())
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = "folder"
    return found


def _dry_run(raw: Path, reference: Path, out: Path, capsys: pytest.CaptureFixture) -> tuple:
    code = cli(
        ["load", "--dry-run", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    )
    return code, capsys.readouterr().out


def test_a_dry_run_tells_what_would_load_and_change_and_writes_nothing(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    assert load(raw, reference, out).changed
    # February is new; a correction re-sends jan-1 (now at home) and adds a row with a
    # kanaal the contract does not know (quarantined).
    put(
        raw,
        "digipunten/2022-02.csv",
        HEADER
        + "feb-1;01/02/2022;DP01;Digipunt;Andere;65+\nfeb-2;02/02/2022;DP01;Digipunt;Andere;65+\n",
    )
    put(
        raw,
        "digipunten/2022-01-herzien.csv",
        HEADER + "jan-1;03/01/2022;DP01;Aan huis;Andere;65+\njan-9;04/01/2022;DP01;Per duif;;\n",
    )
    before = _hashes(out)

    code, printed = _dry_run(raw, reference, out, capsys)

    assert _hashes(out) == before  # byte for byte, and no file added or removed
    assert code == 0
    assert "Proeflading: er is niets opgeslagen" in printed
    lines = printed.splitlines()
    february = next(line for line in lines if "digipunten/2022-02.csv" in line)
    assert "nieuw" in february and "2 rijen gelezen, 2 zouden laden (2 nieuw)" in february
    correction = next(line for line in lines if "2022-01-herzien.csv  " in line)
    assert "1 zouden laden (0 nieuw, 1 vervangen een rij van een eerdere export)" in correction
    assert "1 in quarantaine" in correction
    assert any("2022-01-herzien.csv rij 3:" in line and "kanaal" in line for line in lines)
    # January: 3 on site before, 2 on site and 1 at home after; February: 2 new.
    figures = " ".join(printed[printed.index("Kerncijfers die zouden wijzigen") :].split())
    assert "beantwoord in de Digipunten januari 2022: 3 -> 2 (-1)" in figures
    assert "beantwoord aan huis januari 2022: 0 -> 1 (+1)" in figures
    assert "beantwoord in de Digipunten februari 2022: 0 -> 2 (+2)" in figures
    assert "Digitale hulpvragen beantwoord februari 2022: 0 -> 2 (+2)" in figures
    assert "beantwoord januari" not in figures  # the total did not change in January

    # What the dry run announced is what the load then does.
    report = load(raw, reference, out)
    loaded = {f.bestand: f for f in report.files}
    assert loaded["digipunten/2022-02.csv"].rijen_geladen == 2
    assert loaded["digipunten/2022-01-herzien.csv"].rijen_quarantaine == 1


def test_a_dry_run_before_any_load_creates_nothing(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "nog-niet"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    code, printed = _dry_run(raw, reference, out, capsys)
    assert code == 0
    assert not out.exists()
    assert "digipunten/2022-01.csv" in printed and "3 zouden laden (3 nieuw)" in printed
    assert "januari 2022: 0 -> 3 (+3)" in printed


def test_a_resent_export_that_changes_nothing_says_so(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    load(raw, reference, out)
    put(raw, "digipunten/2022-01-opnieuw.csv", JANUARY)  # the same rows, sent again
    code, printed = _dry_run(raw, reference, out, capsys)
    assert code == 0
    assert "0 nieuw, 3 vervangen een rij van een eerdere export" in printed
    assert "Geen kerncijfer zou wijzigen." in printed
    report = run_load(raw, reference, out, dry_run=True)
    assert report.changes is not None and report.changes.figures.empty
    assert report.version_dir is None


def test_still_refused_files_are_named_again_when_nothing_changed(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    put(raw, "digipunten/2022-02.csv", b"PK\x03\x04 een Excel-bestand")
    args = ["load", "--raw", str(raw), "--reference", str(reference), "--out", str(out)]
    assert cli(args) == 1
    capsys.readouterr()
    assert cli(args) == 1  # nothing changed, but a file is still refused
    printed = capsys.readouterr().out
    assert "Niets gewijzigd" in printed
    assert "Nog altijd geweigerd (1)" in printed and "GEWEIGERD digipunten/2022-02.csv" in printed
    assert "Gegevens" in printed
    code, printed = _dry_run(raw, reference, out, capsys)
    assert code == 1 and "GEWEIGERD digipunten/2022-02.csv" in printed


def test_a_file_taken_out_by_hand_is_named_and_one_now_refused_is_not_called_gone(
    raw: Path, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "out"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    put(raw, "digipunten/2022-02.csv", HEADER + "feb-1;01/02/2022;DP01;Digipunt;Andere;65+\n")
    load(raw, reference, out)
    (raw / "digipunten" / "2022-02.csv").unlink()  # by hand, on the server
    put(raw, "digipunten/2022-01.csv", b"PK\x03\x04 nu een Excel-bestand")

    code, printed = _dry_run(raw, reference, out, capsys)

    lines = printed.splitlines()
    gone = next(line for line in lines if "digipunten/2022-02.csv" in line)
    assert gone.split()[0] == "verwijderd" and "niet meer in de map met exports" in gone
    refused = next(line for line in lines if "2022-01.csv" in line and "GEWEIGERD" in line)
    assert refused.split()[0] == "geweigerd"
    assert not any("2022-01.csv" in line and "niet meer in de map" in line for line in lines)
    figures = " ".join(printed[printed.index("Kerncijfers die zouden wijzigen") :].split())
    assert "februari 2022: 1 -> 0 (-1)" in figures and "januari 2022: 3 -> 0 (-3)" in figures
    assert code == 1  # a file is refused
