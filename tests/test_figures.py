"""The registry of figures and the truth rules of its one query path, on the shipped sample.

Each test names the defect a user met before the registry (a number a director could copy
into the annual report and be wrong), and checks it the way that user would.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from einclusie.charts import catalogue
from einclusie.exports.pack import headline_table
from einclusie.exports.tables import csv_bytes
from einclusie.figures import queries
from einclusie.figures.registry import (
    CITY_WIDE_NOTE,
    FIGURES,
    HEADLINE_KEYS,
    NOT_PER_WIJK,
    PARTLY_NOTE,
    PROGRAMME_KEYS,
    Kind,
    Unit,
    WijkSplit,
)
from einclusie.figures.selection import Selection
from einclusie.figures.values import (
    by_wijk,
    compare,
    figure_values,
    kpi_values,
    per_period,
    share_column,
    wijk_fiche,
    wijk_sheet,
)
from einclusie.format import format_number
from etl.cli import main as cli
from tests.conftest import PROJECT, load, put

WIJKEN = [
    line.split(";")[1]
    for line in (PROJECT / "data/reference/wijken.csv").read_text(encoding="utf-8").splitlines()[1:]
]
Y2022 = Selection.year(2022)


def value(selection: Selection, key: str, data: Path) -> int | None:
    return figure_values(selection, [key], data)[0].value


# --- the registry ---------------------------------------------------------------------------


def test_every_figure_is_declared_once_with_a_unique_dutch_label_and_its_kind():
    assert len(FIGURES) == len(HEADLINE_KEYS) + len(PROGRAMME_KEYS)
    labels = [f.label for f in FIGURES.values()]
    assert len(set(labels)) == len(labels)
    for f in FIGURES.values():
        assert len(f.label) > 5 and len(f.definition) > 30, f.key
        assert isinstance(f.unit, Unit) and isinstance(f.kind, Kind)
        assert isinstance(f.per_wijk, WijkSplit)
        assert NOT_PER_WIJK not in f.definition, f.key  # the note says it, once
        assert f.sql.lstrip().startswith("--") and "select" in f.sql.lower()
    assert FIGURES["devices_total"].kind is Kind.MIXED
    assert FIGURES["devices_lending_pool"].kind is Kind.STOCK
    assert FIGURES["digipunten_share_technical_help_pct"].unit is Unit.PERCENTAGE


# How the query reads, not how a programme manager speaks: column names in quotes, rows,
# sums, the staging views.
DEVELOPER_WORDS = re.compile(
    r"\bsom van\b|'(aantal|deelnemers|soort|kanaal)'|\brij(en)?\b|-rijen\b|\bstg_|\bkpi_"
    r"|\bselect\b|\bkolom\b",
    re.IGNORECASE,
)


def test_every_definition_says_in_plain_dutch_what_is_counted_where_and_when():
    """The definitions on the cards, in the workbook and on the PDF's last page are read by
    programme managers: what is counted, from which export or register, and for which day
    or period; no column names, rows or sums of the query."""
    for f in FIGURES.values():
        assert not DEVELOPER_WORDS.search(f.definition), (f.key, f.definition)
        if f.kind in (Kind.FLOW, Kind.MIXED):
            assert "in de periode" in f.definition, f.key
        if f.kind in (Kind.STOCK, Kind.MIXED):
            assert "op de laatste dag van de periode" in f.definition, f.key
        if not f.parts:  # a total says which figures it adds up; the others their source
            assert re.search(r"export|register", f.definition), f.key
        assert f.definition[0].isupper() and f.definition.endswith("."), f.key


def test_the_facts_of_each_figure_are_of_the_kind_the_registry_declares(sample_data: Path):
    from einclusie.figures.db import database

    kinds = database(sample_data).execute(
        "select figuur, list(distinct soort order by soort) as soorten from facts group by 1"
    )
    declared = {
        Kind.FLOW: ["stroom"],
        Kind.STOCK: ["stand"],
        Kind.MIXED: ["stand", "stroom"],
    }
    for key, kinds_seen in zip(kinds["figuur"], kinds["soorten"], strict=True):
        assert list(kinds_seen) == declared[FIGURES[key].kind], key


def test_programme_figures_that_are_part_of_a_kpi_select_from_its_facts():
    staging = [k for k, f in FIGURES.items() if not f.headline and "from stg_" in f.sql]
    # Only what no headline KPI counts comes from staging: locations, surf sessions,
    # Allemaal Digitaal's devices and screenings, the loans to organisations.
    assert sorted(staging) == sorted(
        [
            "digipunten_locations",
            "surfpunten_locations",
            "library_surf_sessions",
            "allemaal_digitaal_shared_devices_placed",
            "allemaal_digitaal_workers_screened",
            "uitleendienst_loans",
            "uitleendienst_devices_lent_to_organisations",
        ]
    )


# --- defect 1: the months of a stock were summed ------------------------------------------


def test_per_month_a_flow_sums_to_its_year_and_a_stock_ends_on_its_card(sample_data: Path):
    cards = {v.key: v.value for v in kpi_values(Y2022, sample_data)}
    flows = [k for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.FLOW]
    stocks = [k for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.STOCK]
    months = per_period(Y2022, flows + stocks, data_dir=sample_data)
    assert len(months) == 12 * len(flows + stocks)
    for key in flows:
        assert months[months["figuur"] == key]["waarde"].sum() == cards[key], key
    for key in stocks:
        december = months[(months["figuur"] == key) & (months["maand"] == "2022-12-01")]
        assert december["waarde"].item() == cards[key], key
        assert set(months[months["figuur"] == key]["soort"]) == {"stand"}
    with pytest.raises(ValueError, match="devices_total"):
        per_period(Y2022, ["devices_total"], data_dir=sample_data)


def test_the_overview_per_month_sums_to_the_cards_and_says_what_it_leaves_out(sample_data: Path):
    chart = catalogue.key_figures_monthly(Y2022, catalogue.direct(sample_data))
    cards = {v.label: v.value for v in kpi_values(Y2022, sample_data)}
    sums = chart.frame.groupby("reeks")["waarde"].sum()
    assert set(sums.index) <= set(cards) and len(sums) == 4
    for label, total in sums.items():
        assert total == cards[label], label  # 1.665 devices never became 6.140
    assert FIGURES["devices_total"].label not in set(chart.frame["reeks"])
    assert "standen" in chart.note and set(chart.frame["soort"]) == {"aantal in de maand"}


def test_devices_per_month_draw_stocks_as_lines_never_stacked_on_flows(sample_data: Path):
    chart = catalogue.devices_per_month(Y2022, catalogue.direct(sample_data))
    bars = [t for t in chart.figure.data if t.type == "bar"]
    lines = [t for t in chart.figure.data if t.type == "scatter"]
    assert {t.name for t in bars} == {"Geschonken", "Uitgeleend"}
    assert {t.name for t in lines} == {"Publieke computers (stand)", "Uitleenpool (stand)"}
    frame = chart.frame
    stock = frame[frame["soort"] == "stand op het einde van de maand"]
    assert set(stock["manier"]) == {"Publieke computers", "Uitleenpool"}
    assert stock[stock["maand"] == "dec 2022"]["aantal"].tolist() == [
        value(Y2022, "devices_public_computers", sample_data),
        value(Y2022, "devices_lending_pool", sample_data),
    ]
    assert "niet opgeteld" in chart.note


def test_a_programme_s_figures_per_part_each_get_a_panel_on_their_own_axis(sample_data: Path):
    """Help requests, devices and workshops are not read on one scale: one panel per figure,
    each with its own value axis, the parts in the same order, in the programme's colour."""
    from einclusie.charts.style import PROGRAMME_COLOURS, wrapped

    chart = catalogue.programme_parts(Y2022, catalogue.direct(sample_data), "Digibanken")
    expected = queries.parts_frame(queries.programme_figures(Y2022, "Digibanken", sample_data))
    pd.testing.assert_frame_equal(chart.frame, expected)  # the download is unchanged
    labels = list(dict.fromkeys(expected["label"]))
    parts = list(dict.fromkeys(expected["onderdeel"]))
    assert len(labels) == 5 and len(parts) == 4
    figure = chart.figure  # the files' figure: the panels below each other
    assert [t.name for t in figure.data] == labels
    assert len({t.xaxis for t in figure.data}) == len({t.yaxis for t in figure.data}) == 5
    assert {t.marker.color for t in figure.data} == {PROGRAMME_COLOURS["Digibanken"]}
    titles = [a.text for a in figure.layout.annotations]
    assert titles == [f"<b>{wrapped(label, 36)}</b>" for label in labels]
    ranges = []
    for trace in figure.data:
        assert list(trace.y) == [wrapped(part) for part in parts]  # the same order
        wanted = expected[expected["label"] == trace.name].set_index("onderdeel")["waarde"]
        assert list(trace.x) == [int(wanted.get(part, 0)) for part in parts]  # none: 0
        axis = figure.layout[f"xaxis{trace.xaxis[1:]}"]
        assert axis.range[1] >= max(trace.x)  # each its own scale, room for its value
        ranges.append(axis.range[1])
    assert len(set(ranges)) > 1
    # The page's panels: the same, one figure each.
    assert [name for name, _ in chart.panels] == labels
    for (_, panel), trace in zip(chart.panels, figure.data, strict=True):
        assert list(panel.data[0].x) == list(trace.x) and list(panel.data[0].y) == list(trace.y)
    # Bottom to top, the panels do not overlap and every title sits inside the figure.
    domains = sorted(figure.layout[f"yaxis{t.yaxis[1:]}"].domain for t in figure.data)
    assert all(low >= 0 and high <= 1 for low, high in domains)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(domains))


