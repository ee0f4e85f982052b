"""Small-number protection: no hidden count can be worked out from what is published.

The checks solve for every hidden value themselves, independently of the module: the linear
rule with exact whole-number Gaussian elimination (a hidden value is determined iff its unit
vector lies in the row space of the equations over the hidden values), and the reader's
knowledge of the marks ("<5" is 1 to 4, "×" at least 5) with an integer programme that looks
for a second table, equal to the published one wherever it is published, with another value
there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from einclusie.figures.disclosure import (
    EMPTY,
    HIDDEN,
    PRIMARY,
    PROTECTION_NOTE,
    PUBLISHED,
    SECONDARY,
    Protection,
    display_value,
    percentage_allowed,
    protect_change,
    protect_linked,
    protect_table,
    protection_note,
)

# --- the test's own model of what a reader sees -----------------------------------------------


def _axis(name: object, fallback: str) -> object:
    return name if name is not None else fallback


def reader_view(
    tables: Mapping[str, pd.DataFrame], protections: Mapping[str, Protection]
) -> tuple[dict, list[dict], dict, dict]:
    """Every number as a named unknown (shared margins once), the equations between them
    (coefficient maps that sum to 0), per unknown its true value and status, and which
    tables show it."""
    values: dict = {}
    statuses: dict = {}
    equations: list[dict] = []
    owners: dict = {}

    def add(table: str, key: object, value: int, status: str) -> object:
        if status != HIDDEN:
            owners.setdefault(key, set()).add(table)
        if key in values:
            assert values[key] == value
            # A shared margin is published in all its tables or in none.
            if HIDDEN not in (status, statuses[key]):
                assert status == statuses[key], key
            if statuses[key] == HIDDEN:
                statuses[key] = status
        else:
            values[key] = value
            statuses[key] = status
        return key

    for name, frame in tables.items():
        p = protections[name]
        rows_axis = _axis(frame.index.name, "<rows>")
        cols_axis = _axis(frame.columns.name, "<columns>")
        counts = frame.to_numpy(dtype=float)
        row_keys = [
            add(name, ("margin", rows_axis, r), int(np.nansum(counts[i])), p.row_status.iloc[i])
            for i, r in enumerate(frame.index)
        ]
        col_keys = [
            add(
                name,
                ("margin", cols_axis, c),
                int(np.nansum(counts[:, j])),
                p.column_status.iloc[j],
            )
            for j, c in enumerate(frame.columns)
        ]
        total = add(name, ("total",), int(np.nansum(counts)), p.total_status)
        cells = {}
        for i, r in enumerate(frame.index):
            for j, c in enumerate(frame.columns):
                if not math.isnan(counts[i, j]):
                    cells[i, j] = add(
                        name, ("cell", name, r, c), int(counts[i, j]), p.status.iloc[i, j]
                    )
        for i in range(len(frame.index)):
            eq = {cells[i, j]: 1 for j in range(len(frame.columns)) if (i, j) in cells}
            eq[row_keys[i]] = -1
            equations.append(eq)
        for j in range(len(frame.columns)):
            eq = {cells[i, j]: 1 for i in range(len(frame.index)) if (i, j) in cells}
            eq[col_keys[j]] = -1
            equations.append(eq)
        equations.append({**{k: 1 for k in row_keys}, total: -1})
        equations.append({**{k: 1 for k in col_keys}, total: -1})
    return values, equations, statuses, owners


def determined_exactly(equations: list[dict], unknowns: list) -> set:
    """The unknowns that the equations fix once every other value is substituted: exact
    Gaussian elimination in whole numbers (rows kept primitive), then an unknown is fixed iff
    its pivot row has no other non-zero entry."""
    column = {u: k for k, u in enumerate(unknowns)}
    rows = []
    for eq in equations:
        row = [0] * len(unknowns)
        for key, coefficient in eq.items():
            if key in column:
                row[column[key]] = coefficient
        if any(row):
            rows.append(row)
    pivots: list[tuple[int, int]] = []  # (row index, column)
    r = 0
    for c in range(len(unknowns)):
        pivot = next((k for k in range(r, len(rows)) if rows[k][c]), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        p = rows[r][c]
        for k in range(len(rows)):
            if k != r and rows[k][c]:
                f = rows[k][c]
                rows[k] = [a * p - b * f for a, b in zip(rows[k], rows[r], strict=True)]
                g = math.gcd(*rows[k])
                if g > 1:
                    rows[k] = [a // g for a in rows[k]]
        pivots.append((r, c))
        r += 1
        if r == len(rows):
            break
    fixed = set()
    for k, c in pivots:
        if sum(1 for a in rows[k] if a) == 1:
            fixed.add(unknowns[c])
    return fixed


def another_value_possible(values: dict, equations: list[dict], statuses: dict, t: int) -> dict:
    """Per hidden unknown: whether some table of whole numbers agrees with everything the
    reader sees (published values, the equations, "<t" is 1..t-1, "×" at least t, a hidden
    margin at least 0) and has another value there."""
    keys = [k for k in values if statuses[k] != PUBLISHED]
    if not keys:
        return {}
    at = {k: i for i, k in enumerate(keys)}
    a = np.zeros((len(equations), len(keys)))
    rhs = np.zeros(len(equations))
    for e, eq in enumerate(equations):
        for key, coefficient in eq.items():
            if key in at:
                a[e, at[key]] = coefficient
            else:
                rhs[e] -= coefficient * values[key]
    lower = np.array(
        [1 if statuses[k] == PRIMARY else t if statuses[k] == SECONDARY else 0 for k in keys],
        dtype=float,
    )
    upper = np.array([t - 1 if statuses[k] == PRIMARY else np.inf for k in keys])
    out = {}
    for key in keys:
        if statuses[key] == HIDDEN:
            continue
        i = at[key]
        possible = False
        for lo, hi in ((lower[i], values[key] - 1), (values[key] + 1, upper[i])):
            if lo > hi:
                continue
            lb, ub = lower.copy(), upper.copy()
            lb[i], ub[i] = lo, hi
            res = milp(
                np.zeros(len(keys)),
                constraints=LinearConstraint(a, rhs, rhs),
                integrality=np.ones(len(keys)),
                bounds=Bounds(lb, ub),
            )
            if res.status == 0:
                possible = True
                break
        out[key] = possible
    return out


def check_protected(tables, protections, threshold, *, bounds: bool = True):
    values, equations, statuses, owners = reader_view(tables, protections)
    for key, value in values.items():
        status = statuses[key]
        if status == HIDDEN:
            continue
        # (a) every count from 1 to threshold - 1 is primary, and only those
        assert (status == PRIMARY) == (1 <= value < threshold), (key, value, status)
        # (b) a zero is never hidden
        if value == 0:
            assert status == PUBLISHED, key
    # (d) what is published is the true value
    for name, frame in tables.items():
        p = protections[name]
        shown = p.published()
        mask = shown.notna().to_numpy()
        assert np.array_equal(shown.to_numpy(dtype=float)[mask], frame.to_numpy(dtype=float)[mask])
        assert ((p.status == PUBLISHED).to_numpy() == mask).all()
        assert ((p.status == EMPTY).to_numpy() == frame.isna().to_numpy()).all()
        rows = p.published_row_totals()
        assert (rows.dropna() == frame.sum(axis=1)[rows.notna()]).all()
        cols = p.published_column_totals()
        assert (cols.dropna() == frame.sum(axis=0)[cols.notna()]).all()
        assert p.published_total in (None, int(np.nansum(frame.to_numpy(dtype=float))))
    # (c) no hidden value follows from the equations and the published values
    unknowns = [k for k in values if statuses[k] != PUBLISHED]
    hidden = {k for k in unknowns if statuses[k] in (PRIMARY, SECONDARY)}
    fixed = determined_exactly(equations, unknowns) & hidden
    # only where the marks give a count away anyway, in a table that says it is not safe
    for key in fixed:
        assert statuses[key] == PRIMARY, key
        assert all(not protections[name].safe for name in owners[key]), key
    # (e) nor from what the marks say: every hidden value could have been another one, except
    # where the marks alone give it away; then its tables say they are not safe to show, and
    # every table that is safe has no such value.
    if bounds:
        possible = another_value_possible(values, equations, statuses, threshold)
        exposed = {k for k, ok in possible.items() if not ok}
        unsafe = {name for k in exposed for name in owners[k]}
        assert {name for name, p in protections.items() if not p.safe} == unsafe, exposed
        for key in exposed:
            assert statuses[key] == PRIMARY, key  # only a small count is beyond help


# --- strategies ---------------------------------------------------------------------------

# Mostly small counts, zeros included, now and then a large one.
counts = st.one_of(
    st.integers(0, 6),
    st.integers(0, 6),
    st.integers(0, 12),
    st.integers(0, 60),
    st.integers(0, 900),
)
thresholds = st.sampled_from([5, 5, 5, 3, 10])
margins = st.sets(st.sampled_from(["rows", "columns", "total"]), max_size=2)


@st.composite
def tables(
    draw, max_rows: int = 8, max_columns: int = 12, kinds=("full", "full", "nested", "holes")
) -> pd.DataFrame:
    n_rows = draw(st.integers(1, max_rows))
    n_columns = draw(st.integers(1, max_columns))
    cells = np.array(
        draw(st.lists(counts, min_size=n_rows * n_columns, max_size=n_rows * n_columns))
    )
    frame = pd.DataFrame(
        cells.reshape(n_rows, n_columns).astype(float),
        index=pd.Index([f"w{i}" for i in range(n_rows)], name="wijk"),
        columns=pd.Index([f"m{j}" for j in range(n_columns)], name="maand"),
    )
    kind = draw(st.sampled_from(kinds))
    if kind == "nested":  # each location (column) in one wijk (row)
        home = draw(st.lists(st.integers(0, n_rows - 1), min_size=n_columns, max_size=n_columns))
        for j, i in enumerate(home):
            frame.iloc[[k for k in range(n_rows) if k != i], j] = np.nan
    elif kind == "holes":
        # some cells that do not exist (NaN), not only in a nested pattern
        holes = st.sampled_from([False, False, False, True])
        mask = draw(st.lists(holes, min_size=cells.size, max_size=cells.size))
        frame = frame.mask(np.array(mask).reshape(frame.shape))
    return frame


@st.composite
def linked_tables(draw) -> dict[str, pd.DataFrame]:
    """wijk x maand beside wijk x leeftijd or wijk x locatie (each location in one wijk), with
    the same wijk totals; sometimes a one-row table of the wijken (the Gent view) too."""
    first = draw(tables(max_rows=6, max_columns=8, kinds=("full",)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    totals = first.sum(axis=1).astype(int)
    if draw(st.booleans()):
        n_ages = draw(st.integers(1, 5))
        weights = np.array(draw(st.lists(st.integers(0, 4), min_size=n_ages, max_size=n_ages)))
        p = (weights + 0.01) / (weights + 0.01).sum()
        second = pd.DataFrame(
            [rng.multinomial(total, p) for total in totals],
            index=first.index,
            columns=pd.Index([f"l{k}" for k in range(n_ages)], name="leeftijd"),
        )
        linked = {"maand": first, "leeftijd": second}
    else:
        per_wijk = draw(st.lists(st.integers(1, 3), min_size=len(totals), max_size=len(totals)))
        labels = [
            f"{w}-loc{k}" for w, n in zip(totals.index, per_wijk, strict=True) for k in range(n)
        ]
        second = pd.DataFrame(np.nan, index=first.index, columns=pd.Index(labels, name="locatie"))
        for w, n in zip(totals.index, per_wijk, strict=True):
            second.loc[w, [f"{w}-loc{k}" for k in range(n)]] = rng.multinomial(
                totals[w], np.ones(n) / n
            )
        linked = {"maand": first, "locatie": second}
    if draw(st.booleans()):
        gent = totals.to_frame().T
        gent.index = pd.Index(["Gent"], name="stad")
        linked["gent"] = gent
    return linked


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), thresholds, margins)
def test_no_hidden_count_follows_from_the_published_table(frame, threshold, hidden):
    p = protect_table(frame, threshold, hidden_margins=hidden)
    for margin, status in (("rows", p.row_status), ("columns", p.column_status)):
        assert (status == HIDDEN).all() == (margin in hidden)
    check_protected({"t": frame}, {"t": p}, threshold, bounds=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_rows=5, max_columns=6), thresholds)
def test_no_hidden_count_follows_from_what_the_marks_say(frame, threshold):
    p = protect_table(frame, threshold)
    check_protected({"t": frame}, {"t": p}, threshold, bounds=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables(), thresholds)
def test_no_hidden_count_follows_from_linked_tables_together(linked, threshold):
    protections = protect_linked(linked, threshold)
    assert protections.keys() == linked.keys()
    # the shared wijk totals: hidden in every table or in none
    other = "leeftijd" if "leeftijd" in protections else "locatie"
    a, b = protections["maand"].row_status, protections[other].row_status
    assert (a == b).all()
    if "gent" in protections:
        assert (protections["gent"].status.iloc[0] == a).all()
    check_protected(linked, protections, threshold, bounds=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12), thresholds)
def test_a_one_row_table_is_protected_like_any_other(cells, threshold):
    series = pd.Series(cells, index=[f"w{k}" for k in range(len(cells))], name="Gent")
    p = protect_table(series, threshold)
    frame = series.to_frame().T
    # a one-row table's column totals are its cells, its row total is the grand total
    assert (p.column_status.to_numpy() == p.status.iloc[0].to_numpy()).all()
    assert p.row_status.iloc[0] == p.total_status
    check_protected({"t": frame}, {"t": p}, threshold)


# --- examples with known answers ------------------------------------------------------------


def statuses(p: Protection) -> list[list[str]]:
    return p.status.to_numpy().tolist()


def test_one_small_cell_in_a_row_hides_the_next_smallest_cell():
    p = protect_table(pd.Series([3, 50, 7, 8], index=list("abcd")))
    assert statuses(p) == [[PRIMARY, PUBLISHED, SECONDARY, PUBLISHED]]
    assert p.published_total == 68
    assert p.display().iloc[0].tolist() == ["<5", "50", "×", "8", "68"]


def test_two_ones_beside_a_published_total_hide_a_third_cell():
    # 1 + 1 = 32 - 10 - 20: the equations leave x + y = 2 open, but "<5" says at least 1
    # each, so both would be known; a third cell goes too.
    p = protect_table(pd.Series([1, 1, 10, 20], index=list("abcd")))
    assert statuses(p) == [[PRIMARY, PRIMARY, SECONDARY, PUBLISHED]]
    assert p.published_total == 32


def test_a_small_cell_in_a_two_by_two_table_hides_all_four_cells():
    frame = pd.DataFrame([[3, 10], [20, 30]], index=["A", "B"], columns=["jan", "feb"])
    p = protect_table(frame)
    # the cheapest cycle through the 3: the other three cells (60), not through the margins
    assert statuses(p) == [[PRIMARY, SECONDARY], [SECONDARY, SECONDARY]]
    assert p.published_row_totals().tolist() == [13, 50]
    assert p.published_column_totals().tolist() == [23, 40]
    assert p.published_total == 63
    check_protected({"t": frame}, {"t": p}, 5)


def test_a_small_margin_is_hidden_in_every_table_that_shows_it():
    index = pd.Index(["A", "B", "C"], name="wijk")
    months = pd.DataFrame(
        [[10, 12, 9], [20, 15, 30], [1, 0, 2]], index=index, columns=["jan", "feb", "mrt"]
    )
    months.columns.name = "maand"
    ages = pd.DataFrame([[16, 15], [40, 25], [3, 0]], index=index, columns=["<65", "65+"])
    ages.columns.name = "leeftijd"
    p = protect_linked({"maand": months, "leeftijd": ages})
    assert p["maand"].row_status["C"] == PRIMARY == p["leeftijd"].row_status["C"]
    check_protected({"maand": months, "leeftijd": ages}, p, 5)


def test_locations_nested_in_wijken():
    frame = pd.DataFrame(
        [[3, 20, np.nan], [np.nan, np.nan, 40]],
        index=pd.Index(["A", "B"], name="wijk"),
        columns=pd.Index(["a1", "a2", "b1"], name="locatie"),
    )
    p = protect_table(frame)
    assert statuses(p) == [[PRIMARY, SECONDARY, EMPTY], [EMPTY, EMPTY, PUBLISHED]]
    # a location's total is its one cell: hidden with it
    assert p.column_status.tolist() == [PRIMARY, SECONDARY, PUBLISHED]
    assert p.published_row_totals().tolist() == [23, 40]
    assert p.display().loc["A"].tolist() == ["<5", "×", "", "23"]
    check_protected({"t": frame}, {"t": p}, 5)


def naive_two_per_line(frame: pd.DataFrame, threshold: int = 5) -> np.ndarray:
    """The rule this module does not use: hide the small cells, then, while a row or column
    holds exactly one hidden cell, hide the smallest other non-zero cell in it."""
    values = frame.to_numpy()
    hidden = (values >= 1) & (values < threshold)
    changed = True
    while changed:
        changed = False
        for lines in (hidden, hidden.T):
            vals = values if lines is hidden else values.T
            for i in range(lines.shape[0]):
                if lines[i].sum() == 1:
                    candidates = [
                        j for j in range(lines.shape[1]) if not lines[i, j] and vals[i, j] > 0
                    ]
                    j = min(candidates, key=lambda j: vals[i, j])
                    lines[i, j] = True
                    changed = True
    return hidden


def test_two_hidden_cells_per_row_and_column_are_not_enough():
    # Two 2x2 blocks joined by one bridge cell (the 2): every row and column has two hidden
    # cells, yet the bridge lies on no cycle, so the totals give it away.
    frame = pd.DataFrame(
        [[1, 6, 50, 50], [6, 6, 2, 50], [50, 50, 6, 6], [50, 50, 6, 1]],
        index=pd.Index(list("ABCD"), name="wijk"),
        columns=pd.Index(["jan", "feb", "mrt", "apr"], name="maand"),
    )
    naive = naive_two_per_line(frame)
    assert (naive.sum(axis=0) >= 2).all() and (naive.sum(axis=1) >= 2).all()
    naive_protection = Protection(
        values=frame,
        status=pd.DataFrame(
            np.where(naive, SECONDARY, PUBLISHED), index=frame.index, columns=frame.columns
        ),
        row_totals=frame.sum(axis=1),
        row_status=pd.Series(PUBLISHED, index=frame.index),
        column_totals=frame.sum(axis=0),
        column_status=pd.Series(PUBLISHED, index=frame.columns),
        total=int(frame.to_numpy().sum()),
        total_status=PUBLISHED,
        threshold=5,
    )
    values, equations, naive_statuses, _ = reader_view({"t": frame}, {"t": naive_protection})
    unknowns = [k for k in values if naive_statuses[k] != PUBLISHED]
    assert determined_exactly(equations, unknowns) == {("cell", "t", "B", "mrt")}

    p = protect_table(frame)
    assert p.status.loc["B", "mrt"] == PRIMARY
    check_protected({"t": frame}, {"t": p}, 5)


def test_margins_the_table_does_not_show_need_no_protection():
    # Without its total, nothing ties the 3 to the other cells.
    p = protect_table(
        pd.Series([3, 50, 7, 8], index=list("abcd")), hidden_margins={"rows", "total"}
    )
    assert statuses(p) == [[PRIMARY, PUBLISHED, PUBLISHED, PUBLISHED]]
    assert p.total_status == HIDDEN and p.published_total is None
    assert p.display().iloc[0].tolist() == ["<5", "50", "7", "8", ""]


def test_a_table_the_marks_give_away_is_not_safe():
    # four "<5" cells of a total "<5": the total is at least 4, so 4, and every cell is 1
    p = protect_table(pd.Series([1, 1, 1, 1]))
    assert not p.safe
    check_protected({"t": p.values}, {"t": p}, 5)
    assert protect_table(pd.Series([1, 1, 1, 2])).safe
    assert protect_table(pd.Series([1, 1, 1, 1]), 10).safe  # "<10" leaves room


def test_zeros_stay_zero_and_a_table_of_zeros_is_published():
    p = protect_table(pd.DataFrame([[0, 0], [0, 0]]))
    assert (p.status == PUBLISHED).all().all() and p.published_total == 0
    p = protect_table(pd.Series([0, 3, 0]))
    assert statuses(p) == [[PUBLISHED, PRIMARY, PUBLISHED]]
    assert p.total_status == PRIMARY  # the total is 3 as well
    assert p.display().iloc[0].tolist() == ["0", "<5", "0", "<5"]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least 3"):
        protect_table(pd.DataFrame([[1]]), 2)
    with pytest.raises(ValueError, match="whole numbers"):
        protect_table(pd.DataFrame([[1.5]]))
    with pytest.raises(ValueError, match="whole numbers"):
        protect_table(pd.DataFrame([[-1]]))
    with pytest.raises(ValueError, match="unique"):
        protect_table(pd.DataFrame([[1, 2]], columns=["a", "a"]))
    index = pd.Index(["A"], name="wijk")
    with pytest.raises(ValueError, match="differs"):
        protect_linked(
            {"x": pd.DataFrame([[5]], index=index), "y": pd.DataFrame([[6]], index=index)}
        )


# --- change against the previous year, percentages, display ---------------------------------


def test_a_change_is_shown_only_where_both_years_are_published():
    index = pd.Index(["A", "B", "C"], name="wijk")
    now = pd.DataFrame({"jan": [3, 40, 60], "feb": [30, 50, 70]}, index=index)
    before = pd.DataFrame({"jan": [20, 2, 55], "feb": [25, 45, 80]}, index=index)
    p_now, p_before = protect_table(now), protect_table(before)
    change = protect_change(now, before, p_now, p_before)
    for r in index:
        for c in now.columns:
            both = p_now.is_published(r, c) and p_before.is_published(r, c)
            value = change.cells.loc[r, c]
            if both:
                assert value == now.loc[r, c] - before.loc[r, c]
            else:
                assert value is pd.NA
    assert change.cells.loc["C", "feb"] == -10
    assert change.cells.loc["A", "jan"] is pd.NA  # hidden now
    assert change.cells.loc["B", "jan"] is pd.NA  # hidden the year before
    assert change.total == now.to_numpy().sum() - before.to_numpy().sum()
    assert change.row_totals.loc["C"] == 130 - 135
    with pytest.raises(ValueError, match="not the one"):
        protect_change(before, now, p_now, p_before)


def test_a_change_of_a_label_missing_the_year_before_is_not_shown():
    now = pd.Series([10, 20], index=["A", "B"], name="Gent")
    before = pd.Series([10], index=["A"], name="Gent")
    change = protect_change(now, before, protect_table(now), protect_table(before))
    assert change.cells.iloc[0].tolist()[0] == 0
    assert change.cells.iloc[0].tolist()[1] is pd.NA


def test_a_percentage_needs_a_published_denominator_of_at_least_the_threshold():
    assert percentage_allowed(5) and percentage_allowed(1234)
    assert not percentage_allowed(4)
    assert not percentage_allowed(0)
    assert not percentage_allowed(None)
    assert not percentage_allowed(float("nan"))
    assert not percentage_allowed(9, threshold=10) and percentage_allowed(10, threshold=10)


def test_marks_and_the_note():
    assert display_value(3, PRIMARY) == "<5"
    assert display_value(3, PRIMARY, threshold=10) == "<10"
    assert display_value(12, SECONDARY) == "×"
    assert display_value(1234, PUBLISHED) == "1.234"
    assert display_value(0, PUBLISHED) == "0"
    assert display_value(float("nan"), EMPTY) == ""
    assert "“<5”" in PROTECTION_NOTE and "1 tot en met 4" in PROTECTION_NOTE
    assert "×" in PROTECTION_NOTE
    assert "“<10”" in protection_note(10) and "1 tot en met 9" in protection_note(10)


def test_table_and_display_carry_the_margins():
    p = protect_table(pd.DataFrame([[3, 10], [20, 30]], index=["A", "B"], columns=["jan", "feb"]))
    table = p.table()
    assert table.loc["A", "jan"] == PRIMARY and table.loc["B", "feb"] == SECONDARY
    assert table.loc["Totaal", "Totaal"] == 63 and table.loc["A", "Totaal"] == 13
    assert p.display(totals=False).shape == (2, 2)
    assert p.suppressed == 4


def test_a_large_table_is_protected_quickly():
    import time

    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.choice([0, 1, 2, 3, 4, 6, 8, 12, 20, 40, 100], size=(30, 15)))
    start = time.perf_counter()
    p = protect_table(frame)
    assert time.perf_counter() - start < 5
    check_protected({"t": frame}, {"t": p}, 5, bounds=False)
