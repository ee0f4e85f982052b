"""Small-number protection ("disclosure control") for the public view.

A published table of counts (e.g. help requests per wijk and month) shows its row totals,
column totals and grand total too. In the public view:

- primary suppression: every count from 1 to threshold - 1 (default 1 to 4), cells and
  margins alike, is shown as "<5"; a 0 stays 0 (an empty cell names nobody);
- secondary suppression: enough other cells are hidden ("×") that no hidden count can be
  worked out from what is published. "Worked out" is judged the way a careful reader would:
  from the equations (each row of cells sums to its row total, each column to its column
  total, the margins to the grand total), from every published value, and from what the
  marks themselves say ("<5" is 1 to 4, "×" is at least 5, because every smaller count is
  "<5" and a 0 is shown). A hidden cell is protected when some other table of whole
  numbers, equal to the published one everywhere it is published and consistent with its
  marks, has a different value there. That is stronger than the plain linear rule (the
  null space of the equations over the hidden cells is non-zero at the cell): in the
  row 1, 1, 10, 20 with total 32 the two ones are not determined by the equations
  (x + y = 2), but a reader who knows each is at least 1 knows both; here a third cell is
  hidden as well.

Secondary cells are chosen per primary cell, as the cheapest way to let it move: a change of
the hidden table by -1, 0 or +1 per cell that keeps every equation and every mark true, moves
the primary cell, and costs as little as possible, a newly hidden cell costing its own value
(so the smallest non-zero cells go first, never a 0, and a large margin only when nothing
cheaper works). Every cell that change moves is then protected, the newly hidden ones
included, since the changed table is a second whole-number answer; hiding more never
unprotects a cell, so one pass over the primary cells is enough. In one table the equations
form a graph (each cell or margin is an edge between its two equations) and the change is the
cheapest cycle through the primary cell (Dijkstra), as in Tau-Argus's hypercube and network
methods; in linked tables, where a shared margin sits in several tables' equations, it is a
linear programme (HiGHS, through scipy), solved in whole numbers when its optimum is not. A
last check with the plain linear rule (SVD) guards the result: if it ever failed, every
non-zero count would be hidden.

What it does not cover: figures computed from the same counts outside the tables given
together (a free choice of period or of several wijken summed would let a reader subtract
two published figures); publish fixed tables, and protect together those that share totals.
Nor can anything protect a count that the marks alone give away (four "<5" cells of a total
"<5" are all 1): such a table says it is not safe (Protection.safe) and is not to be shown.

Linked tables (protect_linked) are protected together, as one system: tables that share
margins by label (wijk x month and wijk x leeftijdsgroep share the wijk totals and the Gent
total) are one set of equations in which a shared margin is one unknown, so it is hidden in
all of them or in none, and a cell that could be worked out by combining the tables (their
differences) is protected too. That is the fixed point the re-run of a table-by-table method
looks for, reached in one pass.

Locations nested in wijken: pass a table whose rows are wijken and whose columns are
locations, with a count only where the location belongs to the wijk and NaN elsewhere (NaN is
"no such cell", not a hidden one). A location's column total is then its one cell and a wijk's
row total the sum of its locations; both are kept equal to what they equal.

Counts of other years: a change against the previous year is shown only where both years'
values are published (protect_change). A percentage only where its denominator reaches the
threshold and is published, and its numerator is published (percentage_allowed).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from einclusie.format import format_number

DEFAULT_THRESHOLD = 5

# A value's status in a protected table.
PUBLISHED = "published"
PRIMARY = "primary"  # 1 to threshold - 1: shown as "<5"
SECONDARY = "secondary"  # hidden so that no primary count can be worked out: "×"
HIDDEN = "hidden"  # a margin this table does not show at all (hidden_margins)
EMPTY = "empty"  # no such cell (NaN in the input)

SECONDARY_MARK = "×"
MARGINS = frozenset({"rows", "columns", "total"})
TOTAL_LABEL = "Totaal"

# Internal status codes (per unknown of the linear system).
_PUB, _PRI, _SEC, _HID = 0, 1, 2, 3
_STATUS_NAMES = {_PUB: PUBLISHED, _PRI: PRIMARY, _SEC: SECONDARY, _HID: HIDDEN}
# Cells already hidden cost (almost) nothing to move; newly hidden ones their value. The small
# cost keeps the change compact; any new cell (at least the threshold) costs more than all of it.
_MOVE_COST = 1e-4
# A row-space projection this close to a unit vector: the cell is determined.
_DETERMINED_TOL = 1e-9


def protection_note(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The sentence that explains the marks to readers, in Dutch."""
    small = "1 en 2" if threshold == 3 else f"1 tot en met {threshold - 1}"
    return (
        f"Om niemand herkenbaar te maken, staan aantallen van {small} als “<{threshold}”. "
        f"Ook enkele andere cijfers zijn verborgen ({SECONDARY_MARK}), zodat je die kleine "
        "aantallen niet uit totalen of andere cijfers kunt terugrekenen."
    )


