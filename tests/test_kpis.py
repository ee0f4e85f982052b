"""The KPI layer on the shipped sample: the published 2022 figures and the contract's identities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from einclusie.figures.registry import CITY_WIDE_NOTE, HEADLINE, PARTLY_NOTE
from einclusie.figures.values import UnknownWijkError, headline_kpis
from etl.cli import main as cli
from tests.conftest import PROJECT, PUBLISHED

WIJKEN = [
    line.split(";")[1]
    for line in (PROJECT / "data/reference/wijken.csv").read_text(encoding="utf-8").splitlines()[1:]
]
CITY_WIDE = ["help_requests_internal", "devices_lending_pool"]


def values(year: int, wijken: list[str], data: Path) -> dict[str, int]:
    return {k.key: k.value for k in headline_kpis(year, wijken, data_dir=data)}


def test_2022_reproduces_the_published_headline(sample_data: Path):
    assert values(2022, [], sample_data) == PUBLISHED["headline"]


def test_2021_help_requests_are_about_half_of_2022(sample_data: Path):
    published = PUBLISHED["approximate"]["digipunten_help_requests_2021"]
    got = values(2021, [], sample_data)["help_requests_digipunten"]
    assert abs(got - published) / published < 0.05


def test_a_wijk_filter_says_which_figures_are_city_wide(sample_data: Path):
    notes = {k.key: k.note for k in headline_kpis(2022, ["Ledeberg"], data_dir=sample_data)}
    assert {k for k, note in notes.items() if note == CITY_WIDE_NOTE} == set(CITY_WIDE)
    values = {k.key: k.value for k in headline_kpis(2022, ["Ledeberg"], data_dir=sample_data)}
    assert {k for k, v in values.items() if v is None} == set(CITY_WIDE)
    assert {k for k, note in notes.items() if note == PARTLY_NOTE} == {
        "help_requests_total",
        "devices_total",
        # Allemaal Digitaal's training and training without a location count city-wide
        "people_trained",
        "professionals_coached",
    }
    assert not any(k.note for k in headline_kpis(2022, data_dir=sample_data))


def test_wijk_names_match_case_insensitively_and_unknown_ones_are_refused(sample_data: Path):
    assert values(2022, ["ledeberg "], sample_data) == values(2022, ["Ledeberg"], sample_data)
    with pytest.raises(UnknownWijkError, match="Onbekende wijk: Atlantis"):
        headline_kpis(2022, ["Atlantis"], data_dir=sample_data)


def test_every_kpi_has_a_dutch_label_and_definition():
    assert {k.key for k in HEADLINE} == set(PUBLISHED["headline"])
    for kpi in HEADLINE:
        assert len(kpi.label) > 10 and len(kpi.definition) > 40, kpi.key


def test_the_command_line_prints_the_twelve_figures(sample_data: Path, capsys):
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == PUBLISHED["headline"]
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data)]) == 0
    printed = capsys.readouterr().out
    assert "Digitale hulpvragen beantwoord" in printed and "11.877" in printed
    assert cli(["kpis", "--year", "2022", "--data", str(sample_data), "--wijk", "Atlantis"]) == 2
    assert "Onbekende wijk" in capsys.readouterr().err
