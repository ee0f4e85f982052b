"""Validate normalised rows with the Great Expectations suites in `expectations/`.

GX reports which rows fail each expectation; every failing row goes to the quarantine with
the suite's Dutch reason. The full list of failing row indices is asked for (result format
COMPLETE) and checked against GX's count, so no failing row is ever lost to truncation.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

logging.getLogger("great_expectations").setLevel(logging.ERROR)

if TYPE_CHECKING:
    pass


EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
_SHARED: dict[dt.date, Validator] = {}
_SHARED_LOCK = threading.Lock()
ID_COLUMNS = {"id", "id_per_bestand"}  # checks of these need every row, not only its values


class SuiteError(Exception):
    """An expectation suite cannot be read or run; a data steward has to fix the JSON."""


@dataclass
class Outcome:
    """One expectation's result over one batch of rows."""

    expectation: str  # type, e.g. expect_column_values_to_be_in_set
    column: str
    description: str  # the Dutch reason template
    success: bool
    unexpected_count: int
    failing_rows: pd.Index  # positions in the validated frame


def read_suite(source: str, directory: Path = EXPECTATIONS_DIR) -> dict:
    """The suite's JSON as a data steward wrote it."""
    path = directory / f"{source}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SuiteError(f"{path}: de verwachtingen kunnen niet gelezen worden ({exc})") from None


def value_sets(suite_json: dict) -> list[tuple[str, str, int]]:
    """(column, value, position) of every enumerated column's canonical values, in the suite's
    order: published with each version, so the figures never read the suites themselves."""
    rows = []
    for expectation in suite_json.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        if expectation.get("type") == "expect_column_values_to_be_in_set":
            for position, value in enumerate(kwargs.get("value_set", []), start=1):
                rows.append((kwargs["column"], str(value), position))
    return rows


def required_columns(suite_json: dict) -> set[str]:
    """Columns a file must have: those whose values must never be empty, unconditionally."""
    return {
        e["kwargs"]["column"]
        for e in suite_json.get("expectations", [])
        if e.get("type") == "expect_column_values_to_not_be_null"
        and not e["kwargs"].get("row_condition")
    }


def shared_validator(today: dt.date) -> Validator:
    """The process's Validator for `today`: making GX's context takes seconds, and a steward's
    dry run and save (or a test session) load many times in one process."""
    with _SHARED_LOCK:
        found = _SHARED.get(today)
        if found is None:
            found = _SHARED[today] = Validator(today)
        return found


class Validator:
    """An ephemeral GX context, reused for every batch (one validation at a time)."""

    def __init__(self, today: dt.date) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._context = gx.get_context(mode="ephemeral")
        # GX's own per-metric progress bars would drown the per-file progress of a load.
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = self._context.data_sources.add_pandas("exports").add_dataframe_asset("rows")
        self._batches = asset.add_batch_definition_whole_dataframe("batch")
        self._parameters = {"vandaag": int(today.strftime("%Y%m%d"))}
        self._lock = threading.Lock()  # two dry runs in two sessions share one context

    def validate(
        self,
        suite_json: dict,
        frame: pd.DataFrame,
        *,
        per_row: bool = False,
        parameters: dict | None = None,
    ) -> list[Outcome]:
        """Run a suite over `frame` (index 0..n-1): every expectation's outcome, in order.

        Checks of an id (empty, unique per file) look at every row. Every other check only
        looks at values, so it runs once per distinct combination of the values it reads (a
        few thousand instead of millions of rows) and its failures are spread back over all
        rows with that combination. `per_row` runs every check on every row (a small table
        such as the register, with checks of uniqueness); `parameters` adds to 'vandaag'.
        """
        expectations = suite_json.get("expectations", [])
        if frame.empty and not any(
            e.get("type", "").startswith("expect_table_") for e in expectations
        ):
            # No rows, nothing to check: GX would take a second to say so.
            return [_empty_outcome(e) for e in expectations]
        every_row = [
            i for i, e in enumerate(expectations) if per_row or _columns_of(e) & ID_COLUMNS
        ]
        per_value = [i for i in range(len(expectations)) if i not in every_row]
        parameters = {**self._parameters, **(parameters or {})}
        outcomes: dict[int, Outcome] = {}
        if every_row:
            columns = sorted(set().union(*(_columns_of(expectations[i]) for i in every_row)))
            found = self._run(suite_json, every_row, frame[columns], parameters)
            outcomes.update(zip(every_row, found, strict=True))
        if per_value:
            columns = sorted(set().union(*(_columns_of(expectations[i]) for i in per_value)))
            values = frame[columns]
            combination = (
                values.groupby(columns, dropna=False, observed=True, sort=False).ngroup().to_numpy()
            )
            first_rows = np.unique(combination, return_index=True)[1]
            distinct = values.iloc[first_rows].reset_index(drop=True)
            found = self._run(suite_json, per_value, distinct, parameters)
            for i, outcome in zip(per_value, found, strict=True):
                rows = pd.Index(np.flatnonzero(np.isin(combination, outcome.failing_rows)))
                outcomes[i] = replace(outcome, unexpected_count=len(rows), failing_rows=rows)
        return [outcomes[i] for i in range(len(expectations))]

    def _run(
        self, suite_json: dict, indices: list[int], frame: pd.DataFrame, parameters: dict
    ) -> list[Outcome]:
        """Validate some of a suite's expectations with GX, asking for every failing row."""
        import great_expectations as gx

        name = suite_json.get("name", "?")
        chosen = [copy.deepcopy(suite_json["expectations"][i]) for i in indices]
        try:
            suite = gx.ExpectationSuite(name=name, expectations=chosen)
        except (ValueError, TypeError) as exc:
            raise SuiteError(
                f"{name}.json: de verwachtingen kunnen niet gelezen worden ({exc})"
            ) from None
        with self._lock:
            batch = self._batches.get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(
                suite,
                result_format="COMPLETE",
                expectation_parameters=parameters,
            )
        outcomes = []
        for item in result.results:
            config = item.expectation_config
            kwargs = config.kwargs
            column = _column_name(kwargs)
            reason = (config.meta or {}).get("reden") or config.type
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise SuiteError(
                    f"verwachting '{config.type}' op kolom '{column}' in "
                    f"{name}.json kon niet uitgevoerd worden: "
                    f"{item.exception_info.get('exception_message')}"
                )
            rows = pd.Index(item.result.get("unexpected_index_list") or [], dtype="int64")
            count = int(item.result.get("unexpected_count") or 0)
            if len(rows) != count:
                raise SuiteError(
                    f"{name}: GX meldde {count} afwijkende rijen voor '{config.type}' "
                    f"op '{column}' maar gaf er {len(rows)} terug; er gaat niets verloren, "
                    "de lading stopt"
                )
            outcomes.append(Outcome(config.type, column, reason, item.success, count, rows))
        if len(outcomes) != len(indices):
            raise SuiteError(
                f"{name}.json: een verwachting is onbekend of ongeldig "
                "(Great Expectations gaf niet voor elke verwachting een resultaat)"
            )
        return outcomes


