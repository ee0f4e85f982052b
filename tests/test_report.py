"""Exports for the annual report: chart files (PNG, SVG, PDF, HTML, CSV, XLSX) and the year's
pack, checked by opening them as a report writer's programs would: Pillow, an XML parser,
pypdf and openpyxl. Images are drawn by the real kaleido with Debian's Chromium (`make test`
installs it; without it these tests fail with the reason, they are not skipped)."""

from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime as dt
import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from einclusie.charts.catalogue import (
    KPI_FILE_NAMES,
    PER_WIJK_KEYS,
    Chart,
    direct,
    loans_per_organisation,
)
from einclusie.charts.maps import boundary_path
from einclusie.charts.style import bar
from einclusie.exports import files as chart_files
from einclusie.exports import render
from einclusie.exports.pack import (
    KEY_CHARTS,
    ReportError,
    build_pack,
    change_text,
    spread_groups,
)
from einclusie.exports.tables import table_header_row
from einclusie.figures.queries import parts_frame, programme_figures
from einclusie.figures.registry import FIGURES, HEADLINE_KEYS
from einclusie.figures.selection import Selection
from einclusie.figures.status import data_status
from einclusie.figures.values import compare, has_data, kpi_values
from einclusie.format import format_number
from etl.cli import main as cli
from tests.conftest import PROJECT, PUBLISHED, load, put

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


def header_row(sheet, first: str) -> int:
    """The row of a sheet's table header: the first whose first cell is `first`."""
    return next(r for r in range(1, 20) if sheet.cell(r, 1).value == first)


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
    # Dutch months; within one year without the year, which the title gives
    assert re.search(r"\bmrt\b", text) and re.search(r"\bokt\b", text)