# --- defect 2: a change against a year without data ----------------------------------------


def test_a_year_after_one_without_data_shows_no_change(sample_data: Path):
    for comparison in compare(Selection.year(2021), data_dir=sample_data):
        assert comparison.before is None and comparison.change is None, comparison.now.key
        assert comparison.text() == "geen gegevens voor 2020"
    later = compare(Y2022, data_dir=sample_data)
    total = next(c for c in later if c.now.key == "help_requests_total")
    assert total.change == total.now.value - value(
        Selection.year(2021), "help_requests_total", sample_data
    )
    assert total.text().endswith(" t.o.v. 2021") and total.text().startswith("+")


def test_a_programme_that_did_not_exist_yet_has_no_change(raw: Path, reference: Path, tmp_path):
    put(
        raw,
        "digipunten/all.csv",
        "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
        "a;01/03/2021;DP01;Digipunt;Andere;\n"
        "b;01/03/2022;DP01;Digipunt;Andere;\n"
        "c;02/03/2022;DP01;Digipunt;Andere;\n",
    )
    put(
        raw,
        "digibanken/2022.csv",
        "id;datum;digibank;activiteit;onderwerp;toesteltype;doelgroep;aantal\n"
        "d;01/04/2022;DB01;Individuele hulp;;;Burger;1\n",
    )
    out = tmp_path / "out"
    load(raw, reference, out)
    got = {c.now.key: c for c in compare(Y2022, data_dir=out)}
    assert got["help_requests_digibank"].before is None
    assert got["help_requests_digibank"].text() == "geen gegevens voor 2021"
    assert got["help_requests_digipunten"].change == 1
    # The total existed in 2021, without one of its parts: the change says so.
    total = got["help_requests_total"]
    assert total.change == 2
    assert total.missing == (FIGURES["help_requests_digibank"].label,)
    assert "in 2021 nog zonder" in total.missing_text()


