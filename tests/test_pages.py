"""Every page through Streamlit's AppTest, on the shipped sample loaded for real."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layout import TABLE_CLASS, table_html
from einclusie.figures.registry import FIGURES, HEADLINE_KEYS
from einclusie.figures.selection import Selection
from einclusie.figures.values import by_wijk, kpi_values
from einclusie.format import format_number
from tests.conftest import PROJECT, PUBLISHED, load, make_reference, put

PAGES = sorted(p.name for p in (PROJECT / "pages").glob("*.py"))
WIJK_FILTERS = [[], ["Ledeberg"], ["Nieuw Gent - UZ", "Zwijnaarde"]]


@pytest.fixture
def data_env(sample_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    return sample_data


def open_app(params: dict[str, str | list[str]] | None = None, page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    if page:  # the first run is already this page's (as a link to it would be)
        app.switch_page(f"pages/{page}")
    app.run()
    return app


def open_download_menus(app: AppTest) -> AppTest:
    """Every chart's "Downloaden" menu opened, as a click on each would (its buttons are made
    only while it is open)."""
    menus = [k for k in app.session_state.keys() if str(k).startswith("downloaden_")]
    assert menus, "no Downloaden menu on the page"
    for key in menus:
        app.session_state[key] = True
    return app.run()


def url(app: AppTest, key: str) -> list[str]:
    """The values of one URL parameter as the app left it."""
    value = app.query_params.get(key, [])
    return list(value) if isinstance(value, list | tuple) else [value]


def texts(app: AppTest) -> str:
    """Everything a user reads on the page, as one string."""
    parts = [
        e.value
        for kind in ("title", "subheader", "caption", "markdown", "info", "warning")
        for e in getattr(app, kind)
    ]
    parts += [f"{m.label} {m.value}" for m in app.metric]
    return "\n".join(str(p) for p in parts)


class _TableReader(HTMLParser):
    """One table of layout.table_html back as its rows of text: header rows, body rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[list[str]] = []
        self.body: list[list[str]] = []
        self._section = self._text = self._span = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("thead", "tbody"):
            self._section = self.head if tag == "thead" else self.body
        elif tag == "tr":
            self._section.append([])
        elif tag in ("th", "td"):
            self._text, self._span = [], int(dict(attrs).get("colspan") or 1)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td"):
            # Soft hyphens are invisible until a line breaks there.
            self._section[-1] += ["".join(self._text).replace("\u00ad", "")] * self._span
            self._text = None


def static_tables(app: AppTest) -> list[pd.DataFrame]:
    """The page's static tables (layout.static_table) as the reader sees them: every cell
    as its text; columns of more levels as tuples, as the page's frame had them."""
    tables = []
    for element in app.get("html"):
        if not element.proto.body.startswith(f'<div class="{TABLE_CLASS}">'):
            continue
        tables.append(read_table(element.proto.body))
    return tables


def read_table(body: str) -> pd.DataFrame:
    """One table of layout.table_html as a frame of its cells' texts."""
    reader = _TableReader()
    reader.feed(body)
    head = reader.head
    columns = head[0] if len(head) == 1 else pd.MultiIndex.from_arrays(head)
    return pd.DataFrame(reader.body, columns=columns)


def test_a_static_table_shows_outside_text_as_written_and_numbers_as_in_dutch():
    frame = pd.DataFrame({"Naam": ["<b>dik</b> & **vet** [a](b)", None], "Aantal": [11877, 3]})
    body = table_html(frame)
    assert "<b>" not in body and "&lt;b&gt;dik&lt;/<wbr>b&gt; &amp; **vet** [a](b)" in body
    assert read_table(body).to_dict("records") == [
        {"Naam": "<b>dik</b> & **vet** [a](b)", "Aantal": "11.877"},
        {"Naam": "–", "Aantal": "3"},
    ]
    assert body.count('class="getal"') == 2  # right-aligned (page.css)
    # Columns of two levels: a header row each, neighbours sharing a group under one cell.
    columns = pd.MultiIndex.from_tuples([("", "Kerncijfer"), ("Gent", "2022"), ("Gent", "%")])
    body = table_html(pd.DataFrame([["Hulpvragen", 11877, "51,3 %"]], columns=columns))
    assert '<th colspan="2">Gent</th>' in body
    assert list(read_table(body).columns) == list(columns)
    # Words break between syllables (soft hyphens, invisible on one line), names after a slash.
    body = table_html(
        pd.DataFrame({"Doelgroep": ["Eerstelijnsprofessionals"], "Bestand": ["a/b.csv"]})
    )
    assert "Eer\u00adste\u00adlijns" in body and "a/<wbr>b.csv" in body
    assert read_table(body).to_dict("records") == [
        {"Doelgroep": "Eerstelijnsprofessionals", "Bestand": "a/b.csv"}
    ]
    # A wide table stacks its rows on a phone: marked, each cell naming its column (escaped).
    wide = pd.DataFrame([list(range(6))], columns=["<a>", *"bcdef"])
    body = table_html(wide)
    assert '<table class="breed">' in body and 'data-kolom="&lt;a&gt;"' in body
    assert '<table class="breed">' not in table_html(wide.iloc[:, :5])