def test_the_pack_workbook_holds_the_twelve_figures_and_a_sheet_per_programme(
    pack_2022, sample_data: Path
):
    _, archive, _ = pack_2022
    workbook = load_workbook(io.BytesIO(member(archive, "kerncijfers_2022_gent.xlsx")))
    # Short names of their own, none cut off at Excel's 31 characters.
    assert workbook.sheetnames == [
        "Kerncijfers",
        "Per maand",
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
    assert [c.value for c in sheet[header]] == [
        "Kerncijfer",
        "Waarde",
        "Waarde 2021",
        "Verschil",
        "Verschil in %",
        "Definitie",
        "Opmerking",
    ]
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    by_label = {f.label: f for f in kpi_values(Selection.year(2022), sample_data)}
    assert len(rows) == 12
    for label, value, _, _, _, definition, _ in rows:
        figure = by_label[label]
        assert isinstance(value, int) and value == PUBLISHED["headline"][figure.key]
        assert definition == figure.definition
    assert sheet["A1"].value == "Kerncijfers 2022"
    assert [sheet.cell(r, 2).value for r in range(2, 5)] == [
        "2022",
        "heel Gent",
        "alle programma's",
    ]
    digibanken = workbook["Digibanken"]
    values = list(digibanken.iter_rows(min_row=header + 1, values_only=True))
    expected = parts_frame(programme_figures(Selection.year(2022), "Digibanken", sample_data))
    assert [c.value for c in digibanken[header]][:3] == ["Cijfer", "Onderdeel", "Waarde"]
    assert sorted(row[:3] for row in values) == sorted(
        zip(expected["label"], expected["onderdeel"], expected["waarde"], strict=True)
    )


def test_the_workbook_sets_each_figure_beside_the_year_before(pack_2022, sample_data: Path):
    _, archive, _ = pack_2022
    sheet = load_workbook(io.BytesIO(member(archive, "kerncijfers_2022_gent.xlsx")))["Kerncijfers"]
    header = header_row(sheet, "Kerncijfer")
    before = {f.label: f.value for f in kpi_values(Selection.year(2021), sample_data)}
    lacking_2021 = {FIGURES["help_requests_digibank"].label, FIGURES["devices_lent"].label}
    for row in sheet.iter_rows(min_row=header + 1):
        label, now, then, change, share = (c.value for c in row[:5])
        note = row[6].value or ""
        if label in lacking_2021:  # no Digibank data in 2021: not a change against 0
            assert then is None and change is None and share is None
            assert note == "geen gegevens voor 2021"  # as the Overzicht card says it
            continue
        assert then == before[label] and isinstance(then, int)
        assert change == now - then and row[3].number_format == "#,##0"
        # A real percentage: the fraction itself, shown as 82,8 % by Excel.
        assert share == pytest.approx((now - then) / then)
        assert row[4].number_format == "0.0%"
    totals = {r[0].value: r[6].value for r in sheet.iter_rows(min_row=header + 1)}
    assert totals[FIGURES["help_requests_total"].label] == (
        "in 2021 nog zonder: Digitale hulpvragen beantwoord door Digibank-digicoaches "
        "(geen gegevens)"
    )


def test_the_workbook_has_the_months_as_dates_and_percentages_as_percentages(
    pack_2022, sample_data: Path
):
    _, archive, _ = pack_2022
    workbook = load_workbook(io.BytesIO(member(archive, "kerncijfers_2022_gent.xlsx")))
    months = workbook["Per maand"]
    header = header_row(months, "Maand")
    names = [c.value for c in months[header]]
    assert names[0] == "Maand" and FIGURES["devices_total"].label not in names  # no month series
    cells = [row[0] for row in months.iter_rows(min_row=header + 1)]
    assert [c.value for c in cells] == [dt.datetime(2022, m, 1) for m in range(1, 13)]
    assert all(c.is_date and c.number_format == "[$-813]mmm yyyy" for c in cells)
    total = names.index(FIGURES["help_requests_total"].label) + 1
    column = [months.cell(r, total) for r in range(header + 1, header + 13)]
    assert sum(c.value for c in column) == PUBLISHED["headline"]["help_requests_total"]
    assert all(c.number_format == "#,##0" for c in column)
    stock = names.index(FIGURES["devices_lending_pool"].label) + 1
    assert months.cell(header + 12, stock).value == PUBLISHED["headline"]["devices_lending_pool"]

    digipunten = workbook["Digipunten"]
    header = header_row(digipunten, "Cijfer")
    shares = {
        row[0].value: row[1]
        for row in digipunten.iter_rows(min_row=header + 1)
        if row[0].value and row[0].value.startswith("Aandeel")
    }
    published = PUBLISHED["programme"]
    technical = shares[FIGURES["digipunten_share_technical_help_pct"].label]
    assert technical.value == pytest.approx(published["digipunten_share_technical_help_pct"] / 100)
    assert technical.number_format == "0%"  # a whole percent, as the figure is defined
    services = shares[FIGURES["digipunten_share_digital_services_pct"].label]
    assert services.value == pytest.approx(0.26) and services.number_format == "0%"
    assert [c.value for c in digipunten[header]] == ["Cijfer", "Waarde", "Definitie", "Opmerking"]


# --- The PDF summary -----------------------------------------------------------------------

SUMMARY = "samenvatting_2022_gent.pdf"
# The first page as a designer signed it off: rendered by pdfium at 1,5 x 72 dpi.
REFERENCE = PROJECT / "tests/reference/samenvatting_2022_gent_blz1.png"
UPDATE_REFERENCE = "EINCLUSIE_UPDATE_REFERENCE"  # =1: write the reference instead of comparing
REFERENCE_SCALE = 1.5
CHANGED_LEVEL = 64  # a pixel has changed when a channel moves more than this (of 255)
TOLERANCE = 0.002  # share of the pixels: anti-aliasing passes, a moved block or figure fails
MM = 25.4 / 72  # PDF points to millimetres


def pdf_text(page) -> str:
    return " ".join(page.extract_text().split())  # \xa0 and line breaks as single spaces


def squeeze(text: str) -> str:
    return "".join(text.split())


def printed_chars(page) -> list[tuple[str, float, float]]:
    """Every character of a pdfium page: (character, height of its box, bottom), in mm."""
    text = page.get_textpage()
    chars = []
    for index in range(text.count_chars()):
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        pdfium_c.FPDFText_GetCharBox(text, index, left, right, bottom, top)
        character = chr(pdfium_c.FPDFText_GetUnicode(text, index))
        chars.append((character, (top.value - bottom.value) * MM, bottom.value * MM))
    return chars


def digit_height(chars: list[tuple[str, float, float]], number: str) -> float:
    """How tall the digits of `number` ('11.877') are printed, in mm (its first occurrence)."""
    joined = "".join(c for c, _, _ in chars)
    start = joined.index(number)
    return min(h for c, h, _ in chars[start : start + len(number)] if c.isdigit())


@dataclass
class Summary:
    reader: PdfReader  # pypdf: fonts, text
    pdf: pdfium.PdfDocument  # pdfium: pages as images, where each character is printed
    texts: list[str]  # each page's text, whitespace as single spaces


@pytest.fixture(scope="module")
def summary(pack_2022):
    _, archive, _ = pack_2022
    data = member(archive, SUMMARY)
    reader = PdfReader(io.BytesIO(data))
    document = pdfium.PdfDocument(data)
    yield Summary(reader, document, [pdf_text(page) for page in reader.pages])
    document.close()


def test_the_pack_summary_is_a_dutch_a4_pdf_with_the_twelve_figures(summary, sample_data):
    for page in summary.reader.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842
    text = " ".join(summary.texts)
    assert "2022 in cijfers" in text and "Voorbeeldgegevens" in text
    assert "Wat elk cijfer telt" in text
    for figure in kpi_values(Selection.year(2022), sample_data):
        assert figure.label in text
        assert " ".join(figure.definition.split())[:60] in text
    assert (
        "Hulpvragen, geschonken en uitgeleende toestellen en vorming per maand, 2022" in text
    )  # a chart's title, as text
    assert summary.reader.metadata.title == "e-inclusie Gent: 2022 in cijfers"


def test_the_first_page_is_2022_in_cijfers_as_the_annual_report_lays_it_out(
    summary, sample_data: Path
):
    first = summary.texts[0]
    assert "E-INCLUSIE GENT 2022 in cijfers Heel Gent" in first
    # Compared without spaces: a label may break at a hyphen ('Digibank- digicoaches').
    squeezed = squeeze(first)
    # The four groups in the report's order, each led by its figure, the parts after it.
    at = [first.index(name.upper()) for name, _, _ in spread_groups()]
    assert at == sorted(at) and [n for n, _, _ in spread_groups()] == [
        "Hulpvragen",
        "Toestellen",
        "Vorming",
        "Coaching",
    ]
    shown = [key for _, lead, parts in spread_groups() for key in (lead, *parts)]
    assert sorted(shown) == sorted(HEADLINE_KEYS)  # each of the twelve once
    published = PUBLISHED["headline"]
    position = 0
    for key in shown:
        figure = squeeze(f"{format_number(published[key])} {FIGURES[key].label}")
        assert figure in squeezed[position:], figure  # the number, then its label, in order
        position = squeezed.index(figure, position)
    # The change against 2021, from the 2021 figures: absolute, in %, or new.
    before = {f.key: f.value for f in kpi_values(Selection.year(2021), sample_data)}
    for key in HEADLINE_KEYS:
        change = published[key] - before[key]
        if before[key] == 0:  # the Digibank had no data in 2021 (as the card says)
            expected = "geen gegevens voor 2021"
        else:
            percent = 100 * change / before[key]
            sign = "+" if change > 0 else "\u2212"
            decimals = 1  # as the cards
            expected = (
                f"{sign}{format_number(abs(change))} "
                f"({sign}{format_number(abs(percent), decimals)} %) t.o.v. 2021"
            )
        assert squeeze(f"{FIGURES[key].label} {expected}") in squeezed, (key, expected)
    assert "+5.378 (+82,8 %) t.o.v. 2021" in first and "\u22121.631 (\u221249,5 %)" in first
    # What the 2021 totals lacked, as numbered notes.
    assert (
        "1. In 2021 nog zonder: Digitale hulpvragen beantwoord door Digibank-digicoaches "
        "(geen gegevens)." in first
    )
    # Big figures: a total at least 1 cm tall, its parts at least 5 mm, labels about 2 mm.
    chars = printed_chars(summary.pdf[0])
    for key in ("help_requests_total", "devices_total", "people_trained"):
        assert digit_height(chars, format_number(published[key])) > 10
    assert digit_height(chars, format_number(published["help_requests_digipunten"])) > 5.5
    assert 2.0 < digit_height(chars, "2021") < 3


def test_without_an_earlier_year_the_first_page_shows_no_change(sample_data: Path):
    first_year = Selection.year(2021)
    earlier = has_data(first_year.previous(), sample_data)
    assert not earlier
    lines = [change_text(c, earlier, "2021") for c in compare(first_year, data_dir=sample_data)]
    assert lines == [""] * 12
    later = Selection.year(2023)
    lines = {
        c.now.key: change_text(c, has_data(later.previous(), sample_data), "2023")
        for c in compare(later, data_dir=sample_data)
    }
    assert lines["devices_public_computers"] == "gelijk aan 2022"  # 155 and 155
    assert lines["help_requests_total"] == "+1.168 (+9,8\u00a0%) t.o.v. 2022"


def test_the_first_page_of_the_summary_looks_as_signed_off(summary):
    page = summary.pdf[0].render(scale=REFERENCE_SCALE).to_pil().convert("RGB")
    if os.environ.get(UPDATE_REFERENCE) == "1":
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        page.save(REFERENCE, optimize=True)
    with Image.open(REFERENCE) as stored:
        reference = stored.convert("RGB")
    how = (
        f"If the new page is meant, look at it and write it as the reference: "
        f"{UPDATE_REFERENCE}=1 .venv/bin/python -m pytest tests/test_report.py -k signed_off"
    )
    assert page.size == reference.size, f"page 1 is {page.size}, not {reference.size}. {how}"
    moved = np.abs(np.asarray(page, dtype=np.int16) - np.asarray(reference, dtype=np.int16))
    changed = moved.max(axis=2) > CHANGED_LEVEL
    if changed.mean() > TOLERANCE:
        artifacts = PROJECT / "tests/artifacts"
        artifacts.mkdir(exist_ok=True)
        page.save(artifacts / "samenvatting_2022_gent_blz1.png")
        Image.fromarray(np.where(changed, 0, 255).astype(np.uint8)).save(
            artifacts / "samenvatting_2022_gent_blz1_verschil.png"
        )
        pytest.fail(
            f"Page 1 of {SUMMARY} differs from {REFERENCE.relative_to(PROJECT)} in "
            f"{changed.sum()} pixels ({changed.mean():.2%}, at most {TOLERANCE:.1%}); the page "
            f"and its difference are in tests/artifacts/. {how}",
            pytrace=False,
        )


def test_the_summary_fills_its_pages_and_numbers_them(summary, pack_2022):
    pack, _, _ = pack_2022
    charts = [key for key in KEY_CHARTS if f"grafieken/{key}_2022_gent.svg" in pack.files]
    shown = charts if len(charts) % 2 else charts[:-1]  # two to a page with the definitions
    pages = len(summary.texts)
    assert pages == 1 + (len(shown) + 1) // 2  # nothing spills onto a page of its own
    for number, text in enumerate(summary.texts, 1):
        assert f"pagina {number} van {pages}" in text
        # Text in the page's lower third, above the footer (17 mm): no half-empty page.
        chars = printed_chars(summary.pdf[number - 1])
        above_footer = [bottom for c, _, bottom in chars if c.strip() and bottom > 17]
        assert min(above_footer) < 297 / 3, (number, min(above_footer))


def test_the_summary_prints_in_open_sans_with_readable_chart_text(summary):
    fonts = set()

    def collect(resources) -> None:
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        for inner in (resources.get("/XObject") or {}).values():
            if "/Resources" in inner.get_object():
                collect(inner.get_object()["/Resources"])

    for page in summary.reader.pages:
        collect(page["/Resources"])
    assert fonts and all(f.startswith("OpenSans") for f in fonts), (
        f"the PDF embeds {sorted(fonts)}: is Debian's fonts-open-sans installed? (make fonts)"
    )
    assert {"OpenSans", "OpenSans-Bold", "OpenSans-Extrabold"} <= fonts
    # Every figure on the chart pages, axes and legends included, prints at 8 pt or more:
    # Open Sans' digits are 0,72 em tall, 2,0 mm at 8 pt.
    for number in range(1, len(summary.pdf)):
        heights = [h for c, h, _ in printed_chars(summary.pdf[number]) if c.isdigit()]
        assert heights and min(heights) >= 2.0, (number + 1, min(heights))


def test_no_bar_of_a_printed_chart_is_a_slab(pack_2022, sample_data: Path):
    _, archive, _ = pack_2022
    thickest = chart_files.MAX_BAR_SHARE * 1100 + 0.5  # px of an image 1100 px wide
    # One bar across the whole width: drawn as a bar all the same.
    alone = pd.DataFrame({"kanaal": ["Aan huis"], "aantal": [393]})
    figure = bar(alone, "kanaal", "aantal", "Eén staaf")
    chart = Chart("een-staaf", "Eén staaf", figure, alone, "")
    context = chart_files.context(chart.title, Selection.year(2022), data_status(sample_data))
    images = {"een-staaf": chart_files.image(chart, context, "svg")}
    images |= {
        n: archive.read(n) for n in archive.namelist() if n.endswith(".svg") and "grafieken/" in n
    }
    checked = 0
    for name, svg in images.items():
        for trace in ET.fromstring(svg).iter():
            if not trace.get("class", "").startswith("trace bars"):
                continue
            for path in trace.iter():
                box = re.match(r"M([\d.-]+),([\d.-]+)V([\d.-]+)H([\d.-]+)V", path.get("d") or "")
                if box:
                    x0, y0, y1, x1 = map(float, box.groups())
                    assert min(abs(x1 - x0), abs(y1 - y0)) <= thickest, name
                    checked += 1
    assert checked > 100


def test_the_pack_is_built_with_a_progress_bar_and_a_readme(pack_2022):
    pack, archive, steps = pack_2022
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    images = 2 * pack.charts  # each chart as SVG and PNG
    drawn = [text for _, text in steps if text.startswith("Grafieken tekenen: ")]
    assert drawn == [
        f"Grafieken tekenen: {n} van {images} afbeeldingen" for n in range(1, images + 1)
    ]
    # When done, the page says what is inside and how big it is.
    assert pack.images == images and pack.tables == pack.charts and pack.has_summary
    assert pack.contents() == (
        f"{images} afbeeldingen ({pack.charts} grafieken als SVG en PNG), {pack.charts} tabellen "
        "(CSV), de samenvatting (PDF), de werkmap (XLSX) en LEESMIJ.txt"
    )
    megabytes = f"{len(pack.content) / 1e6:.1f}".replace(".", ",")
    assert pack.size_text() == f"{megabytes}\u00a0MB" and "," in megabytes
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


# --- The Export page -------------------------------------------------------------------------


def test_the_export_page_takes_its_year_from_the_link(
    sample_data: Path, monkeypatch: pytest.MonkeyPatch
):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    monkeypatch.setenv("BROWSER_PATH", "/nergens/chromium")

    def export_page(params: dict[str, str]) -> AppTest:
        app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
        for key, value in params.items():
            app.query_params[key] = value
        app.switch_page("pages/export.py")
        app.run()
        assert not app.exception
        return app

    # A year in the sidebar (and so in the link): the pack is of that year, no second choice.
    year = export_page({"jaar": "2023"})
    assert not year.main.selectbox  # (the sidebar has its own, which the link sets)
    assert any(c.value.startswith("Jaar: 2023; wijken: heel Gent") for c in year.caption)
    [warning] = [w for w in year.warning if "zonder PDF" in w.value]
    assert warning.icon == ":material/warning:"  # an icon, not an emoji Chromium cannot draw
    # A date range: a pack is a calendar year, so the page asks which one (the range's).
    period = export_page({"van": "2022-03-01", "tot": "2022-06-30"})
    assert [s.value for s in period.main.selectbox] == [2022]


def _legend_colours(svg: bytes) -> list[tuple[str, str]]:
    """(name, colour as '#rrggbb') of every legend entry of a Plotly SVG."""
    ns = "{http://www.w3.org/2000/svg}"
    entries = []
    for group in ET.fromstring(svg).iter(f"{ns}g"):
        if group.get("class") != "traces":
            continue
        text = next(
            (t for t in group.iter(f"{ns}text") if "legendtext" in t.get("class", "")), None
        )
        paths = [p.get("style", "") for p in group.iter(f"{ns}path")]
        colour = next(
            (m for s in paths if (m := re.search(r"(?:fill|stroke): rgb\(([\d, ]+)\)", s))), None
        )
        if text is None or colour is None:
            continue
        rgb = [int(c) for c in colour.group(1).split(",")]
        entries.append(("".join(text.itertext()), "#{:02x}{:02x}{:02x}".format(*rgb)))
    return entries


def test_each_programme_keeps_one_colour_in_every_svg_of_the_pack(pack_2022):
    from einclusie.charts.style import PROGRAMME_ALIASES, PROGRAMME_COLOURS, SERIES_COLOURS

    _, archive, _ = pack_2022
    seen: dict[str, set[str]] = {}
    for name in archive.namelist():
        if "/grafieken/" in name and name.endswith(".svg"):
            for label, colour in _legend_colours(archive.read(name)):
                label = label.removesuffix(" (stand)")
                if label in SERIES_COLOURS:
                    seen.setdefault(PROGRAMME_ALIASES.get(label, label), set()).add(colour)
    programmes = {p: c for p, c in seen.items() if p in PROGRAMME_COLOURS}
    # Programmes of the help requests and of training appear in legends, in several files.
    assert {"Digipunten", "Digibanken", "Allemaal Digitaal", "Bibliotheek", "Vorming"} <= set(
        programmes
    )
    assert {p: c for p, c in seen.items() if len(c) != 1} == {}
    assert all(colours == {SERIES_COLOURS[p]} for p, colours in seen.items()), seen