def test_a_change_says_its_percentage_of_the_year_before(sample_data: Path):
    before = {v.key: v.value for v in kpi_values(Selection.year(2021), sample_data)}
    checked = 0
    for comparison in compare(Y2022, data_dir=sample_data):
        if comparison.before is None:
            assert comparison.change_percent is None and comparison.change_text() == ""
            continue
        change = comparison.now.value - before[comparison.now.key]
        assert comparison.change_percent == pytest.approx(100 * change / before[comparison.now.key])
        percent = format_number(abs(comparison.change_percent), 1)
        sign = "+" if change > 0 else "-"
        assert comparison.change_text() == f"{sign}{format_number(abs(change))} ({sign}{percent} %)"
        assert comparison.text() == f"{comparison.change_text()} t.o.v. 2021"
        checked += 1
    assert checked == 10  # the two Digibank figures have no 2021


def test_a_percentage_changes_in_points_not_in_percent(sample_data: Path):
    key = "digipunten_share_technical_help_pct"
    [comparison] = compare(Y2022, [key], data_dir=sample_data)
    change = value(Y2022, key, sample_data) - value(Selection.year(2021), key, sample_data)
    assert comparison.change == change and comparison.change_percent is None
    assert comparison.change_text() == f"{'+' if change > 0 else ''}{change} pp"
    assert "%" not in comparison.change_text()