def test_every_page_is_in_the_navigation():
    navigation = (PROJECT / "app.py").read_text(encoding="utf-8")
    assert all(f'"pages/{page}"' in navigation for page in PAGES)
    assert len(PAGES) == 14


TOOL_PAGES = {"aanleveren.py", "gebruikers.py"}  # dashboard/layout.py's tool_page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_every_page_renders_for_every_year_with_and_without_wijken(
    data_env: Path, page: str, year: int
):
    # Every wijk filter in 2022; one each in the year before and after (same code paths).
    filters = {2021: WIJK_FILTERS[:1], 2022: WIJK_FILTERS, 2023: WIJK_FILTERS[2:]}[year]
    for wijken in filters:
        params: dict[str, str | list[str]] = {"jaar": str(year)}
        if wijken:
            params["wijk"] = wijken
        app = open_app(params, page)
        assert not app.exception, (page, year, wijken, app.exception)
        assert "Voorbeeldgegevens" in texts(app)
        assert any(
            c.value.startswith("Gegevens t.e.m. 31/12/2023 · geladen ") for c in app.caption
        ), page
        if page in TOOL_PAGES:  # no filters there, the selection named (and kept)
            assert (", ".join(wijken) or "heel Gent") in app.sidebar.caption[0].value
            assert url(app, "wijk") == wijken
        else:
            assert app.sidebar.multiselect(key="w_wijken").value == wijken


def test_the_2022_overview_shows_the_twelve_published_figures(data_env: Path):
    app = open_app({"jaar": "2022"})
    assert app.title[0].value == "2022 in cijfers"
    shown = {m.label: m.value for m in app.metric}
    assert shown["Digitale hulpvragen beantwoord"] == "11.877"
    assert sorted(shown.values()) == sorted(
        format_number(v) for v in PUBLISHED["headline"].values()
    )
    definitions = [m.help for m in app.markdown if m.help]  # the definition on hover
    assert len(definitions) == 12 and all(len(d) > 40 for d in definitions)


def test_a_wijk_filter_marks_the_city_wide_figures(data_env: Path):
    app = open_app({"jaar": "2022", "wijk": "Ledeberg"})
    shown = {m.label: m.value for m in app.metric}
    assert shown["Digitale hulpvragen binnen Allemaal Digitaal (intern)"] == "niet per wijk"
    assert shown["Digitale materialen ter beschikking in de Digitale Uitleendienst"] == (
        "niet per wijk"
    )
    assert shown["Digitale hulpvragen beantwoord"] != "11.877"
    assert "telt voor heel Gent, niet per wijk" in texts(app)


def test_the_selection_survives_page_switches_and_lives_in_the_url(data_env: Path):
    app = open_app()
    assert url(app, "jaar") == ["2022"]
    app.sidebar.selectbox(key="w_jaar").set_value(2021).run()
    app.sidebar.multiselect(key="w_wijken").set_value(["Ledeberg", "Rabot - Blaisantvest"]).run()
    app.sidebar.multiselect(key="w_programmas").set_value(["Digipunten"]).run()
    assert app.title[0].value == "2021 in cijfers"
    for page in ["hulpvragen.py", "wijken.py", "gegevens.py", "overzicht.py"]:
        app.switch_page(f"pages/{page}").run()
        assert not app.exception, page
        assert app.sidebar.selectbox(key="w_jaar").value == 2021, page
        assert app.sidebar.multiselect(key="w_wijken").value == [
            "Ledeberg",
            "Rabot - Blaisantvest",
        ], page
        assert app.sidebar.multiselect(key="w_programmas").value == ["Digipunten"], page
        assert url(app, "jaar") == ["2021"]
        assert url(app, "wijk") == ["Ledeberg", "Rabot - Blaisantvest"]
        assert url(app, "programma") == ["Digipunten"]


def test_the_tool_pages_name_the_selection_without_filters_and_keep_it(data_env: Path):
    app = open_app({"jaar": "2021", "wijk": "Ledeberg"})
    for page in ["aanleveren.py", "gebruikers.py"]:
        app.switch_page(f"pages/{page}").run()
        assert not app.exception, page
        # No widget that would change nothing on this page; what the other pages show.
        assert not app.sidebar.selectbox and not app.sidebar.multiselect, page
        assert not app.sidebar.radio, page
        said = " ".join(c.value for c in app.sidebar.caption)
        assert "2021 · Ledeberg · alle programma's" in said, page
        assert "gelden voor de pagina's met cijfers" in said, page
        assert url(app, "jaar") == ["2021"] and url(app, "wijk") == ["Ledeberg"], page
    app.switch_page("pages/hulpvragen.py").run()
    assert app.sidebar.multiselect(key="w_wijken").value == ["Ledeberg"]
    assert app.title[0].value == "Hulpvragen 2021"


