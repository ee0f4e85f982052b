"""The minimal app through Streamlit's AppTest, on the shipped sample loaded for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from einclusie.format import format_number
from tests.conftest import PROJECT

PUBLISHED = json.loads((PROJECT / "data/reference/kpi-2022.json").read_text(encoding="utf-8"))


@pytest.fixture
def app(sample_data: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)


def test_the_2022_overview_shows_the_twelve_published_figures_in_dutch(app: AppTest):
    app.run()
    assert not app.exception
    assert app.title[0].value == "2022 in cijfers"
    shown = {m.label: m.value for m in app.metric}
    assert len(shown) == 12
    assert shown["Digitale hulpvragen beantwoord"] == "11.877"
    assert sorted(shown.values()) == sorted(
        format_number(v) for v in PUBLISHED["headline"].values()
    )
    assert any("Voorbeeldgegevens" in i.value for i in app.info)
    assert app.caption[0].value.startswith("Gegevens t.e.m. 31/12/2023 · geladen ")


def test_choosing_another_year_changes_the_figures(app: AppTest):
    app.run()
    app.selectbox(key="jaar").set_value(2021).run()
    assert not app.exception
    assert app.title[0].value == "2021 in cijfers"
    assert {m.label: m.value for m in app.metric}["Digitale hulpvragen beantwoord"] != "11.877"


def test_without_data_the_app_says_how_to_load_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EINCLUSIE_DATA", str(tmp_path / "leeg"))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "python -m etl load" in app.warning[0].value
