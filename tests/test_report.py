"""Exports for the annual report: chart files (PNG, SVG, PDF, HTML, CSV, XLSX) and the year's
pack, checked by opening them as a report writer's programs would: Pillow, an XML parser,
pypdf and openpyxl. Images are drawn by the real kaleido with Debian's Chromium (`make test`
installs it; without it these tests fail with the reason, they are not skipped)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from einclusie.charts.catalogue import KPI_FILE_NAMES, PER_WIJK_KEYS, direct, loans_per_organisation
from einclusie.charts.maps import boundary_path
from einclusie.exports import files as chart_files
from einclusie.exports import render
from einclusie.exports.pack import ReportError, build_pack
from einclusie.exports.tables import table_header_row
from einclusie.figures.queries import programme_parts
from einclusie.figures.selection import Selection
from einclusie.figures.status import data_status
from einclusie.figures.values import kpi_values
from etl.cli import main as cli
from tests.conftest import PUBLISHED, load, put

FILE_NAME = re.compile(r"^[a-z0-9-]+_[a-z0-9-]+_[a-z0-9-]+\.(png|svg|pdf|csv|xlsx|html)$")
# The charts of the pages (Overzicht, Hulpvragen, Toestellen, Vorming, Digibanken), by name.
PAGE_CHARTS = [
    "kerncijfers-per-maand",
    "kerncijfers-per-jaar",
    "hulpvragen-per-maand",
    "hulpvragen-per-programma",
    "hulpvragen-per-vraagtype",
    "hulpvragen-per-kanaal",
    "hulpvragen-per-leeftijdsgroep",
    "drukste-locaties",
    "toestellen-per-manier",
    "toestellen-per-type",
    "toestellen-per-maand",
    "ontleningen-per-organisatie",
    "vorming-burgers-per-programma",
    "vorming-professionals-per-programma",
    "vorming-per-maand",
    "digibanken-per-onderdeel",
]


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)  # raises when the SVG is not well-formed XML
    return " ".join(" ".join(root.itertext()).split())


@pytest.fixture(scope="session")
def pack_2022(sample_data: Path):
    steps: list[tuple[float, str]] = []
    pack = build_pack(2022, data_dir=sample_data, progress=lambda f, t: steps.append((f, t)))
    archive = zipfile.ZipFile(io.BytesIO(pack.content))
    return pack, archive, steps


@pytest.fixture(scope="session")
def wijk_pack(sample_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """The 2022 pack of one wijk, made once by the command line on a server without a usable
    browser (the charts as interactive HTML): (folder, exit code, what it printed). The images
    of a pack are tested on the city's pack."""
    out = tmp_path_factory.mktemp("pack") / "uit"
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
        patch.setenv("BROWSER_PATH", "/nergens/chromium")
        wijk = ["--wijk", "nieuw gent - uz"]
        code = cli(
            ["report", "--year", "2022", *wijk, "--data", str(sample_data), "--out", str(out)]
        )
    return out, code, printed.getvalue()


WIJK_PACK = "jaarpakket_2022_nieuw-gent-uz"


def member(archive: zipfile.ZipFile, name: str) -> bytes:
    return archive.read(f"jaarpakket_2022_gent/{name}")


# --- The year's pack ----------------------------------------------------------------------------


def test_the_2022_pack_holds_every_chart_as_svg_and_png_with_its_data(pack_2022):
    pack, archive, _ = pack_2022
    assert pack.name == "jaarpakket_2022_gent.zip"
    names = archive.namelist()
    assert all(n.startswith("jaarpakket_2022_gent/") for n in names)
    expected = list(PAGE_CHARTS)
    for key in PER_WIJK_KEYS:  # the Wijken page: a ranking for every KPI, and a map
        expected.append(f"{KPI_FILE_NAMES[key]}-per-wijk")
        if boundary_path() is not None:
            expected.append(f"{KPI_FILE_NAMES[key]}-per-wijk-kaart")
    for chart in expected:
        for folder, ext in (("grafieken", "svg"), ("grafieken", "png"), ("gegevens", "csv")):
            assert f"jaarpakket_2022_gent/{folder}/{chart}_2022_gent.{ext}" in names
    assert pack.charts == len(expected)
    for name in names:
        assert FILE_NAME.match(name.rsplit("/", 1)[-1]) or name.endswith("LEESMIJ.txt"), name


def test_the_pack_images_are_print_quality_and_say_what_they_show(pack_2022):
    _, archive, _ = pack_2022
    png = member(archive, "grafieken/hulpvragen-per-maand_2022_gent.png")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width >= 2000
    text = svg_text(member(archive, "grafieken/hulpvragen-per-maand_2022_gent.svg"))
    assert "Beantwoorde hulpvragen per maand en programma, 2022" in text
    assert "Periode: 2022 · Wijken: heel Gent · Programma's: alle programma's" in text
    assert "Bron: e-inclusie Gent · gegevens t.e.m. 31/12/2022" in text
    assert "sep 2022" in text  # Dutch months