def summed_outcomes(suite_json: dict, failing: list[int]) -> list[Outcome]:
    """The suite's outcomes from its failing rows per expectation, counted file by file (no
    suite of an export uses `mostly`: an expectation holds when no row fails it)."""
    return [
        replace(_empty_outcome(e), success=n == 0, unexpected_count=n)
        for e, n in zip(suite_json.get("expectations", []), failing, strict=True)
    ]


def _column_name(kwargs: dict) -> str:
    """The column an expectation checks, as the results name it ("a,b" for several)."""
    pair = [kwargs[k] for k in ("column_A", "column_B") if k in kwargs]
    return kwargs.get("column") or ",".join(kwargs.get("column_list") or pair)


def _empty_outcome(expectation: dict) -> Outcome:
    column = _column_name(expectation.get("kwargs", {}))
    reason = (expectation.get("meta") or {}).get("reden") or expectation.get("type", "")
    return Outcome(
        expectation.get("type", ""), column, reason, True, 0, pd.Index([], dtype="int64")
    )


def _columns_of(expectation: dict) -> set[str]:
    """The columns one expectation reads, its row condition included."""
    kwargs = expectation.get("kwargs", {})
    columns = {kwargs["column"]} if "column" in kwargs else set()
    columns.update(kwargs.get("column_list", []))
    columns.update(kwargs[k] for k in ("column_A", "column_B") if k in kwargs)
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict) and "column" in condition:
        columns.add(condition["column"]["name"])
    return columns


def checked_columns(suite_json: dict) -> set[str]:
    """Every column a suite refers to: checked columns and those of row conditions."""
    return set().union(*(_columns_of(e) for e in suite_json.get("expectations", [])))


def row_reasons(outcomes: list[Outcome], raw: pa.Table, location: str | None) -> pd.Series:
    """Per failing row (index), all its reasons joined, with the file's own values filled in.

    `raw` holds the values as written in the files, row i being row i of the validated frame;
    `location` names the source's location column (what `locatietype` was derived from).
    """
    parts = []
    for outcome in outcomes:
        if not outcome.unexpected_count:
            continue
        column = {"id_per_bestand": "id", "locatietype": location}.get(outcome.column)
        column = column or outcome.column
        if column in raw.column_names:
            picked = raw.column(column).take(pa.array(outcome.failing_rows, pa.int64()))
            values = [(v or "").strip() for v in picked.to_pylist()]
        else:
            values = [""] * len(outcome.failing_rows)
        texts = [outcome.description.replace("{waarde}", v) for v in values]
        parts.append(pd.Series(texts, index=outcome.failing_rows, dtype=object))
    if not parts:
        return pd.Series([], dtype=object, index=pd.Index([], dtype="int64"))
    combined = pd.concat(parts)
    return combined.groupby(level=0, sort=True).agg("; ".join)
