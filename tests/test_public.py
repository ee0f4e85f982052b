"""The public view: only published figures, no count from 1 to 4 anywhere a visitor can look.

The shipped sample has small counts per wijk (public computers, devices lent, ...): the public
pages are opened through AppTest with EINCLUSIE_PUBLIEK=1 and every number they send to the
browser is read (cards, tables, the data of every chart, the map's hover); the same charts'
CSV and XLSX files are made and read too. That no hidden count can be worked out from what is
published is tests/test_disclosure.py's property test; here: that the dashboard publishes
only what the protection allows, and says so.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from einclusie.charts import catalogue
from einclusie.exports import files
from einclusie.figures import publication, values
from einclusie.figures.disclosure import PRIMARY, PUBLISHED
from einclusie.figures.registry import FIGURES
from einclusie.figures.selection import Selection
from einclusie.figures.status import data_status
from tests.conftest import PROJECT
from tests.test_pages import static_tables

SMALL = {1, 2, 3, 4}
YEAR = Selection.year(2022)


@pytest.fixture
def public(sample_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    monkeypatch.setenv("EINCLUSIE_PUBLIEK", "1")
    return sample_data


@pytest.fixture(scope="module")
def verdict(sample_data: Path) -> publication.YearVerdict:
    with publication.public(5):
        return values.year_verdict(2022, sample_data)


def small_wijken(verdict: publication.YearVerdict) -> list[tuple[str, str]]:
    """(figure, wijk) of the counts the sample hides as primary ('<5')."""
    return [key for key, status in verdict.wijk.items() if status == PRIMARY]


def open_public(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.switch_page(f"pages/{page}.py")
    return app.run()


def counts_sent(app: AppTest) -> list[float]:
    """Every count the page sends: card values, table cells (shares left out) and the values
    in each chart's data (bar lengths, line points, the map's hover)."""
    found: list[float] = []
    for metric in app.metric:
        found += _numbers(metric.value)
    for table in static_tables(app):
        for cell in table.to_numpy().ravel():
            text = str(cell)
            found += _numbers(text, skip_shares=True)
    for chart in app.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            if trace.get("type") == "bar":
                axis = "x" if trace.get("orientation") == "h" else "y"
                found += _array(trace.get(axis))
            elif trace.get("fill") == "toself":  # a wijk of the map: its value is in the hover
                found += _numbers(str(trace.get("hovertext", "")).split("<br>", 1)[-1])
            elif trace.get("mode", "").startswith("lines"):
                found += _array(trace.get("y"))
    return found


def _array(data: object) -> list[float]:
    """A trace's values: a JSON list, or Plotly's typed array ({'dtype', 'bdata'})."""
    if isinstance(data, dict) and "bdata" in data:
        raw = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        return [float(v) for v in raw if not np.isnan(v)]
    return [float(v) for v in data or [] if isinstance(v, int | float)]


def _numbers(text: str, skip_shares: bool = False) -> list[float]:
    """The whole numbers written in a Dutch text ('1.234', '+12 (+1,0 %)'); shares and
    percentages left out when asked (they are not counts)."""
    if skip_shares:
        text = re.sub(r"[+-]?\d+(,\d+)? ?%", "", text)
    text = text.replace("\\", "")
    return [
        float(n.replace(".", ""))
        for n in re.findall(r"(?<![\d,])\d{1,3}(?:\.\d{3})*(?![\d,])", text)
    ]


def test_public_pages_show_no_count_below_five_and_say_why(public, verdict):
    hidden = small_wijken(verdict)
    assert hidden, "the sample should have small counts per wijk"
    key, wijk = hidden[0]
    pages = [
        ("overzicht", {}),
        ("hulpvragen", {}),
        ("wijken", {"kpi": FIGURES[key].label, "fiche": [wijk]}),
    ]
    notices = []
    for page, params in pages:
        app = open_public(page, params)
        assert not app.exception, (page, [e.message for e in app.exception])
        sent = counts_sent(app)
        assert sent, page
        assert not SMALL & set(sent), (page, sorted(SMALL & set(sent)))
        notices.append(" ".join(str(i.value) for i in app.info))
    # the wijk with the small count: its cell on the fiche reads "<5", not a number
    fiche = static_tables(app)[0].to_string()
    assert "<5" in fiche
    assert all("Publieke cijfers" in notice and "<5" in notice for notice in notices)


def test_the_public_view_opens_no_data_page_and_filters_only_by_year(public):
    for page in ("gegevens", "gebruikers", "export", "toestellen", "digipunten"):
        app = open_public(page)
        assert [t.value for t in app.title] == ["Geen toegang tot deze pagina"], page
    app = open_public("hulpvragen", {"wijk": "Ledeberg", "van": "2022-01-01", "tot": "2022-03-31"})
    assert not app.exception
    assert any("gelden voor heel Gent en een heel jaar" in w.value for w in app.warning)
    assert [s.label for s in app.sidebar.selectbox] == ["Jaar"]
    assert len(app.sidebar.multiselect) == 0


def test_the_files_of_the_public_charts_hold_no_small_count(sample_data, verdict):
    fetch = catalogue.direct(sample_data)
    key, _ = small_wijken(verdict)[0]
    with publication.public(5):
        charts = [
            catalogue.key_figures_monthly(YEAR, fetch),
            catalogue.help_requests_monthly(YEAR, fetch),
            *(
                catalogue.help_requests_split(YEAR, fetch, d)
                for d in ("programma", "kanaal", "vraagtype", "leeftijdsgroep")
            ),
            catalogue.wijk_ranking(YEAR, fetch, key),
        ]
        status = data_status(sample_data)
    marked = 0
    for chart in charts:
        context = files.context(chart.title, YEAR, status, chart.note)
        rows = list(
            csv.reader(
                io.StringIO(files.data_csv(chart, context).decode("utf-8-sig")), delimiter=";"
            )
        )
        header = next(
            i
            for i, row in enumerate(rows)
            if "afscherming" in row or "aantal" in row or "waarde" in row
        )
        columns = rows[header]
        for row in rows[header + 1 :]:
            for name, cell in zip(columns, row, strict=False):
                if name in ("aantal", "waarde") and cell.strip():
                    assert float(cell.replace(".", "").replace(",", ".")) not in SMALL, (
                        chart.key,
                        row,
                    )
            marked += "<5" in row
        book = openpyxl.load_workbook(io.BytesIO(files.data_xlsx(chart, context)))
        for sheet in book.worksheets:
            cells = list(sheet.iter_rows(values_only=True))
            top = next(i for i, r in enumerate(cells) if r and ("aantal" in r or "waarde" in r))
            names = cells[top]
            for r in cells[top + 1 :]:
                for name, value in zip(names, r, strict=False):
                    if name in ("aantal", "waarde") and isinstance(value, int | float):
                        assert value not in SMALL, (chart.key, r)
    assert marked, "the ranking of a figure with small counts shows '<5'"


def test_a_change_against_the_previous_year_shows_only_between_published_values(
    sample_data, verdict
):
    with publication.public(5):
        for key, wijk in small_wijken(verdict):
            one = Selection.year(2022, (wijk,))
            comparison = next(c for c in values.compare(one, [key], sample_data))
            assert comparison.now.value is None and comparison.now.shown() == "<5"
            assert comparison.change is None and comparison.change_text() == ""
            assert not comparison.is_new


def test_the_locations_and_percentages_stay_out_of_the_public_view(sample_data):
    # A wijk's locations add up to its Digipunten and at-home counts (protected elsewhere),
    # and a % beside its published whole gives its part away.
    with publication.public(5):
        with pytest.raises(publication.PublicSelectionError):
            catalogue.help_requests_split(YEAR, catalogue.direct(sample_data), "locatie")
        share = values.figure_values(YEAR, ["digipunten_share_technical_help_pct"], sample_data)
        assert share[0].value is None and share[0].hidden == "×"
        with pytest.raises(publication.PublicSelectionError):
            from einclusie.figures.queries import quarantined_rows

            quarantined_rows(sample_data)


def test_the_verdict_publishes_what_the_protection_allows_and_hides_unknown_numbers(
    verdict, sample_data
):
    assert verdict.gent["help_requests_total"] == PUBLISHED
    with publication.public(5):
        # a figure outside the protected tables is never published unchecked
        programme = values.figure_values(YEAR, ["uitleendienst_robots"], sample_data)[0]
        assert programme.value is None and programme.hidden
        with pytest.raises(publication.PublicSelectionError):
            values.figure_values(
                Selection.year(2022, ("Ledeberg", "Rabot - Blaisantvest")),
                ["help_requests_total"],
                sample_data,
            )


def test_the_commands_publiek_hide_the_same_numbers(sample_data, verdict):
    key, wijk = small_wijken(verdict)[0]
    command = [sys.executable, "-m", "etl", "kpis", "--year", "2022", "--data", str(sample_data)]
    done = subprocess.run(
        [*command, "--wijk", wijk, "--json", "--publiek"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = json.loads(done.stdout)
    assert shown[key] is None and shown["afgeschermd"][key] == "<5"
    counts = [v for k, v in shown.items() if k in FIGURES and isinstance(v, int)]
    assert counts and not SMALL & set(counts)
    plain = subprocess.run(
        [*command, "--wijk", wijk, "--json"], cwd=PROJECT, capture_output=True, text=True
    )
    assert json.loads(plain.stdout)[key] in SMALL  # without --publiek: the true count
    two = subprocess.run(
        [*command, "--wijk", wijk, "--wijk", "Ledeberg", "--publiek"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert two.returncode == 2 and "één wijk" in two.stderr


def test_the_public_pack_holds_no_small_count_and_says_why(sample_data, verdict):
    from einclusie.exports.pack import ReportError, build_pack

    pack = build_pack(2022, data_dir=sample_data, threshold=5)
    assert pack.name.endswith("_publiek.zip")
    marks = 0
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        names = archive.namelist()
        readme = archive.read(next(n for n in names if n.endswith("LEESMIJ.txt"))).decode()
        assert "Publieke cijfers" in readme and "<5" in readme
        assert not [n for n in names if "uitleen" in n or "toestellen-per-type" in n]
        for name in names:
            if name.endswith(".csv"):
                rows = list(
                    csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";")
                )
                top = next(i for i, r in enumerate(rows) if "aantal" in r or "waarde" in r)
                for row in rows[top + 1 :]:
                    for column, cell in zip(rows[top], row, strict=False):
                        if column in ("aantal", "waarde") and cell.strip():
                            assert float(cell.replace(".", "").replace(",", ".")) not in SMALL, (
                                name,
                                row,
                            )
                    marks += "<5" in row
            elif name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(archive.read(name)))
                for sheet in book.worksheets:
                    cells = list(sheet.iter_rows(values_only=True))
                    top = next(
                        i for i, r in enumerate(cells) if r and r[0] in ("Kerncijfer", "Maand")
                    )
                    for row in cells[top + 1 :]:
                        for column, value in zip(cells[top], row, strict=False):
                            counts = column not in (
                                "Kerncijfer",
                                "Maand",
                                "Verschil",
                                "Verschil in %",
                            )
                            if (
                                counts
                                and isinstance(value, int | float)
                                and not isinstance(value, bool)
                            ):
                                assert value not in SMALL, (name, sheet.title, column, row)
    assert marks, "the rankings of figures with small counts show '<5'"
    with pytest.raises(ReportError, match="heel Gent"):
        build_pack(2022, ["Ledeberg"], data_dir=sample_data, threshold=5)