def test_a_figure_that_was_zero_the_year_before_is_new_not_infinitely_up(
    raw: Path, reference: Path, tmp_path: Path
):
    put(
        raw,
        "digipunten/all.csv",
        "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
        "a;01/03/2020;DP01;Aan huis;Andere;\n"  # the figure exists before 2021 ...
        "b;01/03/2021;DP01;Digipunt;Andere;\n"  # ... and has no fact in 2021
        "c;01/03/2022;DP01;Aan huis;Andere;\n"
        "d;02/03/2022;DP01;Aan huis;Andere;\n"
        "e;03/03/2022;DP01;Digipunt;Andere;\n",
    )
    out = tmp_path / "out"
    load(raw, reference, out)
    got = {c.now.key: c for c in compare(Y2022, data_dir=out)}
    at_home = got["help_requests_at_home"]
    assert at_home.before is not None and at_home.before.value == 0 and at_home.now.value == 2
    assert at_home.is_new and at_home.change_percent is None
    assert at_home.change_text() == at_home.text() == "nieuw in 2022"
    assert at_home.against() == ""
    unchanged = got["help_requests_digipunten"]
    assert unchanged.change == 0 and unchanged.change_text() == "0"  # no '(0,0 %)'
    total = got["help_requests_total"]  # 1 in 2021, 3 in 2022
    assert total.change_text() == "+2 (+200,0 %)"


def test_the_command_line_refuses_a_year_without_data_and_prints_no_zeros(
    sample_data: Path, capsys
):
    for command in ("kpis", "figures"):
        for extra in ([], ["--json"]):
            code = cli([command, "--year", "2020", "--data", str(sample_data), *extra])
            printed = capsys.readouterr()
            assert code == 2, command
            assert printed.out == ""
            assert "Er zijn geen gegevens voor 2020" in printed.err
            assert "2021, 2022, 2023" in printed.err


# --- defect 3: one label for two figures ---------------------------------------------------


def test_the_digipunten_page_names_its_figures_with_their_own_labels(sample_data: Path):
    shown = queries.programme_figures(Y2022, "Digipunten", sample_data)
    labels = {f.label: f for f in shown}
    assert FIGURES["help_requests_total"].label not in labels  # 9.078 is not the 11.877 label
    digipunten = labels[FIGURES["help_requests_digipunten"].label]
    assert digipunten.value == value(Y2022, "help_requests_digipunten", sample_data)


# --- defect 4: shares of the wijken that do not add up ---------------------------------------