PROTECTION_NOTE = protection_note(DEFAULT_THRESHOLD)
# Instead of a table that is not safe (Protection.safe is False).
UNSAFE_NOTE = "Deze cijfers worden niet getoond: de aantallen zijn te klein om ze te beschermen."


def primary_mark(threshold: int = DEFAULT_THRESHOLD) -> str:
    """How a primary cell is shown: '<5'."""
    return f"<{threshold}"


def display_value(value: float | None, status: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """One value as the public view shows it: '1.234', '0', '<5', '×', or '' (no cell)."""
    if status == PRIMARY:
        return primary_mark(threshold)
    if status == SECONDARY:
        return SECONDARY_MARK
    if status in (EMPTY, HIDDEN) or value is None or _is_nan(value):
        return ""
    return format_number(int(value))


def percentage_allowed(denominator: float | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a percentage over this denominator may be shown.

    Pass the denominator as published: None (or NaN) when it is hidden, since a percentage
    beside its published numerator would give a hidden denominator away. The numerator must
    be published as well (check it with Protection.is_published); this only judges the
    denominator: it must reach the threshold.
    """
    if denominator is None or _is_nan(denominator):
        return False
    return denominator >= threshold


@dataclass(frozen=True, eq=False)
class Protection:
    """A protected table: per cell and per margin the value and whether it is published.

    values, row_totals, column_totals and total are the true counts (not for publishing);
    status, row_status, column_status and total_status say PUBLISHED, PRIMARY, SECONDARY,
    HIDDEN (a margin the table does not show) or EMPTY (no such cell). Use published...() or
    display() for what may be shown.

    safe is False when no suppression can protect some small count of the table, because the
    marks alone give it away (a row of four "<5" cells whose total is "<5": all are 1). Do not
    show such a table; the tables protected together with it that are safe stay protected
    without it (a reader then knows less).
    """

    values: pd.DataFrame
    status: pd.DataFrame
    row_totals: pd.Series
    row_status: pd.Series
    column_totals: pd.Series
    column_status: pd.Series
    total: int
    total_status: str
    threshold: int
    safe: bool = True

    def published(self) -> pd.DataFrame:
        """The cells that may be shown (Int64), <NA> where hidden or no cell."""
        return self.values.astype("Float64").where(self.status == PUBLISHED).astype("Int64")

    def published_row_totals(self) -> pd.Series:
        return self.row_totals.astype("Int64").where(self.row_status == PUBLISHED)

    def published_column_totals(self) -> pd.Series:
        return self.column_totals.astype("Int64").where(self.column_status == PUBLISHED)

    @property
    def published_total(self) -> int | None:
        return self.total if self.total_status == PUBLISHED else None

    def is_published(self, row: Hashable, column: Hashable) -> bool:
        return self.status.loc[row, column] == PUBLISHED

    @property
    def suppressed(self) -> int:
        """How many cells and margins are hidden (primary or secondary)."""
        statuses = [
            *self.status.to_numpy().ravel(),
            *self.row_status,
            *self.column_status,
            self.total_status,
        ]
        return sum(s in (PRIMARY, SECONDARY) for s in statuses)

    def table(self, total_label: str = TOTAL_LABEL) -> pd.DataFrame:
        """The table with its margins (a last row and column named total_label): the count
        where published, PRIMARY or SECONDARY where hidden, None where hidden or no cell."""
        return self._extended(total_label, _outcome)

    def display(self, total_label: str = TOTAL_LABEL, *, totals: bool = True) -> pd.DataFrame:
        """The table as the public view shows it (strings: '1.234', '<5', '×', '')."""
        frame = self._extended(
            total_label, lambda value, status: display_value(value, status, self.threshold)
        )
        if not totals:
            frame = frame.iloc[:-1, :-1]
        return frame

    def _extended(self, total_label: str, cell: Callable[[float, str], object]) -> pd.DataFrame:
        rows, columns = self.values.shape
        out = np.empty((rows + 1, columns + 1), dtype=object)
        values = self.values.to_numpy(dtype=float, na_value=np.nan)
        status = self.status.to_numpy()
        for i in range(rows):
            for j in range(columns):
                out[i, j] = cell(values[i, j], status[i, j])
            out[i, columns] = cell(self.row_totals.iloc[i], self.row_status.iloc[i])
        for j in range(columns):
            out[rows, j] = cell(self.column_totals.iloc[j], self.column_status.iloc[j])
        out[rows, columns] = cell(self.total, self.total_status)
        index = pd.Index([*self.values.index, total_label], name=self.values.index.name)
        labels = pd.Index([*self.values.columns, total_label], name=self.values.columns.name)
        return pd.DataFrame(out, index=index, columns=labels)


def _outcome(value: float, status: str) -> object:
    if status == PUBLISHED:
        return int(value)
    if status in (PRIMARY, SECONDARY):
        return status
    return None


def protect_table(
    values: pd.DataFrame | pd.Series,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    hidden_margins: Collection[str] = (),
) -> Protection:
    """Protect one table of non-negative whole counts (rows x columns, e.g. wijk x month;
    NaN = no such cell) whose row totals, column totals and grand total are published too.

    A Series is a one-row table (e.g. the wijken, with the Gent total as its row total).
    hidden_margins names margins the table does not show ("rows", "columns", "total"): they
    are unknowns to the reader, not published values, and need no protection of their own.
    """
    return protect_linked(
        {"": values}, threshold, hidden_margins={"": hidden_margins} if hidden_margins else None
    )[""]


def protect_linked(
    tables: Mapping[str, pd.DataFrame | pd.Series],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    hidden_margins: Mapping[str, Collection[str]] | None = None,
) -> dict[str, Protection]:
    """Protect tables that share margins, together (see the module docstring).

    A margin is shared by its axis name and label: the row total "Ledeberg" of a table whose
    index is named "wijk" is the same number as the row (or column) total "Ledeberg" of every
    other table with an axis named "wijk" (unnamed axes: rows share with rows, columns with
    columns). All tables share the grand total. Shared numbers must be equal in every table
    (ValueError otherwise). hidden_margins maps a table's name to the margins it does not show.
    """
    _check_threshold(threshold)
    hidden_margins = hidden_margins or {}
    unknown = set(hidden_margins) - set(tables)
    if unknown:
        raise ValueError(f"hidden_margins names tables that are not given: {sorted(unknown)}")
    system = _System()
    layouts = [
        _layout(system, name, _as_frame(frame), frozenset(hidden_margins.get(name, ())))
        for name, frame in tables.items()
    ]
    values = np.array(system.values, dtype=np.int64)
    shown = np.array(system.shown, dtype=bool)
    status, exposed = _suppress(system, values, shown, threshold)
    return {layout.name: _protection(layout, status, exposed, threshold) for layout in layouts}


@dataclass(frozen=True, eq=False)
class Change:
    """Change against the previous year (current - previous), <NA> (None for the total) where
    either year's value is not published or the label is missing in the previous year."""

    cells: pd.DataFrame
    row_totals: pd.Series
    column_totals: pd.Series
    total: int | None


def protect_change(
    current: pd.DataFrame | pd.Series,
    previous: pd.DataFrame | pd.Series,
    protection_current: Protection,
    protection_previous: Protection,
) -> Change:
    """The change against the previous year, only where both values are published.

    The previous year's table is aligned on the current one's row and column labels (two
    one-row tables row with row). Each Protection must be
    the one made for that very table (ValueError otherwise), so a hidden count can never come
    back as a difference.
    """
    for frame, protection, year in (
        (current, protection_current, "current"),
        (previous, protection_previous, "previous"),
    ):
        if not _same_counts(_as_frame(frame), protection.values):
            raise ValueError(f"the {year} table is not the one its Protection was made for")
    now, before = protection_current, protection_previous
    earlier_cells = before.published()
    earlier_rows = before.published_row_totals()
    if len(now.values.index) == 1 and len(before.values.index) == 1:
        # One-row tables (a Series per year) compare row with row, whatever each is named.
        earlier_cells.index = now.values.index
        earlier_rows.index = now.values.index
    cells = now.published() - earlier_cells.reindex(
        index=now.values.index, columns=now.values.columns
    )
    rows = now.published_row_totals() - earlier_rows.reindex(now.values.index)
    columns = now.published_column_totals() - before.published_column_totals().reindex(
        now.values.columns
    )
    total = (
        None
        if now.published_total is None or before.published_total is None
        else now.published_total - before.published_total
    )
    return Change(cells=cells, row_totals=rows, column_totals=columns, total=total)


# --- building the linear system -------------------------------------------------------------


class _System:
    """Unknowns (cells and margins, each shared number once) and the equations between them:
    every equation says that some parts sum to a whole (coefficients +1 and one -1)."""

    def __init__(self) -> None:
        self.index: dict[Hashable, int] = {}
        self.values: list[int] = []
        self.shown: list[bool] = []
        self.equations: list[list[tuple[int, int]]] = []

    def unknown(self, key: Hashable, value: int, shown: bool, what: str) -> int:
        at = self.index.get(key)
        if at is None:
            at = self.index[key] = len(self.values)
            self.values.append(value)
            self.shown.append(shown)
        elif self.values[at] != value:
            raise ValueError(
                f"{what} is shared between tables but differs: {self.values[at]} and {value}"
            )
        else:
            self.shown[at] = self.shown[at] or shown
        return at

    def matrix(self) -> np.ndarray:
        matrix = np.zeros((len(self.equations), len(self.values)))
        for e, equation in enumerate(self.equations):
            for i, coefficient in equation:
                matrix[e, i] = coefficient
        return matrix

    def costs(self) -> np.ndarray:
        """What hiding each unknown costs: its value, shared out over the shown unknowns that
        an equation of two makes equal to it (a row of one cell and its total, a one-row
        table's cells and column totals), which are always hidden together."""
        parent = list(range(len(self.values)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for equation in self.equations:
            if len(equation) == 2:
                parent[root(equation[0][0])] = root(equation[1][0])
        roots = np.array([root(i) for i in range(len(self.values))], dtype=int)
        shown = np.array(self.shown, dtype=bool)
        members = np.bincount(roots, weights=shown, minlength=len(roots))
        return np.array(self.values, dtype=float) / np.maximum(members[roots], 1)

    def graph(self) -> _Graph | None:
        """The equations as a graph, when they are one: each unknown in exactly two equations
        (an edge between them), and each equation given a parity so that a move along any
        cycle keeps every sum (see _Graph). A single table always is one; linked tables,
        whose shared margins sit in the equations of several tables, are not."""
        n = len(self.values)
        ends: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for e, equation in enumerate(self.equations):
            for i, coefficient in equation:
                ends[i].append((e, coefficient))
        if any(len(pair) != 2 for pair in ends):
            return None
        nodes = np.array([[a for a, _ in pair] for pair in ends], dtype=int).reshape(n, 2)
        signs = np.array([[c for _, c in pair] for pair in ends], dtype=int).reshape(n, 2)
        parity = np.zeros(len(self.equations), dtype=int)
        incident: list[list[int]] = [[] for _ in self.equations]
        for i in range(n):
            incident[nodes[i, 0]].append(i)
            incident[nodes[i, 1]].append(i)
        for start in range(len(self.equations)):
            if parity[start]:
                continue
            parity[start] = 1
            stack = [start]
            while stack:
                node = stack.pop()
                for i in incident[node]:
                    side = 0 if nodes[i, 0] == node else 1
                    other = nodes[i, 1 - side]
                    # An edge's two ends must see opposite contributions of one move.
                    wanted = -signs[i, side] * parity[node] * signs[i, 1 - side]
                    if parity[other] == 0:
                        parity[other] = wanted
                        stack.append(other)
                    elif parity[other] != wanted:
                        return None
        return _Graph(nodes, signs, parity, incident)


@dataclass(frozen=True)
class _Graph:
    """Unknown i is an edge between equations nodes[i, 0] and nodes[i, 1], with coefficients
    signs[i]. Walking an edge from node a gives it the move signs[i, a] * parity[a]: its
    contribution is +parity there and -parity at the far end, so along a closed walk every
    equation gets +p and -p from the two edges through it and stays true."""

    nodes: np.ndarray
    signs: np.ndarray
    parity: np.ndarray
    incident: list[list[int]]


@dataclass(frozen=True)
class _Layout:
    name: str
    frame: pd.DataFrame
    counts: np.ndarray  # float, NaN = no cell
    cells: np.ndarray  # unknown per cell, -1 = no cell
    rows: np.ndarray  # unknown per row total
    columns: np.ndarray  # unknown per column total
    total: int
    hidden: frozenset[str]


_ROWS, _COLUMNS = object(), object()  # the axis key of unnamed axes


def _layout(system: _System, name: str, frame: pd.DataFrame, hidden: frozenset[str]) -> _Layout:
    where = f"table {name!r}" if name else "the table"
    if hidden - MARGINS:
        raise ValueError(f"{where}: hidden_margins takes only {sorted(MARGINS)}")
    counts = _counts(frame, where)
    row_axis = frame.index.name if frame.index.name is not None else _ROWS
    column_axis = frame.columns.name if frame.columns.name is not None else _COLUMNS
    if row_axis == column_axis:
        raise ValueError(f"{where}: rows and columns have the same axis name {row_axis!r}")
    n_rows, n_columns = counts.shape
    cells = np.full((n_rows, n_columns), -1, dtype=int)
    for i, j in zip(*np.nonzero(~np.isnan(counts)), strict=True):
        cells[i, j] = system.unknown(("cell", name, i, j), int(counts[i, j]), True, "a cell")
    row_sums = np.nansum(counts, axis=1).astype(np.int64)
    column_sums = np.nansum(counts, axis=0).astype(np.int64)
    rows = _margins(system, row_axis, frame.index, row_sums, "rows" not in hidden)
    columns = _margins(system, column_axis, frame.columns, column_sums, "columns" not in hidden)
    total = system.unknown(
        ("total",), int(row_sums.sum()), "total" not in hidden, "the grand total"
    )
    for i in range(n_rows):
        parts = [(c, 1) for c in cells[i] if c >= 0]
        system.equations.append([*parts, (int(rows[i]), -1)])
    for j in range(n_columns):
        parts = [(c, 1) for c in cells[:, j] if c >= 0]
        system.equations.append([*parts, (int(columns[j]), -1)])
    system.equations.append([*((int(r), 1) for r in rows), (total, -1)])
    system.equations.append([*((int(c), 1) for c in columns), (total, -1)])
    return _Layout(name, frame, counts, cells, rows, columns, total, hidden)


def _margins(
    system: _System, axis: object, labels: pd.Index, sums: np.ndarray, shown: bool
) -> np.ndarray:
    """The unknowns of one axis's totals, shared by axis and label with the other tables."""
    return np.array(
        [
            system.unknown(("margin", axis, label), int(sums[i]), shown, f"the total of {label!r}")
            for i, label in enumerate(labels)
        ],
        dtype=int,
    )


def _protection(
    layout: _Layout, status: np.ndarray, exposed: np.ndarray, threshold: int
) -> Protection:
    """One table's result from the status of every unknown of the system."""
    frame = layout.frame

    def name(unknown: int, margin: str | None = None) -> str:
        if margin is not None and margin in layout.hidden:
            return HIDDEN
        return _STATUS_NAMES[int(status[unknown])]

    cells = np.array(
        [[EMPTY if c < 0 else name(c) for c in row] for row in layout.cells], dtype=object
    ).reshape(layout.cells.shape)
    row_sums = np.nansum(layout.counts, axis=1).astype(np.int64)
    column_sums = np.nansum(layout.counts, axis=0).astype(np.int64)
    return Protection(
        values=frame,
        status=pd.DataFrame(cells, index=frame.index, columns=frame.columns),
        row_totals=pd.Series(row_sums, index=frame.index, name=TOTAL_LABEL),
        row_status=pd.Series(
            [name(r, "rows") for r in layout.rows], index=frame.index, dtype=object
        ),
        column_totals=pd.Series(column_sums, index=frame.columns, name=TOTAL_LABEL),
        column_status=pd.Series(
            [name(c, "columns") for c in layout.columns], index=frame.columns, dtype=object
        ),
        total=int(row_sums.sum()),
        total_status=name(layout.total, "total"),
        threshold=threshold,
        safe=not _exposes(layout, exposed),
    )


def _exposes(layout: _Layout, exposed: np.ndarray) -> bool:
    """Whether this table shows a value (as "<5") that a reader could still work out."""
    shown = [*layout.cells[layout.cells >= 0]]
    if "rows" not in layout.hidden:
        shown += [*layout.rows]
    if "columns" not in layout.hidden:
        shown += [*layout.columns]
    if "total" not in layout.hidden:
        shown.append(layout.total)
    return bool(exposed[np.array(shown, dtype=int)].any())


# --- suppression ------------------------------------------------------------------------------


def _suppress(
    system: _System, values: np.ndarray, shown: np.ndarray, threshold: int
) -> tuple[np.ndarray, np.ndarray]:
    """Status per unknown: primary, then secondary until every hidden one is protected; and
    which hidden ones no suppression can protect (exposed)."""
    matrix = system.matrix()
    graph = system.graph()
    costs = system.costs()
    status = np.where(shown, _PUB, _HID)
    status[shown & (values >= 1) & (values < threshold)] = _PRI
    protected = np.zeros(len(values), dtype=bool)
    exposed = np.zeros(len(values), dtype=bool)
    for target in np.flatnonzero(status == _PRI):
        if protected[target]:
            continue
        room = _room(values, status, threshold)
        cost = np.where(status == _PUB, costs, _MOVE_COST)
        if graph is not None:
            move = _cheapest_cycle(graph, room, cost, target)
        else:
            move = _cheapest_move(matrix, room, cost, target)
        if move is None:
            # Every published count may join the move, so hiding more cannot help: the marks
            # alone give it away (four "<5" cells of a total "<5" are all 1).
            exposed[target] = True
            continue
        moved = move != 0
        status[moved & (status == _PUB)] = _SEC
        protected |= moved
    # Every move found keeps the equations, so a protected value is never determined by them.
    hidden = ((status == _PRI) | (status == _SEC)) & ~exposed
    if (_determined(matrix, status != _PUB) & hidden).any():
        status[(status == _PUB) & (values > 0)] = _SEC  # never expected; fail safe
    return status, exposed


def _room(values: np.ndarray, status: np.ndarray, threshold: int) -> np.ndarray:
    """Per unknown, how far it may move down (column 0) and up (column 1) by one: a hidden
    value inside what its mark says ("<5": 1 to 4, "×": at least 5, a hidden margin: at least
    0), a published non-zero one as if newly hidden ("×"), a published 0 not at all."""
    lower = np.where(status == _PRI, 1, np.where(status == _HID, 0, threshold))
    upper = np.where(status == _PRI, threshold - 1, np.iinfo(np.int64).max)
    movable = (status != _PUB) | (values > 0)
    return np.column_stack([movable & (values > lower), movable & (values < upper)])


def _cheapest_cycle(
    graph: _Graph, room: np.ndarray, cost: np.ndarray, target: int
) -> np.ndarray | None:
    """The cheapest cycle through the target (Dijkstra), as a move of -1, 0 or +1 per unknown;
    None if there is none."""
    n = len(cost)
    best: tuple[float, list[tuple[int, int]]] | None = None
    for side in (0, 1):
        start, end = graph.nodes[target, side], graph.nodes[target, 1 - side]
        if not _may_move(graph, room, target, side):
            continue
        # A path back from the target's far end to its near end, never through the target.
        path = _shortest_path(graph, room, cost, end, start, target)
        if path is not None:
            total = cost[target] + sum(cost[i] for i, _ in path)
            if best is None or total < best[0]:
                best = (total, [(target, side), *path])
    if best is None:
        return None
    move = np.zeros(n)
    for i, side in best[1]:
        move[i] = graph.signs[i, side] * graph.parity[graph.nodes[i, side]]
    return move


def _may_move(graph: _Graph, room: np.ndarray, i: int, side: int) -> bool:
    step = graph.signs[i, side] * graph.parity[graph.nodes[i, side]]
    return bool(room[i, 1] if step > 0 else room[i, 0])


def _shortest_path(
    graph: _Graph, room: np.ndarray, cost: np.ndarray, source: int, sink: int, skip: int
) -> list[tuple[int, int]] | None:
    """The cheapest walk of movable edges from source to sink, as (edge, side it leaves from)."""
    distance = {source: 0.0}
    came: dict[int, tuple[int, int]] = {}
    heap = [(0.0, int(source))]
    done: set[int] = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node == sink:
            break
        for i in graph.incident[node]:
            if i == skip:
                continue
            side = 0 if graph.nodes[i, 0] == node else 1
            if not _may_move(graph, room, i, side):
                continue
            other = int(graph.nodes[i, 1 - side])
            nd = d + cost[i]
            if other not in done and nd < distance.get(other, math.inf):
                distance[other] = nd
                came[other] = (i, side)
                heapq.heappush(heap, (nd, other))
    if sink not in done:
        return None
    path = []
    node = sink
    while node != source:
        i, side = came[node]
        path.append((i, side))
        node = int(graph.nodes[i, side])
    return path[::-1]


def _cheapest_move(
    matrix: np.ndarray, room: np.ndarray, cost: np.ndarray, target: int
) -> np.ndarray | None:
    """For equations that are no graph (linked tables): the cheapest move y (-1, 0 or +1 per
    unknown) with matrix @ y = 0 that moves the target, as a linear programme (HiGHS), solved
    in whole numbers if its optimum is not already whole. None if there is none."""
    free = room.any(axis=1)
    idx = np.flatnonzero(free)
    n = idx.size
    if not free[target]:
        return None
    at = int(np.searchsorted(idx, target))
    sub = sparse.csr_matrix(matrix[:, idx])
    equations = sparse.hstack([sub, -sub]).tocsr()  # y = up - down
    rhs = np.zeros(equations.shape[0])
    costs = np.concatenate([cost[idx], cost[idx]])
    best: tuple[float, np.ndarray] | None = None
    for direction in (1, 0):  # the target up, or down
        upper = np.concatenate([room[idx, 1], room[idx, 0]]).astype(float)
        if not upper[at if direction else n + at]:
            continue
        lower = np.zeros(2 * n)
        lower[at if direction else n + at] = 1.0
        upper[n + at if direction else at] = 0.0
        x = _solve(costs, equations, rhs, lower, upper)
        if x is not None and (best is None or costs @ x < best[0]):
            best = (float(costs @ x), x)
    if best is None:
        return None
    move = np.zeros(len(cost))
    move[idx] = np.round(best[1][:n] - best[1][n:])
    return move


def _solve(
    costs: np.ndarray,
    equations: sparse.csr_matrix,
    rhs: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> np.ndarray | None:
    if equations.shape[0] == 0:
        return lower.copy()  # no equation: the target moves alone
    result = linprog(
        costs, A_eq=equations, b_eq=rhs, bounds=np.column_stack([lower, upper]), method="highs"
    )
    if result.status == 2:  # infeasible
        return None
    if result.status == 0 and np.abs(result.x - np.round(result.x)).max() < 1e-6:
        return np.round(result.x)
    whole = milp(
        costs,
        constraints=LinearConstraint(equations, rhs, rhs),
        integrality=np.ones(len(costs)),
        bounds=Bounds(lower, upper),
    )
    return np.round(whole.x) if whole.success else None


def _determined(matrix: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Which unknowns the equations determine, given every other value: those at which every
    vector of the null space of the matrix over the unknowns is 0, i.e. whose unit vector
    lies in the row space (SVD with a rank tolerance)."""
    determined = np.zeros(len(unknown), dtype=bool)
    idx = np.flatnonzero(unknown)
    if idx.size == 0 or matrix.shape[0] == 0:
        return determined
    sub = matrix[:, idx]
    sub = sub[np.abs(sub).sum(axis=1) > 0]
    if sub.shape[0] == 0:
        return determined
    _, singular, vt = np.linalg.svd(sub, full_matrices=False)
    tol = max(sub.shape) * np.finfo(float).eps * singular[0]
    rank = int((singular > tol).sum())
    in_row_space = (vt[:rank] ** 2).sum(axis=0)
    determined[idx] = in_row_space > 1 - _DETERMINED_TOL
    return determined


# --- input --------------------------------------------------------------------------------


def _check_threshold(threshold: int) -> None:
    # At 2, "<2" beside a shown 0 would say "1": the mark itself would give the count away.
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer):
        raise TypeError(f"threshold must be a whole number, not {threshold!r}")
    if threshold < 3:
        raise ValueError(f"threshold must be at least 3, not {threshold}")


def _as_frame(values: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(values, pd.Series):
        return values.to_frame().T
    if not isinstance(values, pd.DataFrame):
        raise TypeError(f"expected a DataFrame or Series, not {type(values).__name__}")
    return values


def _counts(frame: pd.DataFrame, where: str) -> np.ndarray:
    if not frame.index.is_unique or not frame.columns.is_unique:
        raise ValueError(f"{where}: row and column labels must be unique")
    try:
        counts = frame.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: the cells must be counts") from error
    given = counts[~np.isnan(counts)]
    if (~np.isfinite(given)).any() or (given < 0).any() or (given != np.round(given)).any():
        raise ValueError(f"{where}: the cells must be whole numbers of at least 0")
    return counts


def _same_counts(frame: pd.DataFrame, other: pd.DataFrame) -> bool:
    if frame.shape != other.shape:
        return False
    if not (frame.index.equals(other.index) and frame.columns.equals(other.columns)):
        return False
    a = frame.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    b = other.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return bool(np.array_equal(a, b, equal_nan=True))


def _is_nan(value: object) -> bool:
    return value is pd.NA or (isinstance(value, float) and math.isnan(value))