def test_url_parameters_round_trip(data_env: Path):
    params = {
        "jaar": "2023",
        "wijk": ["Ledeberg", "Rabot - Blaisantvest"],
        "programma": "Digipunten",
    }
    app = open_app(params, "hulpvragen.py")
    assert app.sidebar.selectbox(key="w_jaar").value == 2023
    assert app.sidebar.multiselect(key="w_wijken").value == ["Ledeberg", "Rabot - Blaisantvest"]
    assert app.sidebar.multiselect(key="w_programmas").value == ["Digipunten"]
    assert url(app, "wijk") == ["Ledeberg", "Rabot - Blaisantvest"]
    assert app.title[0].value == "Hulpvragen 2023"

    app = open_app({"van": "2022-03-01", "tot": "2022-06-30"})
    assert app.title[0].value == "01/03/2022 – 30/06/2022 in cijfers"
    assert url(app, "van") == ["2022-03-01"] and url(app, "tot") == ["2022-06-30"]
    assert url(app, "jaar") == []


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"jaar": "1999"}, "Het jaar '1999' uit de link bestaat niet"),
        ({"jaar": "twee"}, "Het jaar 'twee' uit de link bestaat niet"),
        ({"jaar": "²"}, "Het jaar '²' uit de link bestaat niet"),
        ({"wijk": "Atlantis"}, "De wijk 'Atlantis' uit de link bestaat niet"),
        ({"programma": "Schaakclub"}, "Het programma 'Schaakclub' uit de link bestaat niet"),
        ({"van": "2022-13-01", "tot": "2022-12-31"}, "De periode uit de link"),
        # wholly before the data: not a reversed range of zeros
        ({"van": "2020-01-01", "tot": "2020-06-30"}, "valt buiten de gegevens"),
    ],
)
def test_a_bad_value_in_the_url_warns_and_is_ignored(data_env: Path, params, warning):
    app = open_app(params)
    assert not app.exception
    assert any(warning in w.value for w in app.warning), [w.value for w in app.warning]
    assert app.title[0].value == "2022 in cijfers"
    assert app.sidebar.multiselect(key="w_wijken").value == []


