"""The KPI layer on the shipped sample: the published 2022 figures and the contract's identities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from einclusie.kpis import CITY_WIDE_NOTE, KPIS, PARTLY_NOTE, UnknownWijkError, headline_kpis
from einclusie.programmes import programme_figures
from einclusie.selection import Selection
from etl.cli import main as cli
from tests.conftest import LOCAL_KPIS, PROJECT, PUBLISHED

WIJKEN = [
    line.split(";")[1]
    for line in (PROJECT / "data/reference/wijken.csv").read_text(encoding="utf-8").splitlines()[1:]
]
YEARS = [2021, 2022, 2023]
LOCAL = LOCAL_KPIS
CITY_WIDE = ["help_requests_internal", "devices_lending_pool"]


def values(year: int, wijken: list[str], data: Path) -> dict[str, int]:
    return {k.key: k.value for k in headline_kpis(year, wijken, data_dir=data)}


def test_2022_reproduces_the_published_headline(sample_data: Path):
    assert values(2022, [], sample_data) == PUBLISHED["headline"]


def test_2022_reproduces_the_published_programme_figures(sample_data: Path):
    figures = programme_figures(Selection.year(2022), data_dir=sample_data)
    by_key = {
        (row.sleutel, row.onderdeel if isinstance(row.onderdeel, str) else None): row.waarde
        for row in figures.itertuples()
    }
    by_key[("digibank_de_serre_devices_lent", None)] = by_key[
        ("digibank_devices_lent", "Digibank De Serre")
    ]
    by_key[("digibank_uconnect_devices_lent", None)] = by_key[
        ("digibank_devices_lent", "Digibank U-Connect")
    ]
    by_key[("digibank_uconnect_workshops", None)] = by_key[
        ("digibank_workshops", "Digibank U-Connect")
    ]
    got = {key: by_key.get((key, None)) for key in PUBLISHED["programme"]}
    assert got == PUBLISHED["programme"]


def test_2021_help_requests_are_about_half_of_2022(sample_data: Path):
    published = PUBLISHED["approximate"]["digipunten_help_requests_2021"]
    got = values(2021, [], sample_data)["help_requests_digipunten"]
    assert abs(got - published) / published < 0.05


@pytest.mark.parametrize("year", YEARS)
def test_identities_hold_for_the_city_and_every_single_wijk(sample_data: Path, year: int):
    for wijken in [[], *[[w] for w in WIJKEN]]:
        v = values(year, wijken, sample_data)
        assert v["help_requests_total"] == (
            v["help_requests_digipunten"]
            + v["help_requests_digibank"]
            + v["help_requests_at_home"]
            + v["help_requests_internal"]
        ), wijken
        assert v["devices_total"] == (
            v["devices_public_computers"]
            + v["devices_lending_pool"]
            + v["devices_donated"]
            + v["devices_lent"]
        ), wijken


@pytest.mark.parametrize("year", YEARS)
def test_the_wijken_add_up_to_the_city_and_city_wide_rows_stay_out(sample_data: Path, year: int):
    city = values(year, [], sample_data)
    per_wijk = [values(year, [w], sample_data) for w in WIJKEN]
    for key in LOCAL:
        assert sum(v[key] for v in per_wijk) == city[key], key
    for key in CITY_WIDE:
        assert city[key] > 0 and all(v[key] == 0 for v in per_wijk), key
    two = values(year, WIJKEN[:2], sample_data)
    for key in LOCAL:
        assert two[key] == per_wijk[0][key] + per_wijk[1][key], key


def test_a_wijk_filter_says_which_figures_are_city_wide(sample_data: Path):
    notes = {k.key: k.note for k in headline_kpis(2022, ["Ledeberg"], data_dir=sample_data)}
    assert {k for k, note in notes.items() if note == CITY_WIDE_NOTE} == set(CITY_WIDE)
    assert {k for k, note in notes.items() if note == PARTLY_NOTE} == {
        "help_requests_total",
        "devices_total",
    }
    assert not any(k.note for k in headline_kpis(2022, data_dir=sample_data))


def test_wijk_names_match_case_insensitively_and_unknown_ones_are_refused(sample_data: Path):
    assert values(2022, ["ledeberg "], sample_data) == values(2022, ["Ledeberg"], sample_data)
    with pytest.raises(UnknownWijkError, match="Onbekende wijk: Atlantis"):
        headline_kpis(2022, ["Atlantis"], data_dir=sample_data)


def test_every_kpi_has_a_dutch_label_and_definition():
    assert [k.key for k in KPIS] and {k.key for k in KPIS} == set(PUBLISHED["headline"])
    for kpi in KPIS:
        assert len(kpi.label) > 10 and len(kpi.definition) > 40, kpi.key


def test_the_command_line_prints_the_twelve_figures(sample_data: Path, capsys):
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == PUBLISHED["headline"]
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data)]) == 0
    printed = capsys.readouterr().out
    assert "Digitale hulpvragen beantwoord" in printed and "11.877" in printed
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data), "--wijk", "Atlantis"]) == 2
    assert "Onbekende wijk" in capsys.readouterr().err
