"""The dashboard's query functions on the shipped sample: what a user would check by hand.

Every chart must add up to its card, list every category (month, wijk, vraagtype) even when
it is empty, and follow the same selection as the KPI layer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from einclusie.figures import queries as q
from einclusie.figures.db import database
from einclusie.figures.registry import CITY_WIDE_NOTE, FIGURES, HEADLINE_KEYS, Kind
from einclusie.figures.selection import Selection
from einclusie.figures.values import kpi_values
from etl.sources import SOURCES
from tests.conftest import LOCAL_KPIS, PUBLISHED, load, put

HEADLINE = PUBLISHED["headline"]
PROGRAMME = PUBLISHED["programme"]
Y2022 = Selection.year(2022)
DIGIPUNT, AT_HOME = HEADLINE["help_requests_digipunten"], HEADLINE["help_requests_at_home"]
STOCKS = [k for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.STOCK]
FLOWS = [k for k in HEADLINE_KEYS if FIGURES[k].kind is Kind.FLOW]
LOCAL = LOCAL_KPIS
MONTHS_2022 = list(pd.date_range("2022-01-01", "2022-12-01", freq="MS"))


def cards(selection: Selection, data: Path) -> dict[str, int]:
    return {k.key: k.value for k in kpi_values(selection, data_dir=data)}


# --- over time ------------------------------------------------------------------------------


def test_months_are_clipped_to_a_period_and_end_on_the_card(sample_data: Path):
    selection = Selection(dt.date(2022, 3, 15), dt.date(2022, 6, 10), ("Ledeberg",))
    monthly = q.kpi_monthly(selection, FLOWS + STOCKS, data_dir=sample_data)
    assert sorted(monthly["maand"].unique()) == list(
        pd.date_range("2022-03-01", "2022-06-01", freq="MS")
    )
    expected = cards(selection, sample_data)
    sums = monthly.groupby("figuur")["waarde"].sum()
    last = monthly[monthly["maand"] == pd.Timestamp("2022-06-01")].set_index("figuur")["waarde"]
    for key in FLOWS:
        if expected[key] is None:  # city-wide: no series for a wijk
            assert key not in sums.index, key
        else:
            assert sums[key] == expected[key], key
    for key in STOCKS:
        if expected[key] is None:
            assert key not in last.index, key
        else:
            assert last[key] == expected[key], key
    some = q.kpi_monthly(selection, ["people_trained"], data_dir=sample_data)
    assert set(some["figuur"]) == {"people_trained"} and len(some) == 4
    with pytest.raises(ValueError, match="Onbekend cijfer"):
        q.kpi_monthly(selection, ["bezoekers"], data_dir=sample_data)


def test_the_years_are_those_of_the_data_whatever_the_period(sample_data: Path):
    yearly = q.kpi_yearly(Selection.year(2021), HEADLINE_KEYS, data_dir=sample_data)
    assert list(yearly.columns) == ["figuur", "jaar", "waarde"]
    assert sorted(yearly["jaar"].unique()) == [2021, 2022, 2023]
    for year in (2021, 2022, 2023):
        got = yearly[yearly["jaar"] == year].set_index("figuur")["waarde"].to_dict()
        assert got == cards(Selection.year(year), sample_data), year
    assert (
        yearly.set_index(["figuur", "jaar"]).loc[("devices_total", 2022), "waarde"]
        == HEADLINE["devices_total"]
    )
    # The wijken still filter: a city-wide KPI is 0 for a wijk, a local one follows the card.
    ledeberg = Selection.year(2022, ("Ledeberg",))
    local = q.kpi_yearly(ledeberg, STOCKS, data_dir=sample_data).set_index(["figuur", "jaar"])
    assert ("devices_lending_pool", 2023) not in local.index  # no value for a wijk
    assert (
        local.loc[("devices_public_computers", 2022), "waarde"]
        == cards(ledeberg, sample_data)["devices_public_computers"]
    )


# --- help requests --------------------------------------------------------------------------


def test_help_requests_by_programme_are_the_four_published_components(sample_data: Path):
    got = q.help_requests_by(Y2022, "programma", data_dir=sample_data).drop(columns="opmerking")
    assert got.to_dict("list") == {
        "programma": ["Digipunten", "Digibank", "Aan huis", "Allemaal Digitaal (intern)"],
        "aantal": [
            HEADLINE["help_requests_digipunten"],
            HEADLINE["help_requests_digibank"],
            HEADLINE["help_requests_at_home"],
            HEADLINE["help_requests_internal"],
        ],
    }
    assert got["aantal"].sum() == HEADLINE["help_requests_total"]


def test_vraagtype_shares_are_those_of_the_annual_report(sample_data: Path):
    on_site = q.help_requests_by(Y2022, "vraagtype", data_dir=sample_data, kanaal="Digipunt")
    shares = on_site.set_index("vraagtype")["aantal"] / on_site["aantal"].sum()
    assert on_site["aantal"].sum() == DIGIPUNT
    assert (
        round(100 * shares["Technische hulp"]) == PROGRAMME["digipunten_share_technical_help_pct"]
    )
    assert round(100 * shares["Digitale diensten"]) == 26
    # The same figures straight from the staging view.
    check = database(sample_data).execute(
        "select vraagtype, count(*) as n from stg_digipunten "
        "where kanaal = 'Digipunt' and year(datum) = 2022 group by vraagtype"
    )
    assert on_site.set_index("vraagtype")["aantal"].to_dict() == dict(
        zip(check["vraagtype"], check["n"], strict=True)
    )
    # Without a kanaal: both kanalen, as the two KPIs count them.
    both = q.help_requests_by(Y2022, "kanaal", data_dir=sample_data)
    assert both.to_dict("list") == {
        "kanaal": ["Digipunt", "Aan huis"],
        "aantal": [DIGIPUNT, AT_HOME],
    }
    assert (
        q.help_requests_by(Y2022, "vraagtype", data_dir=sample_data)["aantal"].sum()
        == DIGIPUNT + AT_HOME
    )


def test_every_category_is_there_even_without_help_requests(sample_data: Path):
    empty = Selection.year(2016)
    vraagtype = q.help_requests_by(empty, "vraagtype", data_dir=sample_data)
    assert list(vraagtype["vraagtype"]) == [
        "Technische hulp",
        "Digitale diensten",
        "Communicatie",
        "Werk en opleiding",
        "Andere",
    ]
    assert (vraagtype["aantal"] == 0).all()
    ages = q.help_requests_by(Y2022, "leeftijdsgroep", data_dir=sample_data)
    assert list(ages["leeftijdsgroep"]) == ["-18", "18-34", "35-54", "55-64", "65+", "onbekend"]
    assert ages["aantal"].sum() == DIGIPUNT + AT_HOME
    ages = q.help_requests_by(empty, "leeftijdsgroep", data_dir=sample_data)
    assert len(ages) == 6 and (ages["aantal"] == 0).all()


def test_the_busiest_locations_of_the_digipunten(sample_data: Path):
    located = q.help_requests_by(Y2022, "locatie", data_dir=sample_data, limit=5)
    assert list(located.columns) == ["locatie", "wijk", "aantal"]
    assert len(located) == 5 and located["aantal"].is_monotonic_decreasing
    assert located.iloc[0][["locatie", "wijk"]].tolist() == ["Bibliotheek De Krook", "Binnenstad"]
    assert len(q.help_requests_by(Y2022, "locatie", data_dir=sample_data)) == 15
    every = q.help_requests_by(Y2022, "locatie", data_dir=sample_data, limit=None)
    assert every["aantal"].sum() == DIGIPUNT + AT_HOME
    on_site = q.help_requests_by(
        Y2022, "locatie", data_dir=sample_data, kanaal="Digipunt", limit=None
    )
    assert on_site["aantal"].sum() == DIGIPUNT
    library = on_site[on_site["locatie"].str.startswith("Bibliotheek")]["aantal"].sum()
    assert library == PROGRAMME["library_digipunt_questions"]
    ledeberg = q.help_requests_by(
        Selection.year(2022, ("Ledeberg",)), "locatie", data_dir=sample_data
    )
    assert set(ledeberg["wijk"]) == {"Ledeberg"}
    with pytest.raises(ValueError, match="Onbekende indeling"):
        q.help_requests_by(Y2022, "stadsdeel", data_dir=sample_data)
    with pytest.raises(ValueError, match="Onbekend kanaal"):
        q.help_requests_by(Y2022, "vraagtype", data_dir=sample_data, kanaal="Telefonisch")


def test_help_requests_per_month_stack_to_the_total(sample_data: Path):
    monthly = q.help_requests_monthly_by_programme(Y2022, data_dir=sample_data)
    assert list(monthly.columns) == ["maand", "programma", "aantal", "soort"]
    assert len(monthly) == 12 * 4
    assert list(monthly["programma"].iloc[:4]) == list(q.HELP_REQUEST_PARTS.values())
    assert monthly["aantal"].sum() == HEADLINE["help_requests_total"]
    assert (
        monthly.groupby("programma")["aantal"].sum()["Allemaal Digitaal (intern)"]
        == HEADLINE["help_requests_internal"]
    )


# --- devices --------------------------------------------------------------------------------


def test_devices_by_way_make_the_devices_total(sample_data: Path):
    ways = q.devices_by_way(Y2022, data_dir=sample_data)
    assert ways.to_dict("list") == {
        "manier": ["Publieke computers", "Uitleenpool", "Geschonken", "Uitgeleend"],
        "aantal": [HEADLINE[k] for k in q.DEVICE_WAYS],
        "soort": ["stand op de laatste dag"] * 2 + ["aantal in de periode"] * 2,
        "opmerking": [""] * 4,
    }
    assert ways["aantal"].sum() == HEADLINE["devices_total"]


def test_a_wijk_filter_changes_the_devices_and_a_wijk_without_digibank_donates_none(
    sample_data: Path,
):
    binnenstad = q.devices_by_way(Selection.year(2022, ("Binnenstad",)), data_dir=sample_data)
    got = binnenstad.set_index("manier")["aantal"]
    assert got["Geschonken"] == 0 and got["Uitgeleend"] == 0
    # The lending service counts for the whole city only: its row stays, empty, with the note.
    assert pd.isna(got["Uitleenpool"])
    assert binnenstad.set_index("manier")["opmerking"]["Uitleenpool"] == CITY_WIDE_NOTE
    assert 0 < got["Publieke computers"] < HEADLINE["devices_public_computers"]
    noord = q.devices_by_way(
        Selection.year(2022, ("Sluizeken - Tolhuis - Ham",)), data_dir=sample_data
    )
    assert 0 < noord.set_index("manier")["aantal"]["Geschonken"] < HEADLINE["devices_donated"]


def test_devices_by_type_add_up_to_each_way(sample_data: Path):
    types = q.devices_by_type(Y2022, data_dir=sample_data)
    assert list(types.columns) == ["manier", "toesteltype", "aantal"]
    per_way = types.groupby("manier", sort=False)["aantal"].sum()
    assert per_way.to_dict() == {
        "Publieke computers": HEADLINE["devices_public_computers"],
        "Uitleenpool": HEADLINE["devices_lending_pool"],
        "Geschonken": HEADLINE["devices_donated"],
        "Uitgeleend": HEADLINE["devices_lent"],
    }
    pool = types[types["manier"] == "Uitleenpool"].set_index("toesteltype")["aantal"]
    assert pool.to_dict() == {
        "Laptop": PROGRAMME["uitleendienst_laptops"],
        "Tablet": PROGRAMME["uitleendienst_tablets"],
        "Educatieve robot": PROGRAMME["uitleendienst_robots"],
    }


def test_devices_per_month_end_on_the_stock_and_sum_the_flows(sample_data: Path):
    monthly = q.devices_monthly(Y2022, data_dir=sample_data)
    assert list(monthly.columns) == ["maand", "manier", "aantal", "soort"]
    assert len(monthly) == 12 * 4
    december = monthly[monthly["maand"] == pd.Timestamp("2022-12-01")]
    assert december.set_index("manier")["aantal"][
        ["Publieke computers", "Uitleenpool"]
    ].tolist() == [
        HEADLINE["devices_public_computers"],
        HEADLINE["devices_lending_pool"],
    ]
    sums = monthly.groupby("manier")["aantal"].sum()
    assert (sums["Geschonken"], sums["Uitgeleend"]) == (
        HEADLINE["devices_donated"],
        HEADLINE["devices_lent"],
    )


def test_lending_by_organisation_adds_up_and_is_empty_for_a_wijk(sample_data: Path):
    lending = q.lending_by_organisation(Y2022, data_dir=sample_data)
    assert list(lending.columns) == ["organisatie", "ontleningen", "toestellen"]
    assert lending["ontleningen"].sum() == PROGRAMME["uitleendienst_loans"]
    assert lending["toestellen"].sum() == PROGRAMME["uitleendienst_devices_lent_to_organisations"]
    assert len(lending) <= 16
    assert lending["toestellen"].iloc[:-1].is_monotonic_decreasing
    three = q.lending_by_organisation(Y2022, data_dir=sample_data, limit=3)
    assert len(three) == 4 and three["organisatie"].iloc[-1].startswith("Andere organisaties (")
    assert three["toestellen"].sum() == PROGRAMME["uitleendienst_devices_lent_to_organisations"]
    assert q.lending_by_organisation(
        Selection.year(2022, ("Ledeberg",)), data_dir=sample_data
    ).empty


# --- training -------------------------------------------------------------------------------


def test_training_by_programme_makes_the_two_training_figures(sample_data: Path):
    training = q.training_by_programme(Y2022, data_dir=sample_data)
    assert list(training.columns) == ["doelgroep", "programma", "onderdeel", "deelnemers"]
    per_group = training.groupby("doelgroep")["deelnemers"].sum()
    assert per_group.to_dict() == {
        "Burgers": HEADLINE["people_trained"],
        "Professionals": HEADLINE["professionals_coached"],
    }
    assert set(training["programma"]) == {
        "Digibanken",
        "Allemaal Digitaal",
        "Bibliotheek",
        "Vorming",
    }
    library = training[training["programma"] == "Bibliotheek"]
    assert library["deelnemers"].sum() == PROGRAMME["library_participants_total"]
    assert "Surfsessies" not in set(library["onderdeel"])
    vorming = training[(training["doelgroep"] == "Burgers") & (training["programma"] == "Vorming")]
    assert vorming["deelnemers"].sum() == 2222  # data/raw/README.md: `vorming` for citizens


def test_training_per_month(sample_data: Path):
    monthly = q.training_monthly(Y2022, data_dir=sample_data)
    assert list(monthly.columns) == ["maand", "doelgroep", "deelnemers", "soort"]
    assert len(monthly) == 24
    assert monthly.groupby("doelgroep")["deelnemers"].sum().to_dict() == {
        "Burgers": HEADLINE["people_trained"],
        "Professionals": HEADLINE["professionals_coached"],
    }


# --- per wijk -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", LOCAL)
def test_the_25_wijken_add_up_to_the_city(sample_data: Path, key: str):
    # The selection's own wijken are ignored: the map always shows all 25.
    by_wijk = q.kpi_by_wijk(Selection.year(2022, ("Ledeberg",)), key, data_dir=sample_data)
    assert list(by_wijk.columns) == ["wijknr", "wijk", "waarde", "aandeel"]
    assert list(by_wijk["wijknr"]) == list(range(1, 26))
    assert by_wijk["waarde"].sum() == HEADLINE[key]


def test_city_wide_kpis_have_no_values_per_wijk(sample_data: Path):
    with pytest.raises(ValueError, match="geen waarden per wijk"):
        q.kpi_by_wijk(Y2022, "help_requests_internal", data_dir=sample_data)
    help_total = q.kpi_by_wijk(Y2022, "help_requests_total", data_dir=sample_data)
    assert (
        help_total["waarde"].sum()
        == HEADLINE["help_requests_total"] - HEADLINE["help_requests_internal"]
    )
    ledeberg = help_total.set_index("wijk")["waarde"]["Ledeberg"]
    assert (
        ledeberg == cards(Selection.year(2022, ("Ledeberg",)), sample_data)["help_requests_total"]
    )
    with pytest.raises(ValueError, match="Onbekend cijfer"):
        q.kpi_by_wijk(Y2022, "bezoekers", data_dir=sample_data)


def test_the_programme_filter_applies_everywhere(sample_data: Path):
    library = Selection.year(2022, programmes=("Bibliotheek",))
    assert q.help_requests_by(library, "programma", data_dir=sample_data)["aantal"].sum() == 0
    training = q.training_by_programme(library, data_dir=sample_data)
    assert set(training["programma"]) == {"Bibliotheek"}
    assert training["deelnemers"].sum() == PROGRAMME["library_participants_total"]
    digipunten = Selection.year(2022, programmes=("Digipunten",))
    by_wijk = q.kpi_by_wijk(digipunten, "devices_total", data_dir=sample_data)
    assert (
        by_wijk["waarde"].sum() == HEADLINE["devices_public_computers"]
    )  # only the public computers are Digipunten's


# --- the loads ------------------------------------------------------------------------------


def test_the_data_overview_shows_each_source_of_the_last_load(sample_data: Path):
    overview = q.data_overview(data_dir=sample_data)
    assert list(overview.columns) == [
        "bron",
        "nieuwste_datum",
        "laatste_lading",
        "bestanden",
        "rijen_gelezen",
        "rijen_geladen",
        "rijen_quarantaine",
        "bestanden_geweigerd",
    ]
    assert list(overview["bron"]) == [
        "digipunten",
        "digibanken",
        "allemaal_digitaal",
        "bibliotheek",
        "uitleendienst",
        "vorming",
    ]
    assert overview["rijen_quarantaine"].sum() == 36
    assert overview["bestanden"].sum() == 71 and overview["bestanden_geweigerd"].sum() == 0
    assert (
        overview["rijen_gelezen"] == overview["rijen_geladen"] + overview["rijen_quarantaine"]
    ).all()
    newest = overview.set_index("bron")["nieuwste_datum"]
    assert newest["uitleendienst"] == pd.Timestamp("2023-12-31")
    assert overview["laatste_lading"].notna().all()


def test_the_quarantined_rows_with_their_reasons(sample_data: Path):
    rows = q.quarantined_rows(data_dir=sample_data)
    assert tuple(rows.columns[: len(q.QUARANTINE_COLUMNS)]) == q.QUARANTINE_COLUMNS
    assert len(rows) == 36 and rows["nieuw"].all()  # one load: every file is new in it
    assert rows["reden"].str.len().gt(5).all()
    # The values as the file holds them, a column per field of the contract; none in JSON.
    values = rows.columns[len(q.QUARANTINE_COLUMNS) :]
    assert {"datum", "kanaal", "stadsdienst", "deelnemers"} <= set(values)
    assert not rows[values].astype(str).apply(lambda c: c.str.startswith("{")).any().any()
    assert rows.equals(rows.sort_values(["bron", "bestand", "rij"]).reset_index(drop=True))
    future = rows.set_index("id").loc["HV-2022-09474"]
    assert future["bestand"] == "digipunten/2022-07.csv" and "2031-07-12" in future["reden"]
    assert future["datum"] == "2031-07-12" and pd.isna(future["deelnemers"])
    vorming = q.quarantined_rows(data_dir=sample_data, source="vorming")
    assert len(vorming) == 6 and set(vorming["bron"]) == {"vorming"}
    assert "kanaal" not in vorming.columns  # only the columns with a value in these rows
    page = q.quarantined_rows(data_dir=sample_data, limit=10, offset=30)
    assert page["id"].tolist() == rows["id"].iloc[30:].tolist()
    files = q.quarantine_files(data_dir=sample_data)
    assert files["rijen"].sum() == 36 and files["nieuw"].all()
    with pytest.raises(ValueError, match="Onbekende bron"):
        q.quarantined_rows(data_dir=sample_data, source="excel")


def test_the_rows_a_later_export_replaced_per_file(sample_data: Path):
    files = q.replaced_files(data_dir=sample_data)
    assert files.to_dict("records") == [
        {
            "bron": "digipunten",
            "bestand": "digipunten/2022-05.csv",
            "rijen": 30,
            "vervangen_door": "digipunten/2022-05_herzien.csv",
        }
    ]
    rows = q.replaced_rows(data_dir=sample_data, file="digipunten/2022-05.csv")
    assert len(rows) == 30 and rows["id"].is_unique and rows["rij"].is_monotonic_increasing
    assert set(rows["vervangen_door"]) == {"digipunten/2022-05_herzien.csv"}
    assert len(q.replaced_rows(data_dir=sample_data, limit=5)) == 5


def test_failed_expectations_and_no_refused_files_in_the_sample(sample_data: Path):
    failed = q.failed_expectations(data_dir=sample_data)
    assert list(failed.columns) == ["bron", "verwachting", "kolom", "reden", "afwijkende_rijen"]
    assert set(failed["bron"]) == set(SOURCES)
    assert (failed["afwijkende_rijen"] > 0).all()
    assert not failed["reden"].str.contains("{waarde}", regex=False).any()
    kanaal = failed[(failed["bron"] == "digipunten") & (failed["kolom"] == "kanaal")]
    assert kanaal["afwijkende_rijen"].tolist() == [1]  # 'Telefonisch'
    refused = q.refused_files(data_dir=sample_data)
    assert list(refused.columns) == ["bestand", "melding"] and refused.empty


def test_a_refused_file_is_listed_with_its_message(raw: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "out"
    put(
        raw,
        "digipunten/2022-01.csv",
        "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\nok1;01/01/2022;DP01;Digipunt;Andere;\n",
    )
    put(raw, "digipunten/2022-02.csv", b"")
    load(raw, reference, out)
    refused = q.refused_files(data_dir=out)
    assert refused["bestand"].tolist() == ["digipunten/2022-02.csv"]
    assert refused["melding"].iloc[0]
    overview = q.data_overview(data_dir=out).set_index("bron")
    assert overview.loc["digipunten", ["bestanden", "bestanden_geweigerd"]].tolist() == [2, 1]
    assert overview.loc["vorming", "bestanden"] == 0
    assert overview.loc["digipunten", "nieuwste_datum"] == pd.Timestamp("2022-01-01")
    assert q.quarantined_rows(data_dir=out).empty


def test_a_total_adds_up_its_parts_facts_exactly_as_its_own_sql_sums_its_rows(
    sample_data: Path,
):
    from einclusie.figures.db import FACT_COLUMNS, sums_its_parts, view_name

    con = database(sample_data)._con
    totals = [key for key, item in FIGURES.items() if sums_its_parts(item)]
    assert totals == ["help_requests_total", "devices_total"]
    for key in totals:
        stored = con.execute(f"select * from facts where figuur = '{key}' order by all").df()
        summed = con.execute(
            f"select '{key}' as figuur, datum, wijk, programma, onderdeel, soort, "
            f"sum(waarde) as waarde, count(*) as bijdragen "
            f"from (select {FACT_COLUMNS} from {view_name(key)}) group by all order by all"
        ).df()
        assert len(stored) > 0
        pd.testing.assert_frame_equal(stored, summed)


def test_a_quick_look_at_a_version_is_only_for_whoever_looks(sample_data: Path):
    import threading

    from einclusie.figures.db import current_version, forget_version, looking_at

    version = current_version(sample_data)
    forget_version(version)  # as a server that has not opened the loaded version yet
    seen = {}
    with looking_at(version, ["help_requests_total"]):
        quick = database(sample_data)
        page = threading.Thread(target=lambda: seen.update(db=database(sample_data)))
        page.start()
        page.join()
    facts = "select distinct figuur from facts"
    assert set(quick.execute(facts)["figuur"]) == {
        "help_requests_total",
        *FIGURES["help_requests_total"].parts,
    }
    assert set(seen["db"].execute(facts)["figuur"]) == set(FIGURES)  # a page's: every figure
    assert database(sample_data) is seen["db"]  # the quick look is gone with its block


def test_a_version_summed_from_the_one_before_and_its_changed_parts_equals_one_summed_whole(
    tmp_path: Path,
):
    """A month added; then that month's rows corrected (its part written again) and a new
    file of another source: every figure's facts, the days with data and the coverage summed
    from the version before and the parts that changed equal those summed from all rows. A
    correction of rows in the first, large part is summed from all rows (as costly)."""
    import shutil

    from einclusie.figures.db import Database, adds_up_per_row, sums_its_parts

    project = Path(__file__).resolve().parent.parent
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(project / "data" / "raw", raw)
    reference = project / "data" / "reference"
    load(raw, reference, out)
    header = "ID;Datum;Kanaal;Vraagtype;Locatie;Leeftijdsgroep;Opmerking\n"
    steps = [
        (
            {
                "digipunten/2024-01.csv": header
                + "NIEUW-1;02-01-2024;Digipunt;Technische hulp;Bibliotheek De Krook;65+;\n"
                + "NIEUW-2;03-01-2024;Aan huis;Communicatie;Bibliotheek De Krook;;\n"
                + "NIEUW-3;04-01-2024;Digipunt;Andere;Bibliotheek De Krook;;\n"
            },
            True,
        ),
        (  # two of January's rows corrected (one id in lower case)
            {
                "digipunten/2024-01-correctie.csv": header
                + "nieuw-1;05-01-2024;Aan huis;Communicatie;Bibliotheek De Krook;65+;\n"
                + "NIEUW-2;06-02-2024;Digipunt;Andere;Bibliotheek De Krook;;\n",
            },
            True,
        ),
        (  # a vorming session: a table the devices' figures do not read
            {
                "vorming/2024.csv": "id;Datum;Doelgroep;Programma;Titel;Deelnemers;Locatie\n"
                "VM-2024-00001;2024-01-09;Burger;Lokale Dienstencentra;ICT-opleiding;7;"
                "LDC Gentbrugge\n",
            },
            True,
        ),
        (  # a December row corrected: the first part, with most rows, is written again
            {
                "digipunten/2024-02.csv": header
                + "HV-2023-09576;07-02-2024;Aan huis;Communicatie;Bibliotheek De Krook;;\n"
            },
            False,
        ),
    ]
    queries = {
        "facts": "select * replace (cast(waarde as bigint) as waarde) from facts order by all",
        **{
            name: f"select * from {name} order by all"
            for name in ("source_days", "coverage", "figure_programmes", "data_years")
        },
    }
    assert all(adds_up_per_row(key) for key in FIGURES)  # else: summed from its rows
    each = {k for k, item in FIGURES.items() if not sums_its_parts(item)}
    for files, from_before in steps:
        before = Database((out / "current").resolve())
        for name, text in files.items():
            put(raw, name, text)
        assert load(raw, reference, out).changed
        version = (out / "current").resolve()
        whole, derived = Database(version), Database(version, since=before)
        assert set(derived.derived) == (each if from_before else set())
        for name, sql in queries.items():
            pd.testing.assert_frame_equal(derived.execute(sql), whole.execute(sql), obj=name)
        # A quick look at figures whose days with data come from every export's table (the
        # register's computers belong to the Digipunten), summed from a quick look: the days
        # of a table they do not read count too.
        devices = ["devices_total"]
        quick = Database(version, devices, since=Database(before.version_dir, devices))
        alone = Database(version, devices)
        for name in ("coverage", "figure_programmes"):
            sql = queries[name]
            pd.testing.assert_frame_equal(quick.execute(sql), alone.execute(sql), obj=name)


def test_sql_that_may_combine_rows_is_summed_from_its_rows():
    from einclusie.figures.db import combines_rows

    for sql in (
        "select datum, count(*) as waarde from stg_digipunten group by datum",
        "select distinct datum, 1 as waarde from stg_digipunten",
        "select datum from stg_digipunten union select datum from stg_vorming",
        "select datum, row_number() over (order by datum) from stg_vorming",
        "select datum from stg_vorming where id in (select id from stg_vorming where x)",
        "select v.datum from vorming v join digibanken d using (id)",
        "select a.datum from stg_vorming a join stg_vorming b using (id)",
        "select a.datum from vorming a, digibanken b",
        "select l.naam, d.datum from locaties l left join stg_digipunten d using (locatie_id)",
        "select d.datum from digipunten d full join locaties l using (locatie_id)",
        "select max_by(datum, aantal) from stg_digibanken",
        "select datum from stg_vorming where id not in (from stg_vorming where x)",
        "select datum from stg_vorming using sample 10%",
    ):
        assert combines_rows(sql), sql
    for sql in (
        "select datum, 1 as waarde from stg_digipunten where kanaal = 'Digipunt'",
        "select datum from stg_digipunten union all select datum from stg_vorming",
        "select d.datum, l.type from digipunten d left join locaties l using (locatie_id)",
        "-- a count(*) in a comment\nselect datum from stg_vorming",
    ):
        assert not combines_rows(sql), sql