def test_the_pack_workbook_holds_the_twelve_figures_and_a_sheet_per_programme(
    pack_2022, sample_data: Path
):
    _, archive, _ = pack_2022
    workbook = load_workbook(io.BytesIO(member(archive, "kerncijfers_2022_gent.xlsx")))
    assert workbook.sheetnames == [
        "Kerncijfers",
        "Digipunten",
        "Digibanken",
        "Allemaal Digitaal",
        "Bibliotheek",
        "Uitleendienst",
    ]
    sheet = workbook["Kerncijfers"]
    header = table_header_row(
        chart_files.context("", Selection.year(2022), data_status(sample_data))
    )
    assert [c.value for c in sheet[header]] == ["Kerncijfer", "Waarde", "Definitie", "Opmerking"]
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    by_label = {f.label: f for f in kpi_values(Selection.year(2022), sample_data)}
    assert len(rows) == 12
    for label, value, definition, note in rows:
        figure = by_label[label]
        assert isinstance(value, int) and value == PUBLISHED["headline"][figure.key]
        assert definition == figure.definition and note is None
    assert sheet["A1"].value == "Kerncijfers 2022"
    assert [sheet.cell(r, 2).value for r in range(2, 5)] == [
        "2022",
        "heel Gent",
        "alle programma's",
    ]
    digibanken = workbook["Digibanken"]
    values = list(digibanken.iter_rows(min_row=header + 1, values_only=True))
    expected = programme_parts(Selection.year(2022), "Digibanken", sample_data)
    assert [c.value for c in digibanken[header]][:3] == ["Cijfer", "Onderdeel", "Waarde"]
    assert sorted(row[:3] for row in values) == sorted(
        zip(expected["label"], expected["onderdeel"], expected["waarde"], strict=True)
    )


def test_the_pack_summary_is_a_dutch_a4_pdf_with_the_twelve_figures(pack_2022, sample_data):
    _, archive, _ = pack_2022
    reader = PdfReader(io.BytesIO(member(archive, "samenvatting_2022_gent.pdf")))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "e-inclusie Gent: 2022 in cijfers" in text
    assert "Voorbeeldgegevens" in text
    for figure in kpi_values(Selection.year(2022), sample_data):
        assert figure.label in text
        assert " ".join(figure.definition.split())[:60] in text
    for published in ("11.877", "1.665", "3.592", "9.078"):
        assert published in text
    assert "Kerngrafieken" in text
    assert (
        "Hulpvragen, geschonken en uitgeleende toestellen en vorming per maand, 2022" in text
    )  # a chart, as vectors


def test_the_pack_is_built_with_a_progress_bar_and_a_readme(pack_2022):
    _, archive, steps = pack_2022
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert sum("Grafieken tekenen:" in text for _, text in steps) > 20  # one step per image
    readme = member(archive, "LEESMIJ.txt").decode()
    assert "Voorbeeldgegevens" in readme and "gegevens t.e.m. 31/12/2022" in readme


def test_a_pack_for_a_wijk_leaves_out_what_counts_for_the_whole_city(sample_data: Path, wijk_pack):
    out, _, _ = wijk_pack
    archive = zipfile.ZipFile(out / f"{WIJK_PACK}.zip")
    names = [n.rsplit("/", 1)[-1] for n in archive.namelist()]
    assert "hulpvragen-per-maand_2022_nieuw-gent-uz.html" in names
    assert "hulpvragen-per-maand_2022_nieuw-gent-uz.csv" in names
    assert not any(n.startswith("ontleningen-per-organisatie") for n in names)
    chart = archive.read(f"{WIJK_PACK}/grafieken/toestellen-per-maand_2022_nieuw-gent-uz.html")
    assert "Wijken: Nieuw Gent - UZ" in chart.decode()
    sheet = load_workbook(
        io.BytesIO(
            archive.read("jaarpakket_2022_nieuw-gent-uz/kerncijfers_2022_nieuw-gent-uz.xlsx")
        )
    )["Kerncijfers"]
    local = kpi_values(Selection.year(2022, ("Nieuw Gent - UZ",)), sample_data)
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=8, values_only=True)}
    assert values == {f.label: f.value for f in local}


def test_a_pack_for_a_year_or_wijk_without_data_is_refused_in_dutch(sample_data: Path):
    with pytest.raises(ReportError, match=r"Er zijn geen gegevens voor 2019\. Jaren met gegevens"):
        build_pack(2019, data_dir=sample_data)
    with pytest.raises(ReportError, match="Onbekende wijk: Atlantis"):
        build_pack(2022, ["Atlantis"], data_dir=sample_data)