@pytest.mark.parametrize("key", catalogue.PER_WIJK_KEYS)
def test_the_shares_of_the_25_wijken_add_up_to_100(sample_data: Path, key: str):
    spread = by_wijk(Y2022, key, sample_data)
    assert len(spread) == 25
    assert spread["aandeel"].sum() == pytest.approx(100.0)
    city = value(Y2022, key, sample_data)
    if FIGURES[key].per_wijk is WijkSplit.YES:  # every fact lies in a wijk
        assert spread["waarde"].sum() == city
    else:  # a total with city-wide parts: those lie in no wijk
        assert 0 < spread["waarde"].sum() < city


def test_the_fiche_shares_of_every_wijk_add_up_to_100(sample_data: Path):
    sheets = [wijk_sheet(Y2022, wijk, data_dir=sample_data) for wijk in WIJKEN]
    for position, key in enumerate(HEADLINE_KEYS):
        shares = [
            sheet[share_column(wijk)].iloc[position]
            for sheet, wijk in zip(sheets, WIJKEN, strict=True)
        ]
        if FIGURES[key].per_wijk is WijkSplit.NO:
            assert all(pd.isna(s) for s in shares), key
        else:
            assert sum(shares) == pytest.approx(100.0, abs=0.05 * 25), key
            totals = {int(sheet["25 wijken samen"].iloc[position]) for sheet in sheets}
            locals_ = [int(sheet.iloc[position, 1]) for sheet in sheets]
            assert totals == {sum(locals_)}, key  # like with like: the wijken's own sum
            city = {int(sheet["Heel Gent"].iloc[position]) for sheet in sheets}
            assert city == {value(Y2022, key, sample_data)}, key  # as the card says


def test_a_fiche_of_two_wijken_gives_each_its_own_values_share_and_change(sample_data: Path):
    pair = ["Ledeberg", "Rabot - Blaisantvest"]
    sheet = wijk_sheet(Y2022, pair, data_dir=sample_data).set_index("Kerncijfer")
    for wijk in pair:
        here = Selection.year(2022, (wijk,))
        changes = {c.now.label: c for c in compare(here, data_dir=sample_data)}
        for key in catalogue.PER_WIJK_KEYS:
            label = FIGURES[key].label
            spread = by_wijk(Y2022, key, sample_data).set_index("wijk")
            assert sheet.loc[label, wijk] == spread.loc[wijk, "waarde"], (wijk, key)
            assert sheet.loc[label, share_column(wijk)] == round(spread.loc[wijk, "aandeel"], 1)
            change = changes[label].change
            cell = sheet.loc[label, f"{wijk} t.o.v. 2021"]
            assert (pd.isna(cell) and change is None) or cell == change, (wijk, key)
    # the download holds both wijken, side by side, and the city once
    header = csv_bytes(sheet.reset_index()).decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:5] == [
        "Kerncijfer",
        "Ledeberg",
        "Aandeel Ledeberg (%)",
        "Ledeberg t.o.v. 2021",
        "Ledeberg t.o.v. 2021 (%)",
    ]
    assert header[5:] == [
        "Rabot - Blaisantvest",
        "Aandeel Rabot - Blaisantvest (%)",
        "Rabot - Blaisantvest t.o.v. 2021",
        "Rabot - Blaisantvest t.o.v. 2021 (%)",
        "25 wijken samen",
        "Heel Gent",
        "Opmerking",
    ]
    # on screen: a group of columns per wijk, and the city-wide figures say 'heel Gent'
    table = wijk_fiche(Y2022, pair, data_dir=sample_data).table
    assert list(dict.fromkeys(group for group, _ in table.columns)) == ["", *pair, "Gent"]
    internal = list(table[("", "Kerncijfer")]).index(FIGURES["help_requests_internal"].label)
    assert table[("Ledeberg", "Aantal")].iloc[internal] == "heel Gent"


# --- defect 5: three answers for a figure that does not apply to a wijk ---------------------


