"""Incremental equals full: a load that reuses the cache of the version before gives exactly
the tables of a load from scratch of the same files, after any sequence of new files,
corrections (ids sent again), deleted files and edited suites (property-based)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import run_load
from etl.validation import EXPECTATIONS_DIR
from tests.conftest import TODAY, make_reference, read_table

HEADER = "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\n"
TRAINING = "id;datum;programma;locatie;titel;doelgroep;deelnemers\n"
IDS = [f"r{n}" for n in range(8)]  # few ids: later files send some of them again
# Kanalen: two the suite allows, one it does not (quarantined), one a suite edit allows.
KANALEN = ["Digipunt", "Aan huis", "Per duif", "Telefoon"]
# The 26th is after TODAY (26/11/2026) only in November 2026: a rule of 'vandaag'.
DATES = ["03/01/2022", "15/06/2023", "27/11/2026", "30/11/2026", "31/02/2022"]

rows = st.lists(
    st.tuples(
        st.sampled_from([*IDS, "R1", "r1"]),  # ids differ in case only: replaced across files
        st.sampled_from(DATES),
        st.sampled_from(KANALEN),
        st.sampled_from(["DP01", "DP02", "Nergens"]),
    ),
    min_size=0,
    max_size=6,
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("digipunten"), rows),
        st.tuples(st.just("vorming"), st.integers(0, 40)),
        st.tuples(st.just("verwijder"), st.integers(0, 10)),
        st.tuples(st.just("suite"), st.booleans()),
    ),
    min_size=1,
    max_size=4,
)

TABLES = ["digipunten", "vorming", "quarantaine", "vervangen", "verwachtingen"]
# What may differ between the two loads: when and how long, and which run it was.
VOLATILE = {"run", "duur_s", "eerst_geladen_run"}


def _digipunten(picked: list[tuple[str, str, str, str]]) -> str:
    return HEADER + "".join(f"{i};{d};{loc};{k};Andere;65+\n" for i, d, k, loc in picked)


def _vorming(participants: int) -> str:
    return TRAINING + f"v1;10/03/2022;Onderwijs;DP01;Les;Burger;{participants}\n"


def _suite(suites: Path, allow_telefoon: bool) -> None:
    path = suites / "digipunten.json"
    suite = json.loads((EXPECTATIONS_DIR / "digipunten.json").read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        kwargs = expectation["kwargs"]
        if (
            expectation["type"] == "expect_column_values_to_be_in_set"
            and kwargs.get("column") == "kanaal"
            and allow_telefoon
        ):
            kwargs["value_set"] = [*kwargs["value_set"], "Telefoon"]
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    current = out / "current"
    found = {}
    for name in TABLES:
        frame = read_table(current, name)
        if name == "verwachtingen":
            frame = frame[frame["run"] == frame["run"].max()]
        frame = frame.drop(columns=[c for c in VOLATILE if c in frame]).astype(str)
        found[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    manifest = pd.read_parquet(current / "manifest.parquet")
    last_run = pd.read_parquet(current / "runs.parquet")["run"].iloc[-1]
    last = manifest[manifest["run"] == last_run]  # the last run, also when it had no file
    last = last.drop(columns=[c for c in VOLATILE if c in last]).astype(str)
    found["manifest"] = last.sort_values("bestand").reset_index(drop=True)
    return found


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_an_incremental_load_equals_a_load_from_scratch(tmp_path_factory, plan) -> None:
    root = tmp_path_factory.mktemp("incrementeel")
    raw, suites, out = root / "raw", root / "suites", root / "out"
    reference = make_reference(root / "reference")
    for folder in (raw / "digipunten", raw / "vorming"):
        folder.mkdir(parents=True)
    shutil.copytree(EXPECTATIONS_DIR, suites)
    sent: list[Path] = []
    for number, (kind, value) in enumerate(plan):
        name = f"{number:03d}.csv"  # names sort as the files arrive: both loads apply them so
        if kind == "digipunten":
            path = raw / "digipunten" / name
            path.write_text(_digipunten(value), encoding="utf-8")
            sent.append(path)
        elif kind == "vorming":
            path = raw / "vorming" / name
            path.write_text(_vorming(value), encoding="utf-8")
            sent.append(path)
        elif kind == "verwijder" and sent:
            sent.pop(value % len(sent)).unlink()
        elif kind == "suite":
            _suite(suites, value)
        run_load(raw, reference, out, today=TODAY, suites_dir=suites)
        scratch = root / f"scratch-{number}"
        run_load(raw, reference, scratch, today=TODAY, suites_dir=suites)
        incremental, full = _tables(out), _tables(scratch)
        for table in full:
            pd.testing.assert_frame_equal(incremental[table], full[table], obj=table)


def test_a_new_file_is_the_only_one_read_again(tmp_path: Path, raw: Path, reference: Path):
    """The cache is used: a second load reads only the file that is new."""
    out = tmp_path / "out"
    (raw / "digipunten").mkdir(parents=True)
    (raw / "digipunten" / "001.csv").write_text(
        _digipunten([("a", "03/01/2022", "Digipunt", "DP01")]), encoding="utf-8"
    )
    first = run_load(raw, reference, out, today=TODAY)
    (raw / "digipunten" / "002.csv").write_text(
        _digipunten([("b", "04/01/2022", "Digipunt", "DP01")]), encoding="utf-8"
    )
    second = run_load(raw, reference, out, today=TODAY)
    durations = {f.bestand: f.duur_s for f in second.files}
    assert durations["digipunten/001.csv"] == 0  # not read: its cached rows were used
    assert first.files[0].rijen_geladen == 1
    assert {f.bestand: f.rijen_geladen for f in second.files} == {
        "digipunten/001.csv": 1,
        "digipunten/002.csv": 1,
    }
    cached = list((out / "current" / "cache" / "digipunten").glob("*.json"))
    assert len(cached) == 2