def test_the_command_line_writes_one_zip(sample_data: Path, wijk_pack, capsys):
    out, code, printed = wijk_pack
    assert code == 1  # written, without images: the reason is printed
    assert [p.name for p in out.iterdir()] == ["jaarpakket_2022_nieuw-gent-uz.zip"]
    assert "jaarpakket_2022_nieuw-gent-uz.zip" in printed and "Chromium" in printed
    with zipfile.ZipFile(out / "jaarpakket_2022_nieuw-gent-uz.zip") as archive:
        assert archive.testzip() is None
    refused = ["report", "--year", "2022", "--wijk", "Atlantis", "--data", str(sample_data)]
    assert cli([*refused, "--out", str(out)]) == 2
    assert "Onbekende wijk: Atlantis" in capsys.readouterr().err
    assert cli(["report", "--year", "2020", "--data", str(sample_data), "--out", str(out)]) == 2
    assert "Er zijn geen gegevens voor 2020" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["jaarpakket_2022_nieuw-gent-uz.zip"]


def test_without_the_browser_the_pack_has_interactive_charts_and_says_why(
    wijk_pack, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("BROWSER_PATH", "/nergens/chromium")
    assert "ontbreekt op de server (/nergens/chromium)" in render.unavailable_reason()
    out, _, _ = wijk_pack
    archive = zipfile.ZipFile(out / f"{WIJK_PACK}.zip")
    names = archive.namelist()
    assert not any(n.endswith((".png", ".svg", ".pdf")) for n in names)
    html = archive.read(f"{WIJK_PACK}/grafieken/hulpvragen-per-maand_2022_nieuw-gent-uz.html")
    html = html.decode()
    assert "Plotly.newPlot" in html and "Beantwoorde hulpvragen per maand" in html
    assert not re.search(r"<script[^>]+src=", html)  # plotly.js inside, no CDN
    assert "ontbreekt op de server" in archive.read(f"{WIJK_PACK}/LEESMIJ.txt").decode()
    assert "kerncijfers_2022_nieuw-gent-uz.xlsx" in [n.rsplit("/", 1)[-1] for n in names]


# --- One chart -----------------------------------------------------------------------------------


def test_one_chart_as_png_svg_and_pdf(sample_data: Path):
    selection = Selection.year(2022)
    chart = loans_per_organisation(selection, direct(sample_data))
    context = chart_files.context(chart.title, selection, data_status(sample_data))
    with Image.open(io.BytesIO(chart_files.image(chart, context, "png"))) as image:
        assert image.width >= 2000
    text = svg_text(chart_files.image(chart, context, "svg"))
    assert chart.title in text and "Andere organisaties" in text
    pdf = PdfReader(io.BytesIO(chart_files.image(chart, context, "pdf")))
    assert len(pdf.pages) == 1 and chart.title in pdf.pages[0].extract_text()


def test_names_of_locations_and_organisations_cannot_become_formulas(
    raw: Path, reference: Path, tmp_path: Path
):
    put(
        raw,
        "uitleendienst/2022.csv",
        "id,datum,soort,toesteltype,aantal,organisatie,locatie\n"
        'U1,06/01/2022,Ontlening,Laptop,7,"=HYPERLINK(""http://x"",""klik"")",\n'
        "U2,07/01/2022,Ontlening,Tablet,3,@SUM(A1),UD01\n"
        "U3,08/01/2022,Ontlening,Laptop,2,-2+3,UD01\n"
        "U4,09/01/2022,Ontlening,Laptop,1,Jeugdhuis - Brugse Poort,UD01\n",
    )
    out = tmp_path / "parquet"
    load(raw, reference, out)
    selection = Selection.year(2022)
    chart = loans_per_organisation(selection, direct(out))
    context = chart_files.context(chart.title, selection, data_status(out))
    rows = list(
        csv.reader(
            io.StringIO(chart_files.data_csv(chart, context).decode("utf-8-sig")), delimiter=";"
        )
    )
    names = {row[0] for row in rows[table_header_row(context) :]}
    assert names == {
        '\'=HYPERLINK("http://x","klik")',
        "'@SUM(A1)",
        "'-2+3",
        "Jeugdhuis - Brugse Poort",
    }
    sheet = load_workbook(io.BytesIO(chart_files.data_xlsx(chart, context))).active
    cells = {
        row[0] for row in sheet.iter_rows(min_row=table_header_row(context) + 1, values_only=True)
    }
    assert cells == names
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert all(FILE_NAME.match(n) for n in ["ontleningen-per-organisatie_2022_gent.csv"])
