"""The app before any load: it says how to load the data instead of failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT

PUBLISHED = json.loads((PROJECT / "data/reference/kpi-2022.json").read_text(encoding="utf-8"))


@pytest.fixture
def app(sample_data: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)


def test_without_data_the_app_says_how_to_load_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EINCLUSIE_DATA", str(tmp_path / "leeg"))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "python -m etl load" in app.warning[0].value
