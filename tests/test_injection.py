"""Text from outside is shown as written, everywhere: Markdown, HTML and SVG payloads in the
URL and in every text column of every source (and the register's names) make no link, image or
styled element in a real browser, and none in the pack's SVG, PDF, CSV and XLSX files."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from einclusie.exports.pack import build_pack
from tests.conftest import REGISTER, TODAY, make_reference
from tests.test_browser import open_page, streamlit_server, wait_for_app

LINK = "[klik](https://evil.example/phish)"
HTML_LINK = '<a href="https://evil.example/html">link</a>'
IMAGE = '<img src="http://127.0.0.1:9/pixel.png">'
MARKDOWN_IMAGE = "![t](http://127.0.0.1:9/t.png)"
STYLED = "**vet** :red[rood] <b>dik</b>"
SVG = '<svg onload="alert(1)"><a xlink:href="https://evil.example/svg">s</a></svg>'
PAYLOADS = [LINK, HTML_LINK, IMAGE, MARKDOWN_IMAGE, STYLED, SVG]
# Words that exist only inside the payloads' markup: an element whose whole text is one of them
# was made from the markup.
MARKUP_WORDS = ["klik", "link", "t", "vet", "rood", "dik", "s"]
BAD_ADDRESS = re.compile(r"evil\.example|127\.0\.0\.1:9")

# Register names (every export resolves its locations by name) carrying payloads.
NAMES = {
    "DP91": f"Digipunt {HTML_LINK}",
    "BIB91": f"Bib {MARKDOWN_IMAGE} {IMAGE}",
    "DB91": f"Digibank {STYLED} {LINK}",
}
REGISTER_ROWS = [
    [
        "DP91",
        NAMES["DP91"],
        "Digipunt",
        "Ledeberg",
        "x",
        "ja",
        "ja",
        "4",
        "51.04",
        "3.74",
        "2015-01-01",
        "",
    ],
    [
        "BIB91",
        NAMES["BIB91"],
        "Bibliotheek",
        "Binnenstad",
        "x",
        "ja",
        "ja",
        "9",
        "51.05",
        "3.72",
        "2015-01-01",
        "",
    ],
    [
        "DB91",
        NAMES["DB91"],
        "Digibank",
        "Nieuw Gent - UZ",
        "x",
        "ja",
        "nee",
        "0",
        "51.03",
        "3.73",
        "2015-01-01",
        "",
    ],
]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _exports() -> dict[str, str]:
    """A payload in every text column of every source (enumerated ones end in quarantine)."""
    day = "2022-03-01"
    return {
        "digipunten/2022.csv": _csv(
            ["id", "datum", "locatie", "kanaal", "vraagtype", "leeftijdsgroep"],
            [
                [
                    f"d{i}",
                    day,
                    NAMES["DP91"] if i % 2 else NAMES["BIB91"],
                    "Digipunt",
                    "Andere",
                    "65+",
                ]
                for i in range(6)
            ]
            + [[f"dq{i}", day, "DP91", p, p, p] for i, p in enumerate(PAYLOADS)],
        ),
        "digibanken/2022.csv": _csv(
            [
                "id",
                "datum",
                "digibank",
                "activiteit",
                "onderwerp",
                "toesteltype",
                "doelgroep",
                "aantal",
            ],
            [
                ["b1", day, NAMES["DB91"], "Toestel uitgeleend", "", "Laptop", "Burger", "4"],
                ["b2", day, NAMES["DB91"], "Individuele hulp", "", "", "Burger", "1"],
                ["bq", day, "DB91", STYLED, SVG, LINK, HTML_LINK, "1"],
            ],
        ),
        "allemaal_digitaal/2022.csv": _csv(
            ["id", "datum", "stadsdienst", "actie", "doelgroep", "aantal"],
            [[f"a{i}", day, p, "Hulpvraag", "Medewerker", "2"] for i, p in enumerate(PAYLOADS)],
        ),
        "bibliotheek/2022.csv": _csv(
            ["id", "datum", "vestiging", "activiteit", "deelnemers"],
            [["l1", day, NAMES["BIB91"], "Digicafé", "5"], ["lq", day, "BIB91", IMAGE, "1"]],
        ),
        "uitleendienst/2022.csv": _csv(
            ["id", "datum", "soort", "toesteltype", "aantal", "organisatie", "locatie"],
            [["u0", "2022-01-01", "Inventaris", "Laptop", "20", "", ""]]
            + [
                [f"u{i + 1}", day, "Ontlening", "Laptop", "1", p, ""]
                for i, p in enumerate(PAYLOADS)
            ],
        ),
        "vorming/2022.csv": _csv(
            ["id", "datum", "programma", "locatie", "titel", "doelgroep", "deelnemers"],
            [
                [f"v{i}", day, p, NAMES["DP91"], p, "Burger" if i % 2 else "Professional", "3"]
                for i, p in enumerate(PAYLOADS)
            ],
        ),
    }


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payloads, loaded for real into their own data folder."""
    from etl.load import run_load

    base = tmp_path_factory.mktemp("injection")
    reference, raw, out = base / "reference", base / "raw", base / "parquet"
    rows = [line.split(";") for line in REGISTER.strip().splitlines()]
    make_reference(reference, _csv(rows[0], rows[1:] + REGISTER_ROWS))
    for name, content in _exports().items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(content, encoding="utf-8")
    report = run_load(raw, reference, out, today=TODAY)
    assert not report.refused, [f.melding for f in report.refused]
    return out


