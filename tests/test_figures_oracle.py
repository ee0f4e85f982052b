"""Every figure of `python -m etl figures --json` against an independent oracle.

The oracle (`tests/oracle.py`) computes each figure with pandas from the raw CSV exports and the
location register, following the raw-export contract; from the product it takes only the list
of quarantined rows. It is compared with the command line, called in-process, for every year
with data and for the whole city and each of the 25 wijken.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from etl.cli import main as cli
from tests.oracle import REFERENCE, Oracle, read_wijken

PUBLISHED = json.loads((REFERENCE / "kpi-2022.json").read_text(encoding="utf-8"))
YEARS = [2021, 2022, 2023]
WIJKEN = read_wijken(REFERENCE)
# The published per-Digibank figures: (published key, per-part figure, part).
PUBLISHED_PARTS = {
    "digibank_de_serre_devices_lent": ("digibank_devices_lent", "Digibank De Serre"),
    "digibank_uconnect_devices_lent": ("digibank_devices_lent", "Digibank U-Connect"),
    "digibank_uconnect_workshops": ("digibank_workshops", "Digibank U-Connect"),
}


@pytest.fixture(scope="module")
def quarantine(sample_data: Path) -> pd.DataFrame:
    return pd.read_parquet(sample_data / "current" / "quarantaine.parquet")


@pytest.fixture(scope="module")
def oracle(quarantine: pd.DataFrame) -> Oracle:
    return Oracle(quarantine)


def product_figures(year: int, wijk: str | None, data: Path, capsys: pytest.CaptureFixture) -> dict:
    """What `python -m etl figures --year <year> [--wijk <wijk>] --data <data> --json` prints."""
    capsys.readouterr()
    args = ["figures", "--year", str(year), "--data", str(data), "--json"]
    code = cli(args + (["--wijk", wijk] if wijk else []))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def as_published(figures: dict) -> dict:
    """The figures under the key names of kpi-2022.json (the per-Digibank keys from their part)."""
    programme = figures["programme"]
    published = {}
    for key in PUBLISHED["programme"]:
        if key in PUBLISHED_PARTS:
            per_part, part = PUBLISHED_PARTS[key]
            published[key] = (programme.get(per_part) or {}).get(part)
        else:
            published[key] = programme.get(key)
    return {"headline": figures["headline"], "programme": published}


def differences(got: dict, want: dict) -> dict:
    """Per key the product's and the oracle's value where they differ (51.0 is not 51)."""

    def exact(value: object) -> str:
        return json.dumps(value, sort_keys=True)

    return {
        key: {"product": got.get(key, "<missing>"), "oracle": want.get(key, "<missing>")}
        for key in sorted(got.keys() | want.keys())
        if key not in got or key not in want or exact(got[key]) != exact(want[key])
    }


def test_the_oracle_leaves_out_exactly_the_quarantined_rows(
    oracle: Oracle, quarantine: pd.DataFrame
):
    assert len(quarantine) > 0
    assert len(oracle.excluded) == len(quarantine)
    assert sorted(oracle.excluded) == sorted(
        zip(quarantine["bestand"], quarantine["rij"].astype(int), strict=True)
    )


def test_the_oracle_gives_the_published_2022_figures(oracle: Oracle):
    got = as_published(oracle.expected_figures(2022, None))
    assert got["headline"] == PUBLISHED["headline"]
    assert got["programme"] == PUBLISHED["programme"]


def test_the_command_line_gives_the_published_2022_figures(
    sample_data: Path, capsys: pytest.CaptureFixture
):
    got = as_published(product_figures(2022, None, sample_data, capsys))
    assert differences(got["headline"], PUBLISHED["headline"]) == {}
    assert differences(got["programme"], PUBLISHED["programme"]) == {}


@pytest.mark.parametrize("wijk", [None, *WIJKEN], ids=lambda wijk: wijk or "heel Gent")
@pytest.mark.parametrize("year", YEARS)
def test_every_figure_is_the_oracles(
    year: int, wijk: str | None, oracle: Oracle, sample_data: Path, capsys: pytest.CaptureFixture
):
    got = product_figures(year, wijk, sample_data, capsys)
    want = oracle.expected_figures(year, wijk)
    assert sorted(got) == ["headline", "programme"]
    where = f"{year}, {wijk or 'heel Gent'}"
    assert differences(got["headline"], want["headline"]) == {}, f"headline, {where}"
    assert differences(got["programme"], want["programme"]) == {}, f"programme, {where}"