def test_a_period_without_data_shows_a_sentence_and_no_zeros(data_env: Path):
    from einclusie.figures.values import no_data_reason

    empty = Selection(dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    assert no_data_reason(empty, data_env).startswith("Er zijn geen gegevens voor 01/01/2020")
    assert no_data_reason(Selection.year(2022), data_env) is None


def test_the_cards_say_when_the_year_before_has_no_data(data_env: Path):
    app = open_app({"jaar": "2021"})
    assert not app.exception
    assert texts(app).count("geen gegevens voor 2020") == 12
    assert all(m.delta is None or m.delta == "" for m in app.metric), [m.delta for m in app.metric]


def test_a_city_wide_programme_page_under_a_wijk_filter_shows_niet_per_wijk(data_env: Path):
    app = open_app({"jaar": "2022", "wijk": "Ledeberg"}, "allemaal_digitaal.py")
    assert not app.exception
    values = [m.value for m in app.metric]
    assert values and set(values) == {"niet per wijk"}


def test_empty_results_show_a_sentence(data_env: Path):
    # Zwijnaarde has no Digibank: the Digibanken page says so instead of drawing empty axes.
    app = open_app({"jaar": "2022", "wijk": "Zwijnaarde"}, "digibanken.py")
    assert not app.exception
    app = open_app({"jaar": "2022", "wijk": "Zwijnaarde"}, "toestellen.py")
    assert "De Digitale Uitleendienst telt voor heel Gent" in texts(app)


def test_the_data_page_lists_the_quarantine_and_failed_expectations(data_env: Path):
    app = open_app({"jaar": "2022"}, "gegevens.py")
    assert not app.exception
    tables = static_tables(app)  # static tables: every reason shown in full
    overview = tables[0]
    assert len(overview) == 6
    assert list(overview["Bron"])[:3] == ["Digipunten", "Digibanken", "Allemaal Digitaal"]
    quarantine = [t for t in tables if "Reden" in t.columns]  # a table per source
    assert sum(len(t) for t in quarantine) == 25  # the first page of the sample's 36
    assert "36 rijen voldeden niet aan de regels" in texts(app)
    assert all(t["Reden"].str.len().min() > 5 for t in quarantine)
    failed = tables[-1]
    assert "Verwachting" not in failed.columns  # Great Expectations' own rule names stay out
    assert not failed["Regel"].str.contains("expect_").any()
    labels = [b.label for b in app.get("download_button")]
    assert "Quarantaine downloaden (CSV)" in labels
    assert "Vervangen rijen downloaden (CSV)" in labels


STEWARD_HEADER = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep"


@pytest.fixture(scope="module")
def steward_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two loads: a month and a training register, then a correction of the month sent later
    (its rows re-send r1 and add two that break the rules)."""
    base = tmp_path_factory.mktemp("steward")
    raw, out, reference = base / "raw", base / "parquet", make_reference(base / "reference")
    put(
        raw,
        "digipunten/2022-01.csv",
        "\n".join(
            [
                STEWARD_HEADER,
                "r1;03/01/2022;DP01;Digipunt;Andere;",
                "r2;04/01/2022;DP01;Fax;Andere;",
                "r3;05/01/2022;DP01",  # too few fields: the id is still read
            ]
        ),
    )
    put(
        raw,
        "vorming/2022.csv",
        "id;datum;programma;locatie;titel;doelgroep;deelnemers\n"
        "v1;2022-03-01;Onderwijs;;Digikriebels;Burger;3\n"
        "v2;2022-03-02;Onderwijs;;Digikriebels;Leerling;4\n",
    )
    load(raw, reference, out)
    put(
        raw,
        "digipunten/2022-01-correctie.csv",
        "\n".join(
            [
                STEWARD_HEADER,
                "r1;03/01/2022;DP01;Aan huis;Andere;",
                "r4;06/01/2022;DP01;Telefoon;Andere;",
                "r5;07/01/2022;Nergenshuis;Digipunt;Andere;",
            ]
        ),
    )
    load(raw, reference, out)
    return out


def quarantine_tables(app: AppTest) -> list[pd.DataFrame]:
    """The quarantine's tables, one per source and load, each with its heading in `attrs`."""
    headings = [m.value for m in app.markdown if ":gray[· lading van" in m.value]
    tables = [t for t in static_tables(app) if "Reden" in t.columns]
    assert len(headings) == len(tables)
    for heading, table in zip(headings, tables, strict=True):
        table.attrs["kop"] = heading.replace("\\", "")
    return tables


def test_a_correction_sent_later_shows_its_quarantined_rows_first_marked_nieuw(
    steward_data: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("EINCLUSIE_DATA", str(steward_data))
    app = open_app({"jaar": "2022"}, "gegevens.py")
    assert not app.exception
    tables = quarantine_tables(app)
    rows = pd.concat(tables, ignore_index=True)
    assert rows["Id"].tolist() == ["r4", "r5", "r2", "r3", "v2"]  # the newest load first
    # A table per source and load; the correction's rows, first, are marked as new.
    headings = [t.attrs["kop"] for t in tables]
    assert headings[0].startswith("**Digipunten** :orange-badge[nieuw] :gray[· lading van ")
    assert headings[1].startswith("**Digipunten** :gray[· lading van ")
    assert headings[2].startswith("**Vorming** :gray[")
    assert tables[0]["Bestand"].tolist() == ["2022-01-correctie.csv"] * 2  # in its folder
    assert tables[1]["Bestand"].tolist() == ["2022-01.csv"] * 2
    # The values in the source's own columns, as written; never a JSON object.
    correction = tables[0]
    assert list(correction.columns) == [
        "Bestand",
        "Rij",
        "Id",
        "Reden",
        "Datum",
        "Locatie",
        "Kanaal",
        "Vraagtype",
        "Leeftijdsgroep",
    ]
    assert correction.set_index("Id").loc["r4", "Kanaal"] == "Telefoon"
    assert "Programma" in tables[-1].columns and "Kanaal" not in tables[-1].columns
    every_cell = [str(cell) for t in static_tables(app) for cell in t.to_numpy().ravel()]
    assert not any("{" in cell or "}" in cell for cell in every_cell)
    # A malformed row keeps its id, and what it has in its place.
    malformed = rows.set_index("Id").loc["r3"]
    assert "de rij heeft 3 velden" in malformed["Reden"] and malformed["Datum"] == "05/01/2022"
    assert malformed["Kanaal"] == "–"


def test_the_quarantine_filters_by_source_file_and_load(
    steward_data: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("EINCLUSIE_DATA", str(steward_data))
    app = open_app({"jaar": "2022"}, "gegevens.py")
    assert app.selectbox(key="q_bron").options == ["Alle bronnen", "Digipunten", "Vorming"]
    app.selectbox(key="q_bron").set_value("vorming").run()
    (vorming,) = quarantine_tables(app)
    assert vorming["Id"].tolist() == ["v2"]
    assert app.selectbox(key="q_bestand").options == ["Alle bestanden", "vorming/2022.csv"]
    assert "1 van de 5 rijen voldeed niet aan de regels" in texts(app)

    app.selectbox(key="q_bron").set_value(None).run()
    app.selectbox(key="q_bestand").set_value("digipunten/2022-01.csv").run()
    (month,) = quarantine_tables(app)
    assert month["Id"].tolist() == ["r2", "r3"] and set(month["Bestand"]) == {"2022-01.csv"}

    app.selectbox(key="q_bestand").set_value(None).run()
    loads = app.selectbox(key="q_lading").options  # the newest first, marked
    assert len(loads) == 3 and loads[1].endswith("(nieuw)") and "nieuw" not in loads[2]
    app.selectbox(key="q_lading").set_value(1).run()  # the first load (run 1)
    rows = pd.concat(quarantine_tables(app), ignore_index=True)
    assert rows["Id"].tolist() == ["r2", "r3", "v2"]


def test_the_rows_a_later_export_replaced_are_listed_with_the_file_that_replaced_them(
    steward_data: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("EINCLUSIE_DATA", str(steward_data))
    app = open_app({"jaar": "2022"}, "gegevens.py")
    tables = static_tables(app)
    per_file = next(t for t in tables if "Rijen vervangen" in t.columns)
    assert per_file.to_dict("records") == [
        {
            "Bron": "Digipunten",
            "Bestand": "digipunten/2022-01.csv",
            "Rijen vervangen": "1",
            "Vervangen door": "digipunten/2022-01-correctie.csv",
        }
    ]
    app.selectbox(key="v_bestand").set_value("digipunten/2022-01.csv").run()
    rows = next(
        t for t in static_tables(app) if "Rij" in t.columns and "Vervangen door" in t.columns
    )
    assert rows.to_dict("records") == [
        {"Rij": "2", "Id": "r1", "Vervangen door": "digipunten/2022-01-correctie.csv"}
    ]
    assert "1 geldige rij kwam later opnieuw" in texts(app)


def test_the_quarantine_comes_a_page_of_25_rows_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw, out = tmp_path / "raw", tmp_path / "parquet"
    rows = [f"f{n};03/01/2022;DP01;Fax;Andere;" for n in range(1, 61)]
    put(
        raw,
        "digipunten/2022-01.csv",
        "\n".join([STEWARD_HEADER, "ok;03/01/2022;DP01;Digipunt;Andere;", *rows]),
    )
    load(raw, make_reference(tmp_path / "reference"), out)
    monkeypatch.setenv("EINCLUSIE_DATA", str(out))
    app = open_app({"jaar": "2022"}, "gegevens.py")
    pages = app.selectbox(key="q_pagina")
    assert pages.options == [
        "1 van 3 (rijen 1–25)",
        "2 van 3 (rijen 26–50)",
        "3 van 3 (rijen 51–60)",
    ]
    (first,) = quarantine_tables(app)
    assert len(first) == 25 and first["Id"].iloc[0] == "f1"
    pages.set_value(3).run()
    (last,) = quarantine_tables(app)
    assert last["Id"].tolist() == [f"f{n}" for n in range(51, 61)]
    assert "60 rijen voldeden niet aan de regels" in texts(app)


def test_a_wijk_without_a_digibank_gets_a_sentence_not_empty_axes(data_env: Path):
    app = open_app({"jaar": "2022", "wijk": "Zwijnaarde"}, "digibanken.py")
    assert "Er zijn geen cijfers van Digibanken voor deze selectie." in texts(app)
    assert not app.get("plotly_chart")


def test_the_wijken_page_draws_the_map_with_attribution(data_env: Path, monkeypatch):
    shared = PROJECT.parent / "shared" / "reference" / "gent-wijken.geojson"
    if not shared.exists():
        pytest.skip("../shared/reference/gent-wijken.geojson is not beside the project")
    monkeypatch.setenv("EINCLUSIE_WIJKEN_GEOJSON", str(shared))
    app = open_app({"jaar": "2022", "wijk": "Ledeberg"}, "wijken.py")
    assert not app.exception
    charts = app.get("plotly_chart")
    assert len(charts) == 2  # the map and the ranked bars
    notes = [a["text"] for a in json.loads(charts[0].proto.spec)["layout"]["annotations"]]
    assert any("Wijken voor omgevingsanalyse. © gemeentebesturen" in n for n in notes)
    sheet = static_tables(app)[0]
    assert list(sheet.columns) == [
        ("", "Kerncijfer"),
        ("Ledeberg", "Aantal"),
        ("Ledeberg", "Aandeel"),
        ("Ledeberg", "t.o.v. 2021"),
        ("Gent", "25 wijken"),
        ("Gent", "heel Gent"),
    ]
    assert len(sheet) == 12
    shown = dict(zip(sheet[("", "Kerncijfer")], sheet[("Ledeberg", "Aantal")], strict=True))
    assert shown["Digitale hulpvragen binnen Allemaal Digitaal (intern)"] == "heel Gent"
    # each note once, under the table, naming its figures
    assert "Telt voor heel Gent, niet per wijk: Digitale hulpvragen binnen Allemaal" in texts(app)


def test_without_a_boundary_file_the_wijken_page_says_how_to_add_the_map(
    data_env: Path, monkeypatch, tmp_path: Path
):
    monkeypatch.setenv("EINCLUSIE_WIJKEN_GEOJSON", str(tmp_path / "bestaat-niet.geojson"))
    app = open_app({"jaar": "2022"}, "wijken.py")
    assert not app.exception
    assert "data/reference/wijken.geojson" in texts(app)
    assert len(app.get("plotly_chart")) == 1  # the ranked bars still work


def test_chart_data_downloads_as_csv_for_dutch_excel():
    import pandas as pd

    from einclusie.exports.tables import csv_bytes, slug

    data = csv_bytes(pd.DataFrame({"wijk": ["Ledeberg"], "aandeel": [12.5], "aantal": [1234]}))
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert data.decode("utf-8-sig").splitlines() == ["wijk;aandeel;aantal", "Ledeberg;12,5;1234"]
    assert slug("Hulpvragen per maand – Sint-Amandsberg 2022") == (
        "hulpvragen-per-maand-sint-amandsberg-2022"
    )


def test_a_new_load_shows_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import shutil

    from tests.conftest import load, put

    raw, out = tmp_path / "raw", tmp_path / "parquet"
    shutil.copytree(PROJECT / "data" / "raw", raw)
    load(raw, PROJECT / "data" / "reference", out)
    monkeypatch.setenv("EINCLUSIE_DATA", str(out))
    app = open_app({"jaar": "2022"})
    shown = {m.label: m.value for m in app.metric}
    assert shown["Digitale hulpvragen beantwoord"] == "11.877"

    put(
        raw,
        "digipunten/2022-12_extra.csv",
        "id;datum;locatie;kanaal;vraagtype\nEXTRA-1;15/12/2022;BIB01;Digipunt;Andere\n",
    )
    load(raw, PROJECT / "data" / "reference", out)
    app.run()  # the same session: cached results belong to the previous load
    shown = {m.label: m.value for m in app.metric}
    assert shown["Digitale hulpvragen beantwoord"] == "11.878"


def test_a_date_range_picked_in_the_sidebar_becomes_the_period(data_env: Path):
    import datetime as dt

    app = open_app()
    app.sidebar.radio(key="w_modus").set_value("Periode").run()
    # Whole months from two Dutch lists; an end before the start moves along with it.
    start = app.sidebar.selectbox(key="w_van")
    assert start.label == "Van" and start.format_func(dt.date(2022, 9, 1)) == "september 2022"
    start.set_value(dt.date(2022, 9, 1)).run()
    assert not app.exception
    assert app.title[0].value == "01/09/2022 – 31/12/2022 in cijfers"
    app.sidebar.selectbox(key="w_tot").set_value(dt.date(2022, 9, 1)).run()
    assert app.title[0].value == "01/09/2022 – 30/09/2022 in cijfers"
    assert url(app, "van") == ["2022-09-01"] and url(app, "tot") == ["2022-09-30"]
    app.sidebar.selectbox(key="w_van").set_value(dt.date(2022, 11, 1)).run()
    assert app.title[0].value == "01/11/2022 – 30/11/2022 in cijfers"


def test_every_chart_offers_its_image_and_its_data(data_env: Path):
    app = open_app({"jaar": "2022", "wijk": "Ledeberg"}, "hulpvragen.py")
    assert not app.exception
    assert not app.get("download_button")  # made only while a menu is open
    open_download_menus(app)
    labels = [b.proto.label for b in app.get("download_button")]
    charts = len(app.get("plotly_chart"))
    assert charts == 6
    for label in ("PNG (afdruk)", "SVG (vector)", "PDF", "CSV", "Excel (XLSX)"):
        assert labels.count(label) == charts, label
    assert "Interactieve grafiek (HTML)" not in labels


def test_without_chromium_the_charts_offer_interactive_html_and_say_why(
    data_env: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("BROWSER_PATH", "/nergens/chromium")
    app = open_app({"jaar": "2022"}, "toestellen.py")
    assert not app.exception
    open_download_menus(app)
    labels = [b.proto.label for b in app.get("download_button")]
    charts = len(app.get("plotly_chart"))
    assert labels.count("Interactieve grafiek (HTML)") == charts
    assert labels.count("CSV") == charts and "PNG (afdruk)" not in labels
    assert "de browser die ze tekent (Chromium) ontbreekt op de server" in texts(app)
    export = open_app({"jaar": "2022"}, "export.py")
    assert any("als interactieve HTML, zonder PDF" in w.value for w in export.warning)


def test_a_link_with_hundreds_of_unknown_wijken_gives_one_warning(data_env: Path):
    app = open_app({"wijk": [f"wijk-{i}" for i in range(500)] + ["Ledeberg"]})
    assert not app.exception
    [warning] = [w.value for w in app.warning]
    assert "'wijk-0', 'wijk-1', 'wijk-2', 'wijk-3', 'wijk-4' en nog 495 andere" in warning
    assert app.sidebar.multiselect(key="w_wijken").value == ["Ledeberg"]


def test_a_link_period_partly_in_the_future_is_cut_to_the_data_and_says_so(data_env: Path):
    app = open_app({"van": "2023-06-01", "tot": "2031-12-31"})
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert any("is ingekort tot 01/06/2023 – 31/12/2023" in w for w in warnings), warnings
    future = open_app({"van": "2030-01-01", "tot": "2031-12-31"})
    assert any("valt buiten de gegevens" in w.value for w in future.warning)
    assert future.title[0].value == "2022 in cijfers"


# --- the change against the year before, and the Wijken page's fiche and link ----------------


def change_text(now: int, before: int) -> str:
    """What a change should read, worked out from the two figures: '+1.234 (+11,6 %)'."""
    change = now - before
    if change == 0:
        return "0"
    sign = "+" if change > 0 else "-"
    return f"{sign}{format_number(abs(change))} ({sign}{format_number(abs(100 * change / before), 1)} %)"


def test_the_cards_show_the_change_and_its_percentage(data_env: Path):
    app = open_app({"jaar": "2022"})
    now = {v.label: v.value for v in kpi_values(Selection.year(2022), data_env)}
    before = {v.label: v.value for v in kpi_values(Selection.year(2021), data_env)}
    cards = {m.label: m for m in app.metric}
    changed = [label for label, m in cards.items() if m.delta]
    # The Digibank's two figures have no 2021 (it opened in 2022): they say so, no change.
    assert len(changed) == 10
    assert texts(app).count("geen gegevens voor 2021") == 2
    for label in changed:
        assert cards[label].delta == change_text(now[label], before[label]), label
        assert cards[label].proto.delta_description == "t.o.v. 2021", label


def test_a_card_of_a_figure_that_was_zero_the_year_before_says_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw, out = tmp_path / "raw", tmp_path / "parquet"
    put(
        raw,
        "digipunten/all.csv",
        "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
        "a;01/03/2020;DP01;Aan huis;Andere;\n"  # help at home exists before 2021,
        "b;01/03/2021;DP01;Digipunt;Andere;\n"  # none in 2021 (the export has that year)
        "c;01/03/2022;DP01;Aan huis;Andere;\n"
        "d;02/03/2022;DP01;Aan huis;Andere;\n"
        "e;03/03/2022;DP01;Digipunt;Andere;\n",
    )
    load(raw, make_reference(tmp_path / "reference"), out)
    monkeypatch.setenv("EINCLUSIE_DATA", str(out))
    app = open_app({"jaar": "2022"})
    assert not app.exception
    cards = {m.label: m for m in app.metric}
    at_home = cards[FIGURES["help_requests_at_home"].label]
    assert at_home.value == "2"
    assert at_home.delta == "nieuw in 2022" and not at_home.proto.delta_description
    assert cards[FIGURES["help_requests_digipunten"].label].delta == "0"  # 1 and 1
    assert cards[FIGURES["help_requests_total"].label].delta == change_text(3, 1)
    assert "∞" not in texts(app) and "inf" not in " ".join(m.delta for m in app.metric)
    # The fiche of the Digipunt's wijk says it too.
    fiche = open_app({"jaar": "2022", "fiche": "Rabot - Blaisantvest"}, "wijken.py")
    sheet = static_tables(fiche)[0].set_index(("", "Kerncijfer"))
    change = sheet[("Rabot - Blaisantvest", "t.o.v. 2021")]
    assert change[FIGURES["help_requests_at_home"].label] == "nieuw in 2022"


def test_the_fiche_shows_two_wijken_side_by_side_each_with_its_share(data_env: Path):
    app = open_app({"jaar": "2022"}, "wijken.py")
    app.selectbox(key="w_fiche_0").set_value("Ledeberg").run()
    app.selectbox(key="w_fiche_1").set_value("Rabot - Blaisantvest").run()
    assert not app.exception
    sheet = static_tables(app)[0].set_index(("", "Kerncijfer"))
    assert list(dict.fromkeys(group for group, _ in sheet.columns)) == [
        "Ledeberg",
        "Rabot - Blaisantvest",
        "Gent",
    ]
    assert len(sheet) == 12  # every figure, and no empty row
    year, earlier = Selection.year(2022), Selection.year(2021)
    city_before = {v.key: v.value for v in kpi_values(earlier, data_env)}
    for wijk in ("Ledeberg", "Rabot - Blaisantvest"):
        now = {v.key: v.value for v in kpi_values(Selection.year(2022, (wijk,)), data_env)}
        before = {v.key: v.value for v in kpi_values(Selection.year(2021, (wijk,)), data_env)}
        for key in HEADLINE_KEYS:
            row = sheet.loc[FIGURES[key].label]
            if now[key] is None:  # city-wide: no value for a wijk
                assert row[(wijk, "Aantal")] == "heel Gent", key
                continue
            spread = by_wijk(year, key, data_env).set_index("wijk").loc[wijk]
            assert (
                row[(wijk, "Aantal")] == format_number(now[key]) == format_number(spread["waarde"])
            )
            assert row[(wijk, "Aandeel")] == f"{format_number(spread['aandeel'], 1)} %", key
            if not city_before[key]:  # nothing of it anywhere in 2021: no data yet
                expected = "geen gegevens"
            elif not before[key]:
                expected = "nieuw in 2022" if now[key] else "0"
            else:
                expected = change_text(now[key], before[key])
            assert row[(wijk, "t.o.v. 2021")] == expected, (wijk, key)
    city = {v.label: v.shown() for v in kpi_values(year, data_env)}
    assert dict(sheet[("Gent", "heel Gent")]) == city
    assert "Telt voor heel Gent, niet per wijk: Digitale hulpvragen binnen Allemaal" in texts(app)
    assert [b.proto.label for b in app.get("download_button")].count("Fiche downloaden (CSV)") == 1


def test_the_wijken_page_keeps_its_kpi_and_fiche_in_the_url(data_env: Path):
    link = {"jaar": "2022", "kpi": "devices_donated", "fiche": ["Ledeberg", "Zwijnaarde"]}
    app = open_app(link, "wijken.py")
    assert not app.exception and not app.warning
    assert app.selectbox(key="w_kpi_0").value == "devices_donated"
    assert [app.selectbox(key=f"w_fiche_{i}").value for i in (0, 1)] == ["Ledeberg", "Zwijnaarde"]
    assert FIGURES["devices_donated"].label in app.get("plotly_chart")[-1].proto.spec
    assert {k: url(app, k) for k in link} == {
        "jaar": ["2022"],
        "kpi": ["devices_donated"],
        "fiche": ["Ledeberg", "Zwijnaarde"],
    }
    # Choices on the page and in the sidebar go into the link, beside each other.
    app.selectbox(key="w_kpi_0").set_value("people_trained").run()
    app.selectbox(key="w_fiche_1").set_value(None).run()
    app.sidebar.selectbox(key="w_jaar").set_value(2021).run()
    app.sidebar.multiselect(key="w_wijken").set_value(["Binnenstad"]).run()
    left = {k: url(app, k) for k in ("jaar", "wijk", "kpi", "fiche")}
    assert left == {
        "jaar": ["2021"],
        "wijk": ["Binnenstad"],
        "kpi": ["people_trained"],
        "fiche": ["Ledeberg"],
    }
    # That link reopens the same view.
    again = open_app(left, "wijken.py")
    assert not again.exception and not again.warning
    assert again.selectbox(key="w_kpi_0").value == "people_trained"
    assert [again.selectbox(key=f"w_fiche_{i}").value for i in (0, 1)] == ["Ledeberg", None]
    assert again.sidebar.selectbox(key="w_jaar").value == 2021
    assert list(static_tables(again)[0].columns.get_level_values(0).unique()) == [
        "",
        "Ledeberg",
        "Gent",
    ]


def test_an_unknown_kpi_or_fiche_wijk_in_a_link_warns_and_is_ignored(data_env: Path):
    link = {"kpi": "hulpvragen", "fiche": ["Atlantis", "Ledeberg", "Gentbrugge", "Oostakker"]}
    app = open_app(link, "wijken.py")
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert "Het kerncijfer 'hulpvragen' uit de link bestaat niet en wordt genegeerd." in warnings
    assert "De wijk voor de fiche 'Atlantis' uit de link bestaat niet en wordt genegeerd." in (
        warnings
    )
    assert any("hoogstens 2: 'Oostakker' wordt genegeerd" in w for w in warnings), warnings
    assert app.selectbox(key="w_kpi_0").value == "help_requests_total"  # the first KPI
    assert [app.selectbox(key=f"w_fiche_{i}").value for i in (0, 1)] == [
        "Ledeberg",
        "Gentbrugge",
    ]
    assert url(app, "kpi") == ["help_requests_total"]
    assert url(app, "fiche") == ["Ledeberg", "Gentbrugge"]
