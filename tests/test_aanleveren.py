"""The Aanleveren page through AppTest: upload, dry run, save, see the figures, undo.

Real files, a real load into real Parquet, the page's own buttons; the local user (every role).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from dashboard.aanlevering import changes_key
from einclusie.figures import values
from einclusie.figures.selection import Selection
from etl import journal, store, upload
from tests.conftest import PROJECT, load, put
from tests.test_pages import static_tables

HEADER = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
JANUARY = HEADER + "".join(
    f"jan-{n};{n + 2:02d}/01/2022;DP01;Digipunt;Andere;65+\n" for n in range(1, 4)
)
# February: two good rows, and one whose kanaal the contract does not know.
FEBRUARY = (
    HEADER
    + "feb-1;01/02/2022;DP01;Digipunt;Andere;65+\n"
    + "feb-2;02/02/2022;DP01;Aan huis;Andere;65+\n"
    + "feb-3;03/02/2022;DP01;Per duif;Andere;65+\n"
).encode()
WORKBOOK = b"PK\x03\x04 not a CSV at all"
YEAR = Selection.year(2022)


@pytest.fixture
def steward(raw: Path, reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    out = tmp_path / "parquet"
    put(raw, "digipunten/2022-01.csv", JANUARY)
    load(raw, reference, out)
    monkeypatch.setenv("EINCLUSIE_DATA", str(out))
    monkeypatch.setenv("EINCLUSIE_RAW", str(raw))
    monkeypatch.setenv("EINCLUSIE_REFERENTIE", str(reference))
    return {"raw": raw, "reference": reference, "out": out}


def _page() -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    app.switch_page("pages/aanleveren.py")
    return app.run()


def _click(app: AppTest, label: str) -> AppTest:
    button = next(b for b in app.button if b.label == label)
    return button.click().run()


def _tables(app: AppTest) -> list[pd.DataFrame]:
    return static_tables(app)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _monthly(out: Path) -> pd.DataFrame:
    return values.per_period(YEAR, ["help_requests_total", "help_requests_at_home"], "month", out)


def _upload(app: AppTest) -> AppTest:
    app.file_uploader[0].set_value(
        [
            ("februari export.csv", FEBRUARY, "text/csv"),
            ("cijfers.csv", WORKBOOK, "text/csv"),  # an Excel workbook under a CSV name
        ]
    )
    return app.run()


def test_upload_dry_run_save_and_undo(steward: dict) -> None:
    raw, out = steward["raw"], steward["out"]
    before = _monthly(out)
    app = _upload(_page())
    assert not app.exception
    checks = _tables(app)[0]
    assert list(checks["Bestand"]) == ["februari export.csv", "cijfers.csv"]
    assert checks["Nagekeken"].iloc[0] == "in orde" and checks["Bron"].iloc[0] == "Digipunten"
    assert checks["Nagekeken"].iloc[1].startswith("geweigerd: dit is een Excel-werkmap")

    app = _click(app, "Proeflading")
    assert not app.exception
    files, quarantined, figures = _tables(app)[1:4]
    assert files["Bestand"].tolist() == ["februari export.csv"]
    assert files["Wordt bewaard als"].iloc[0] == "digipunten/2022-02_februari-export.csv"
    assert (files["Gelezen"].iloc[0], files["Zou laden"].iloc[0]) == ("3", "2")
    assert (files["Nieuw"].iloc[0], files["Quarantaine"].iloc[0]) == ("2", "1")
    assert quarantined["Rij"].tolist() == ["4"]  # as Excel numbers it: the header is row 1
    assert "kanaal" in quarantined["Wat te verbeteren"].iloc[0]
    assert quarantined["kanaal"].iloc[0] == "Per duif"
    changes = dict(
        zip(figures["Kerncijfer"] + " " + figures["Maand"], figures["Verschil"], strict=True)
    )
    assert changes["Digitale hulpvragen beantwoord februari 2022"] == "+2"
    assert changes["Digitale hulpvragen beantwoord aan huis februari 2022"] == "+1"
    assert not (raw / "digipunten" / "2022-02_februari-export.csv").exists()  # nothing stored
    assert _monthly(out).equals(before)

    app = _click(app, "Opslaan")
    assert not app.exception
    assert any("Opgeslagen en geladen als lading 2" in s.value for s in app.success)
    stored = raw / "digipunten" / "2022-02_februari-export.csv"
    assert stored.read_bytes() == FEBRUARY
    after = _monthly(out)
    february = after[after["maand"] == pd.Timestamp("2022-02-01")].set_index("figuur")["waarde"]
    assert february["help_requests_total"] == 2 and february["help_requests_at_home"] == 1
    history = next(t for t in _tables(app) if "Lading" in t)
    assert history["Lading"].tolist() == ["2", "1"]
    assert history["Nieuwe bestanden"].iloc[0] == "februari export.csv"
    assert history["Door"].iloc[0] == "lokaal"
    assert history["Kerncijfers gewijzigd"].iloc[0] != "–"
    assert any(e.label == "Wat lading 2 wijzigde" for e in app.expander)
    assert not any("Kerncijfer" in t for t in _tables(app))  # drawn only when opened
    app.session_state[changes_key(2)] = True
    opened = app.run()
    changed = next(t for t in _tables(opened) if "Kerncijfer" in t)
    assert "+2" in changed["Verschil"].tolist()
    app.session_state[changes_key(2)] = False
    app = app.run()

    app = app.selectbox(key="terugzetten_run").set_value(2).run()
    app = app.text_input(key="terugzetten_reden").input("verkeerde maand").run()
    app = _click(app, "Bekijk wat terugzetten wijzigt")
    side_by_side = _tables(app)[-1]
    row = side_by_side[side_by_side["Kerncijfer"] == "Digitale hulpvragen beantwoord"].iloc[0]
    assert (row["Maand"], row["Nu"], row["Na de lading"]) == ("februari 2022", "2", "0")

    app = _click(app, "Terugzetten")
    assert not app.exception
    assert any("Lading 2 is teruggezet" in s.value for s in app.success)
    assert not stored.exists()
    archived = next((raw.parent / "archief").glob("*-lading-2"))
    assert (archived / "digipunten" / stored.name).read_bytes() == FEBRUARY
    reason = json.loads((archived / "reden.json").read_text(encoding="utf-8"))
    assert reason["reden"] == "verkeerde maand" and reason["door"] == "lokaal"
    pd.testing.assert_frame_equal(_monthly(out), before)  # exactly the figures of before
    history = next(t for t in _tables(app) if "Lading" in t)
    assert history["Lading"].tolist() == ["3", "2", "1"]
    assert history["Teruggezet"].tolist() == ["zet lading 2 terug", "ja", ""]


def test_the_dry_run_names_a_file_taken_out_of_the_raw_folder_by_hand(steward: dict) -> None:
    (steward["raw"] / "digipunten" / "2022-01.csv").unlink()  # on the server, by hand
    app = _click(_upload(_page()), "Proeflading")
    assert not app.exception
    files = _tables(app)[1]
    gone = files[files["Bestand"] == "digipunten/2022-01.csv"]
    assert gone["Opmerking"].iloc[0].startswith("niet meer in de map met exports")
    figures = _tables(app)[3]
    january = figures[figures["Maand"] == "januari 2022"]
    assert "-3" in january["Verschil"].tolist()  # what its leaving changes is said with it


def test_cancel_leaves_no_trace(steward: dict) -> None:
    raw, out = steward["raw"], steward["out"]
    raw_before, out_before = _hashes(raw), _hashes(out)
    app = _click(_upload(_page()), "Proeflading")
    staged = Path(app.session_state["aanlevering"]["staged"])
    assert staged.is_dir()
    app = _click(app, "Annuleren")
    assert not app.exception
    assert not staged.exists()
    assert "aanlevering" not in app.session_state
    assert not app.file_uploader[0].value  # a fresh, empty uploader
    assert _hashes(raw) == raw_before and _hashes(out) == out_before


def test_a_file_over_the_limit_is_refused_before_anything_is_stored(
    steward: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EINCLUSIE_AANLEVERING_MB", "0.0001")  # 100 bytes
    app = _page()
    app.file_uploader[0].set_value(("groot.csv", FEBRUARY, "text/csv"))
    app.run()
    checks = _tables(app)[0]
    assert (
        "de grens is" in checks["Nagekeken"].iloc[0]
        and "per bestand" in checks["Nagekeken"].iloc[0]
    )
    assert not any(b.label == "Proeflading" for b in app.button)


def test_a_second_steward_is_told_to_wait_and_nothing_is_mixed(steward: dict) -> None:
    raw, reference, out = steward["raw"], steward["reference"], steward["out"]
    checked = upload.check("februari.csv", FEBRUARY, 10_000_000)
    staged, originals = upload.stage([checked], raw)
    raw_before, out_before = _hashes(raw), _hashes(out)
    with store.exclusive(out):  # the first steward's save is still running
        with pytest.raises(upload.UploadBusy, match="Wacht tot die klaar is"):
            upload.save(staged, originals, raw, reference, out, "tweede@voorbeeld.gent")
    assert _hashes(raw) == raw_before and _hashes(out) == out_before
    assert (staged / next(iter(originals))).read_bytes() == FEBRUARY  # still there to retry
    report = upload.save(staged, originals, raw, reference, out, "tweede@voorbeeld.gent")
    assert report.changed and not staged.exists()
    assert (raw / next(iter(originals))).read_bytes() == FEBRUARY


def test_a_name_taken_meanwhile_is_saved_under_the_next_free_one(steward: dict) -> None:
    raw, reference, out = steward["raw"], steward["reference"], steward["out"]
    first = upload.stage([upload.check("feb.csv", FEBRUARY, 10_000_000)], raw)
    second = upload.stage([upload.check("feb.csv", FEBRUARY, 10_000_000)], raw)
    assert list(first[1]) == list(second[1])  # both staged before either was saved
    upload.save(*first, raw, reference, out, "een@voorbeeld.gent")
    report = upload.save(*second, raw, reference, out, "twee@voorbeeld.gent")
    assert report.changed
    assert sorted(p.name for p in (raw / "digipunten").glob("2022-02_*")) == [
        "2022-02_feb-2.csv",
        "2022-02_feb.csv",
    ]
    assert upload.history(out)["bestanden"].iloc[0] == ["feb.csv"]


CRASHING_SAVE = """
import os, sys
from pathlib import Path
from etl import upload
raw, reference, out = (Path(p) for p in sys.argv[1:4])
staged = upload.stage([upload.check("feb.csv", Path(sys.argv[4]).read_bytes(), 10_000_000)], raw)
upload.load_version = lambda *args, **kwargs: os._exit(9)  # the power goes, mid-load
upload.save(*staged, raw, reference, out, "een@voorbeeld.gent")
"""


def _crash(script: str, *args: Path) -> None:
    """Run `script` in a process of its own, which dies mid-load (exit 9, no clean-up)."""
    crashed = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert crashed.returncode == 9, crashed.stderr


def test_a_save_a_crash_stopped_leaves_no_file_in_raw_without_its_record(
    steward: dict, tmp_path: Path
) -> None:
    raw, reference, out = steward["raw"], steward["reference"], steward["out"]
    before, history = _monthly(out), upload.history(out)
    (tmp_path / "feb.csv").write_bytes(FEBRUARY)
    _crash(CRASHING_SAVE, raw, reference, out, tmp_path / "feb.csv")
    stored = raw / "digipunten" / "2022-02_feb.csv"
    assert stored.exists() and (out / journal.JOURNAL).exists()  # moved, never recorded

    report = load(raw, reference, out)  # the next load (here the command line's) comes first

    assert not stored.exists()
    [archive] = (raw.parent / journal.ARCHIVE).glob("*-onderbroken")
    assert (archive / "digipunten" / "2022-02_feb.csv").read_bytes() == FEBRUARY
    note = json.loads((archive / "reden.json").read_text(encoding="utf-8"))
    assert note["bestanden"] == {"digipunten/2022-02_feb.csv": "feb.csv"}
    assert "onderbroken" in note["reden"] and note["door"] == "een@voorbeeld.gent"
    assert not (out / journal.JOURNAL).exists()
    [told] = [w for w in report.warnings if "werd onderbroken" in w]  # said to the next one
    assert "digipunten/2022-02_feb.csv is niet geladen" in told and "een@voorbeeld.gent" in told
    assert not report.changed  # the figures are those of the last load
    assert _monthly(out).equals(before)
    pd.testing.assert_frame_equal(upload.history(out), history)


def test_a_save_whose_load_was_published_keeps_its_files_when_its_journal_stayed(
    steward: dict,
) -> None:
    raw, reference, out = steward["raw"], steward["reference"], steward["out"]
    before = upload.loaded_version(out)
    staged = upload.stage([upload.check("feb.csv", FEBRUARY, 10_000_000)], raw)
    upload.save(*staged, raw, reference, out, "een@voorbeeld.gent")
    after = _monthly(out)
    # The crash came after the publish, before the note was removed: it names the version
    # the save began on.
    note = {"soort": "opslaan", "versie": before, "door": "een@voorbeeld.gent"}
    note |= {"bestanden": ["digipunten/2022-02_feb.csv"], "archief": "x-onderbroken"}
    (out / journal.JOURNAL).write_text(json.dumps(note), encoding="utf-8")
    report = load(raw, reference, out)
    assert (raw / "digipunten" / "2022-02_feb.csv").exists()
    assert not (out / journal.JOURNAL).exists()
    assert not (raw.parent / journal.ARCHIVE).exists()
    assert _monthly(out).equals(after) and not report.warnings


CRASHING_UNDO = """
import os, sys
from pathlib import Path
from etl import upload
raw, reference, out = (Path(p) for p in sys.argv[1:4])
upload.load_version = lambda *args, **kwargs: os._exit(9)  # the power goes, mid-load
upload.undo(2, "verkeerde maand", raw, reference, out, "een@voorbeeld.gent")
"""


def test_an_undo_a_crash_stopped_puts_the_files_back(steward: dict) -> None:
    raw, reference, out = steward["raw"], steward["reference"], steward["out"]
    staged = upload.stage([upload.check("feb.csv", FEBRUARY, 10_000_000)], raw)
    upload.save(*staged, raw, reference, out, "een@voorbeeld.gent")
    after, history = _monthly(out), upload.history(out)
    _crash(CRASHING_UNDO, raw, reference, out)
    stored = raw / "digipunten" / "2022-02_feb.csv"
    assert not stored.exists()  # in the archive, and no load recorded the undo

    report = load(raw, reference, out)

    assert stored.read_bytes() == FEBRUARY
    assert not list((raw.parent / journal.ARCHIVE).glob("*-lading-2"))
    assert any("terugzetten van lading 2 werd onderbroken" in w for w in report.warnings)
    assert _monthly(out).equals(after)  # the upload stands, as its history says
    pd.testing.assert_frame_equal(upload.history(out), history)


def test_the_period_of_a_name_comes_from_the_datum_column_not_after_today() -> None:
    today = dt.date(2026, 11, 26)
    assert upload.period_of(["03/01/2022", "2023-12-31", "01/01/2031"], today) == "2023-12"
    assert upload.period_of(["geen datum"], today) == "2026-11"
    typo = HEADER + "a;01/02/2022;DP01;Digipunt;Andere;65+\nb;01/01/2031;DP01;Digipunt;;\n"
    assert upload.check("x.csv", typo.encode(), 10_000_000).period == "2022-02"


def test_safe_names_sort_by_period_and_never_overwrite(steward: dict) -> None:
    raw = steward["raw"]
    first = upload.check("Export (1) ‹feb›.csv", FEBRUARY, 10_000_000)
    again = upload.check("Export (1) ‹feb›.csv", FEBRUARY, 10_000_000)
    staged, originals = upload.stage([first, again], raw)
    assert list(originals) == [
        "digipunten/2022-02_export-1-feb.csv",
        "digipunten/2022-02_export-1-feb-2.csv",
    ]
    assert set(originals.values()) == {"Export (1) ‹feb›.csv"}
    upload.discard(staged)
    assert not staged.exists()


# --- the same round in a real browser (Chromium, the real server) ---------------------------


@pytest.fixture
def steward_server(steward: dict, tmp_path: Path) -> Iterator[str]:
    from tests.test_browser import streamlit_server

    logs = tmp_path / "logs"
    logs.mkdir()
    env = {"EINCLUSIE_RAW": str(steward["raw"]), "EINCLUSIE_REFERENTIE": str(steward["reference"])}
    with streamlit_server(steward["out"], logs, env=env) as base:
        yield base


def test_the_round_in_a_real_browser(steward: dict, steward_server: str, page: Page) -> None:
    from tests.test_browser import open_page, wait_for_app

    raw, out = steward["raw"], steward["out"]
    before = _monthly(out)
    open_page(page, f"{steward_server}/aanleveren")
    choose = page.locator("[data-testid='stFileUploaderDropzone'] button")
    assert choose.evaluate("b => getComputedStyle(b, '::after').content") == '"Bestanden kiezen"'
    assert "Upload" not in choose.inner_text() and "per file" not in page.inner_text("body")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [
            {"name": "februari export.csv", "mimeType": "text/csv", "buffer": FEBRUARY},
            {"name": "cijfers.csv", "mimeType": "text/csv", "buffer": WORKBOOK},
        ]
    )
    wait_for_app(page)
    expect(page.get_by_text("geweigerd: dit is een Excel-werkmap")).to_be_visible()
    page.get_by_role("button", name="Proeflading").click()
    wait_for_app(page)
    expect(page.get_by_text("digipunten/2022-02_februari-export.csv")).to_be_visible()
    expect(page.get_by_text("Per duif", exact=True)).to_be_visible()  # the row's value
    expect(page.get_by_text("Kerncijfers die zouden wijzigen")).to_be_visible()
    page.get_by_role("button", name="Opslaan").click()
    wait_for_app(page)
    expect(page.get_by_text("Opgeslagen en geladen als lading 2")).to_be_visible()
    assert (raw / "digipunten" / "2022-02_februari-export.csv").exists()
    assert not _monthly(out).equals(before)

    page.get_by_role("combobox", name="Welke aanlevering?").click()
    page.get_by_role("option").first.click()
    wait_for_app(page)
    page.get_by_label("Waarom?").fill("verkeerde maand")
    page.get_by_label("Waarom?").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Bekijk wat terugzetten wijzigt").click()
    wait_for_app(page)
    page.get_by_role("button", name="Terugzetten", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Lading 2 is teruggezet")).to_be_visible()
    pd.testing.assert_frame_equal(_monthly(out), before)
    page.screenshot(path=str(PROJECT / "tests" / "artifacts" / "aanleveren-na-terugzetten.png"))
