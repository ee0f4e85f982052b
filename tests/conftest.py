"""Shared test helpers: small raw folders and a small location register, built per test."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from einclusie.figures.db import source_parts
from etl.load import LoadReport, run_load

PROJECT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
# The published 2022 figures (a copy of ../shared/reference/kpi-2022.json: they are facts).
PUBLISHED = json.loads((PROJECT / "data/reference/kpi-2022.json").read_text(encoding="utf-8"))
# KPIs whose every row lies in a wijk: the 25 wijken together make the city.
LOCAL_KPIS = [
    "help_requests_digipunten",
    "help_requests_digibank",
    "help_requests_at_home",
    "devices_public_computers",
    "devices_donated",
    "devices_lent",
]

REGISTER = """locatie_id;naam;type;wijk;adres;digipunt;surfpunt;publieke_computers;lat;lon;actief_van;actief_tot
DP01;Digipunt Rabot;Digipunt;Rabot - Blaisantvest;Opgeëistenlaan 1;ja;ja;6;51.064;3.712;2015-01-01;
DP02;Bibliotheek De Krook;Bibliotheek;Binnenstad;Miriam Makebaplein 1;ja;ja;20;51.049;3.727;2015-01-01;
DP03;LDC Ledeberg;Lokaal Dienstencentrum;Ledeberg;Hoveniersstraat 1;ja;nee;0;51.036;3.745;2015-01-01;2022-06-30
DB01;Digibank De Serre;Digibank;Nieuw Gent - UZ;Rerum Novarumplein 1;ja;nee;0;51.025;3.737;2022-02-01;
WB01;Welzijnsbureau Gent Noord;Welzijnsbureau;Sluizeken - Tolhuis - Ham;Sleepstraat 1;nee;nee;0;51.063;3.722;2015-01-01;
UD01;Digitale Uitleendienst;Uitleendienst;;Keizer Karelstraat 1;nee;nee;0;51.050;3.730;2015-01-01;
"""


# The files that take longest, longest first. `make test` keeps this order for its two
# workers (`--dist loadfile --no-loadscope-reorder`): both start on long files and the short
# ones fill in at the end, so neither waits idle for the other.
LONGEST_FIRST = [
    "test_screens.py",
    "test_browser.py",
    "test_hostile.py",
    "test_report.py",
    "test_deploy.py",
    "test_login.py",
    "test_injection.py",
    "test_render.py",
    "test_maps.py",
    "test_palette.py",
    "test_load.py",
    "test_pages.py",
    "test_parsing_properties.py",
    "test_figures_oracle.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: order in a file


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once():
    """Each new AppTest scans every installed package for Streamlit components (a fifth of
    a page's render here); no package is installed while the suite runs, so once will do."""
    from streamlit.components.v2 import manifest_scanner

    scan = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda: list(scan()))
        yield


def make_reference(folder: Path, register: str = REGISTER) -> Path:
    """A reference folder: the real 25 wijken and a location register (the small one)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wijken.csv").write_bytes((PROJECT / "data/reference/wijken.csv").read_bytes())
    (folder / "locaties.csv").write_text(register, encoding="utf-8")
    return folder


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return make_reference(tmp_path / "reference")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def put(raw: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write one export file `source/file.csv` into the raw folder."""
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def load(raw: Path, reference: Path, out: Path) -> LoadReport:
    return run_load(raw, reference, out, today=TODAY)


def read_table(version: Path, name: str) -> pd.DataFrame:
    """A table of a loaded version as the dashboard reads it: a source's parts, or one file."""
    path = source_parts(version, name) or version / f"{name}.parquet"
    return duckdb.sql(f"select * from read_parquet('{path}', union_by_name = true)").df()


def table(out: Path, name: str) -> pd.DataFrame:
    return read_table((out / "current").resolve(), name)


def file_result(report: LoadReport, name: str):
    return next(f for f in report.files if f.bestand == name)


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample exports, loaded once per test session."""
    out = tmp_path_factory.mktemp("sample") / "parquet"
    run_load(PROJECT / "data" / "raw", PROJECT / "data" / "reference", out, today=TODAY)
    return out


# --- the browser (pytest-playwright's fixtures, pointed at Debian's Chromium) ------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's Chromium is missing ({CHROMIUM}): install it with "
            "`apt-get install -y chromium` (make test does so when it runs as root or with "
            "sudo). The browser test needs it and is never skipped; do not run "
            "`playwright install`.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "nl-BE"}


@pytest.fixture(scope="module")
def renderer():
    """The process-wide kaleido renderer for a test file, closed after it."""
    from einclusie.exports import render

    if not Path(render.browser_path()).is_file():
        pytest.skip(
            f"no Chromium at {render.browser_path()} (install chromium or set BROWSER_PATH)"
        )
    yield render.renderer()
    render.shutdown()