# --- in a real browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_server(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_server(hostile_data, tmp_path_factory.mktemp("streamlit-injection")) as base:
        yield base


MADE_FROM_MARKUP = """([words, bad]) => {
    const pattern = new RegExp(bad);
    const found = [];
    for (const el of document.querySelectorAll('a, img, image, use, iframe, object')) {
        const target = el.getAttribute('href') || el.getAttribute('xlink:href')
            || el.getAttribute('src') || '';
        if (pattern.test(target)) found.push(`${el.tagName} ${target}`);
    }
    for (const el of document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')) {
        if (el.children.length === 0 && words.includes(el.textContent.trim())) {
            found.push(`${el.tagName} "${el.textContent.trim()}"`);
        }
    }
    return found;
}"""

URL_PAYLOADS = urlencode(
    [
        ("jaar", "2022"),
        ("wijk", LINK),
        ("wijk", HTML_LINK),
        ("programma", STYLED),
        ("programma", MARKDOWN_IMAGE),
    ]
)
PAGES = ["overzicht", "hulpvragen", "toestellen", "vorming", "digibanken", "gegevens"]


def test_no_link_image_or_style_is_made_from_outside_text_in_the_browser(
    hostile_server: str, page: Page
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, f"{hostile_server}/?{URL_PAYLOADS}")
    warnings = page.locator("[data-testid='stAlert']").all_inner_texts()
    shown = " ".join(warnings).replace("\u2060", "")
    assert LINK in shown and HTML_LINK in shown  # the values, as written
    for name in PAGES:
        if name != "overzicht":
            page.get_by_role("link", name=re.compile(f"^{name}$", re.IGNORECASE)).first.click()
            wait_for_app(page)
            expect(page).to_have_url(re.compile(f"/{name}[?]"))
        page.wait_for_function(
            """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                    .every(c => c.querySelector('.main-svg'))""",
        )
        found = page.evaluate(MADE_FROM_MARKUP, [MARKUP_WORDS, BAD_ADDRESS.pattern])
        assert found == [], (name, found)
        text = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
        if name in ("hulpvragen", "digibanken", "vorming", "toestellen"):
            assert any(p in text for p in PAYLOADS) or "<a href" in page.content(), name
    fetched = [urlsplit(url).netloc for url in requests]
    assert not [host for host in fetched if host in ("evil.example", "127.0.0.1:9")], fetched


# --- in the pack's files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_pack(hostile_data: Path) -> dict[str, bytes]:
    # Ledeberg's pack (34 charts, a third quicker than the city's 36 on this data): the
    # payloads of its locations and courses are in it; the organisations' are checked on screen.
    pack = build_pack(2022, ["Ledeberg"], data_dir=hostile_data)
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_pack_svg_files_hold_the_payloads_as_text_only(hostile_pack: dict[str, bytes]):
    svgs = {n: d for n, d in hostile_pack.items() if n.endswith(".svg")}
    assert svgs
    texts = []
    for name, data in svgs.items():
        root = ET.fromstring(data)
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("a", "image", "foreignObject", "script"), (name, tag)
            for attribute, value in element.attrib.items():
                assert not BAD_ADDRESS.search(value), (name, attribute, value)
                assert not attribute.startswith("on"), (name, attribute)
        texts.append(" ".join(root.itertext()))
    every = " ".join(texts)
    assert "<a href=" in every and "**vet**" in every  # shown, as written


def test_the_pack_pdf_has_no_link_made_from_outside_text(hostile_pack: dict[str, bytes]):
    pdfs = [d for n, d in hostile_pack.items() if n.endswith(".pdf")]
    assert pdfs
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:
            for annotation in page.get("/Annots") or []:
                uri = str(annotation.get_object().get("/A", {}).get("/URI", ""))
                assert not BAD_ADDRESS.search(uri), uri


def test_the_pack_csv_and_xlsx_hold_the_payloads_as_plain_values(hostile_pack: dict[str, bytes]):
    csv_text = " ".join(
        d.decode("utf-8-sig") for n, d in hostile_pack.items() if n.endswith(".csv")
    )
    assert HTML_LINK in csv_text or HTML_LINK.replace('"', '""') in csv_text
    workbooks = [d for n, d in hostile_pack.items() if n.endswith(".xlsx")]
    assert workbooks
    for data in workbooks:
        book = load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.hyperlink is None, (sheet.title, cell.coordinate)
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