def test_a_city_wide_figure_has_one_representation_under_a_wijk_filter(sample_data: Path, capsys):
    ledeberg = Selection.year(2022, ("Ledeberg",))
    values = {v.key: v for v in kpi_values(ledeberg, sample_data)}
    internal = values["help_requests_internal"]
    assert internal.value is None and internal.shown() == NOT_PER_WIJK
    assert internal.note == CITY_WIDE_NOTE
    assert values["help_requests_total"].note == PARTLY_NOTE
    # the pack's workbook and the fiche: an empty cell and the same note
    table = headline_table(list(values.values())).set_index("Kerncijfer")
    assert pd.isna(table.loc[internal.label, "Waarde"])
    assert table.loc[internal.label, "Opmerking"] == CITY_WIDE_NOTE
    sheet = wijk_sheet(Y2022, "Ledeberg", data_dir=sample_data).set_index("Kerncijfer")
    assert pd.isna(sheet.loc[internal.label, "Ledeberg"])
    assert sheet.loc[internal.label, "Opmerking"] == CITY_WIDE_NOTE
    # the command line: null
    assert (
        cli(["kpis", "--year", "2022", "--wijk", "Ledeberg", "--data", str(sample_data), "--json"])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["help_requests_internal"] is None
    assert printed["devices_lending_pool"] is None
    assert isinstance(printed["help_requests_total"], int)


def test_a_figure_outside_the_chosen_programmes_is_not_a_zero(sample_data: Path):
    library = Selection.year(2022, programmes=("Bibliotheek",))
    got = {v.key: v for v in kpi_values(library, sample_data)}
    assert not got["help_requests_total"].applies
    assert got["help_requests_total"].shown() == "niet in deze programma's"
    assert got["people_trained"].applies and got["people_trained"].value > 0
    comparisons = {c.now.key: c for c in compare(library, data_dir=sample_data)}
    assert comparisons["help_requests_total"].change is None


def test_images_of_charts_that_mix_stocks_and_flows_say_so(sample_data: Path):
    from einclusie.exports import files
    from einclusie.figures.status import data_status

    status = data_status(sample_data)
    fetch = catalogue.direct(sample_data)
    for build in (catalogue.devices_per_way, catalogue.devices_per_type):
        chart = build(Y2022, fetch)
        context = files.context(chart.title, Y2022, status, chart.note)
        subtitle = files.printable(chart, context).layout.title.subtitle.text
        assert "stand op de laatste dag" in subtitle, chart.key
        assert "Bron: e-inclusie Gent" in subtitle
        assert ["Let op", chart.note] in context.preamble()  # and in CSV and XLSX


def test_under_a_wijk_filter_chart_files_keep_city_wide_parts_and_say_why(sample_data: Path):
    ledeberg = Selection.year(2022, ("Ledeberg",))
    chart = catalogue.devices_per_way(ledeberg, catalogue.direct(sample_data))
    pool = chart.frame.set_index("manier").loc["Uitleenpool"]
    assert pd.isna(pool["aantal"]) and pool["opmerking"] == CITY_WIDE_NOTE
    assert FIGURES["devices_lending_pool"].label in chart.note
    monthly = catalogue.help_requests_monthly(ledeberg, catalogue.direct(sample_data))
    assert FIGURES["help_requests_internal"].label in monthly.note


# --- the command line ------------------------------------------------------------------------


def test_figures_json_gives_every_published_figure_of_2022(sample_data: Path, capsys):
    published = json.loads((PROJECT / "data/reference/kpi-2022.json").read_text("utf-8"))
    assert cli(["figures", "--year", "2022", "--data", str(sample_data), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"headline", "programme"}
    assert printed["headline"] == published["headline"]
    aliases = {name: (f.key, part) for f in FIGURES.values() for name, part in f.published.items()}
    for key, expected in published["programme"].items():
        if key in aliases:
            figure_key, part = aliases[key]
            assert printed["programme"][figure_key][part] == expected, key
        else:
            assert printed["programme"][key] == expected, key
    assert set(printed["programme"]) == set(PROGRAMME_KEYS)
