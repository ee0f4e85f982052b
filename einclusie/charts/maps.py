"""A map of Ghent's 25 wijken that needs no tile server, CDN or topojson download.

The boundaries are a GeoJSON file that is not part of the project (see `boundary_path`). Each
wijk is drawn as filled polygon(s) with `go.Scatter(fill="toself")` on plain x/y axes holding
longitude and latitude, so the figure renders in the browser and exports with kaleido offline.
"""

from __future__ import annotations

import functools
import json
import math
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from einclusie import settings
from einclusie.charts.style import FONT, PRINT_WIDTH, TEMPLATE
from einclusie.figures.publication import HIDDEN_COLUMN
from einclusie.format import format_number, plotly_literal

ENV_VARIABLE = "EINCLUSIE_WIJKEN_GEOJSON"
PROJECT_GEOJSON = settings.PROJECT_GEOJSON
SHARED_GEOJSON = settings.SHARED_GEOJSON

ATTRIBUTION = (
    "Wijken voor omgevingsanalyse. © gemeentebesturen, verzameld door Data & Analyse van de "
    "Vlaamse provincies"
)
HOW_TO_ADD_MAP = (
    "Zet de GeoJSON met de grenzen van de 25 wijken (bijvoorbeeld de opendataset "
    "'stadswijken-gent' van Stad Gent) in data/reference/wijken.geojson, of geef het pad ernaar "
    f"in de omgevingsvariabele {ENV_VARIABLE}, en laad de pagina opnieuw."
)

MAP_HEIGHT = 560  # px on screen
HIGHLIGHT_COLOUR = "#1f2a37"
# Ghent lies at about 51.05° N: a degree of latitude is 1/cos(51.05°) times as long as a degree
# of longitude, so the y axis is stretched by that factor to keep the map undistorted.
Y_SCALE = 1 / math.cos(math.radians(51.05))

Ring = tuple[tuple[float, float], ...]


class BoundaryError(Exception):
    """The boundary file cannot be used; the message (Dutch) names the file and the problem."""


@dataclass(frozen=True)
class WijkShape:
    """One official wijk with its outer rings in (lon, lat); holes are not kept."""

    wijknr: int
    wijk: str
    rings: tuple[Ring, ...]


@dataclass(frozen=True)
class Boundaries:
    """The 25 wijken in the order of data/reference/wijken.csv, read from `path`."""

    path: Path
    wijken: tuple[WijkShape, ...]

    def __iter__(self) -> Iterator[WijkShape]:
        return iter(self.wijken)

    def __len__(self) -> int:
        return len(self.wijken)

    @property
    def names(self) -> list[str]:
        return [shape.wijk for shape in self.wijken]


def boundary_path() -> Path | None:
    """The GeoJSON of the 25 wijken: $EINCLUSIE_WIJKEN_GEOJSON if set (even if it does not
    exist, so a wrong setting is reported rather than silently replaced), else
    data/reference/wijken.geojson, else ../shared/reference/gent-wijken.geojson, else None."""
    configured = settings.settings().wijken_geojson
    if configured is not None:
        return configured.expanduser()
    for candidate in (PROJECT_GEOJSON, SHARED_GEOJSON):
        if candidate.is_file():
            return candidate
    return None


def _key(name: object) -> str:
    """Names match ignoring case and spaces: 'Stationsbuurt - Zuid' is 'stationsbuurt-zuid'."""
    return "".join(str(name).split()).casefold()


def load_boundaries(path: Path, official: Sequence[tuple[int, str]]) -> Boundaries:
    """Read the 25 wijken from a GeoJSON file (WGS84; Polygon and MultiPolygon features).

    `official` is the list of (wijknr, wijk) of the loaded data (its `wijken` table).
    Features are matched to those wijken by property `wijk` (ignoring case and
    spaces) or else `wijknr`; features of other areas are ignored, several features of one
    wijk are joined. Cached per file and modification time. Raises BoundaryError."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise BoundaryError(
            f"Wijkgrenzen {path}: het bestand kan niet gelezen worden ({exc.strerror})."
        ) from exc
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size, tuple(map(tuple, official)))


@functools.lru_cache(maxsize=8)
def _load(
    path: Path, mtime_ns: int, size: int, official: tuple[tuple[int, str], ...]
) -> Boundaries:
    def fail(problem: str) -> BoundaryError:
        return BoundaryError(f"Wijkgrenzen {path}: {problem}")

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise fail(f"het bestand kan niet gelezen worden ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise fail("het bestand is geen UTF-8-tekst (geen GeoJSON).") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            f"het bestand is geen geldige GeoJSON (JSON-fout op regel {exc.lineno}: {exc.msg})."
        ) from exc
    features = _features(document)
    if features is None:
        raise fail("verwacht een GeoJSON FeatureCollection met wijken als features.")

    by_name = {_key(w): w for _, w in official}
    by_number = {int(nr): w for nr, w in official}
    rings: dict[str, list[Ring]] = {w: [] for _, w in official}

    for number, feature in enumerate(features, start=1):
        properties = _properties(feature)
        wijk = by_name.get(_key(properties.get("wijk", "")))
        if wijk is None:
            wijk = by_number.get(_as_int(properties.get("wijknr")))
        if wijk is None:
            continue  # another area (or an unnamed one): not one of the 25 wijken
        try:
            rings[wijk].extend(_outer_rings(feature.get("geometry")))
        except ValueError as exc:
            raise fail(
                f"de geometrie van wijk {wijk} (feature {number}) is ongeldig: {exc}"
            ) from exc

    missing = [w for w, found in rings.items() if not found]
    if missing:
        raise fail(
            f"{len(missing)} van de {len(rings)} wijken ontbreken: {', '.join(missing)}. "
            "Verwacht een feature per wijk met de eigenschap 'wijk' (naam) of 'wijknr' (nummer)."
        )
    _check_wgs84(rings, fail)
    shapes = tuple(WijkShape(wijknr=int(nr), wijk=w, rings=tuple(rings[w])) for nr, w in official)
    return Boundaries(path=path, wijken=shapes)


def _features(document: object) -> list[dict[str, Any]] | None:
    if not isinstance(document, dict):
        return None
    if document.get("type") == "Feature":
        return [document]
    features = document.get("features")
    if not isinstance(features, list):
        return None
    return [f for f in features if isinstance(f, dict)]


def _properties(feature: dict[str, Any]) -> dict[str, Any]:
    """Properties with lower-case keys, so 'WIJK' and 'Wijknr' match too."""
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return {}
    return {str(k).strip().lower(): v for k, v in properties.items()}


def _as_int(value: object) -> int | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _outer_rings(geometry: object) -> list[Ring]:
    """The outer ring of each polygon of a Polygon or MultiPolygon geometry."""
    if not isinstance(geometry, dict):
        raise ValueError("geen geometrie")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        raise ValueError(f"type {kind!r}; verwacht Polygon of MultiPolygon")
    result = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError("een polygoon zonder ringen")
        try:
            ring = tuple((float(p[0]), float(p[1])) for p in polygon[0])
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError("coördinaten zijn geen paren van getallen") from exc
        if len(ring) < 3:
            raise ValueError("een ring met minder dan drie punten")
        result.append(ring)
    return result


def _check_wgs84(rings: dict[str, list[Ring]], fail: Callable[[str], BoundaryError]) -> None:
    """Ghent lies around 3.7° E, 51.05° N; Lambert 72 metres or swapped axes are refused."""
    lons = [x for shapes in rings.values() for ring in shapes for x, _ in ring]
    lats = [y for shapes in rings.values() for ring in shapes for _, y in ring]
    if not (2 < min(lons) and max(lons) < 5 and 50 < min(lats) and max(lats) < 52):
        raise fail(
            "de coördinaten liggen niet rond Gent in lengte- en breedtegraden (WGS84, EPSG:4326); "
            "exporteer de GeoJSON in WGS84."
        )


# --- Classes -----------------------------------------------------------------------------------

# ColorBrewer "Blues" (colorbrewer2.org, by Cynthia Brewer): one hue that only grows darker,
# so the order of the classes reads in grey print and with every kind of colour blindness (the
# scheme is marked colour-blind safe and print friendly). These are its 7-class colours without
# the fifth (#4292c6): each step darker by 7 or more in lightness (CIELAB L*), and the two
# darkest carry the printed map's white numbers at 5:1 or more. The lightest is the class of
# 0; the counts above 0 take up to five of the others, always the darkest.
CLASS_COLOURS = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#2171b5", "#084594")
MAX_CLASSES = 5  # classes of the counts above 0, besides "0" and "geen gegevens"
NO_DATA = "geen gegevens"
# A wijk without data: hatched, so it never passes for a light class.
NO_DATA_PATTERN = {
    "shape": "/",
    "bgcolor": "white",
    "fgcolor": "#8593a1",
    "size": 8,
    "solidity": 0.2,
}
BORDER_COLOUR = "#8593a1"  # between the wijken: seen on the palest class and on the darkest
TEXT_COLOUR = "#1f2a37"
GREY_TEXT = "#5f6b77"
# How much balance a rounder class break may cost: a class twice the size of n/k costs as
# much as a break of 4 more digits (128 instead of 100 is 1,8 more).
ROUNDING_WEIGHT = 4.0


@dataclass(frozen=True)
class ValueClass:
    """One class of the legend: the values from `low` to `high`, both included (None and
    None for the wijken without data), drawn in `colour`, shown as `label`."""

    label: str
    colour: str
    low: float | None = None
    high: float | None = None

    def holds(self, value: float | None) -> bool:
        if value is None or self.low is None or self.high is None:
            return value is None and self.low is None
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Classes:
    """The classes of one map, in legend order: 0, the counts from low to high, no data.
    Values are shown with `decimals` decimals and classed as shown."""

    classes: tuple[ValueClass, ...]
    decimals: int

    def __iter__(self) -> Iterator[ValueClass]:
        return iter(self.classes)

    def __len__(self) -> int:
        return len(self.classes)

    def rounded(self, value: float | None) -> float | None:
        return None if value is None else round(float(value), self.decimals)

    def of(self, value: float | None) -> ValueClass:
        """The class of a value (None: no data); every value that was classified has one."""
        shown = self.rounded(value)
        return next(c for c in self.classes if c.holds(shown))


def _missing_value(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def classify(values: Sequence[float | None]) -> Classes:
    """Classes for the values of the wijken (None or NaN: no data).

    0 is a class of its own, in the palest colour. The other values get up to MAX_CLASSES
    classes of about as many wijken each (quantiles), whose breaks are moved to round numbers
    where that costs little balance (`_breaks`). Every class holds at least one wijk; the
    lowest starts at the lowest value and the highest ends at the highest, and each ends just
    below where the next starts (1.000 – 1.499, 1.500 – ...), so the labels read as ranges."""
    present = [float(v) for v in values if not _missing_value(v)]
    decimals = 0 if all(v.is_integer() for v in present) else 1
    shown = sorted(round(v, decimals) for v in present)
    counts = [v for v in shown if v != 0]
    classes: list[ValueClass] = []
    if len(counts) < len(shown):
        classes.append(ValueClass("0", CLASS_COLOURS[0], 0.0, 0.0))
    if counts:
        k = min(MAX_CLASSES, len(set(counts)))
        breaks = _breaks(counts, k, decimals)
        lows = [counts[0], *breaks]
        unit = 10.0**-decimals
        highs = [round(b - unit, decimals) for b in breaks] + [counts[-1]]
        span = len(CLASS_COLOURS) - 2
        shades = (
            [len(CLASS_COLOURS) - 1]
            if k == 1
            else [round(1 + i * span / (k - 1)) for i in range(k)]
        )
        for low, high, shade in zip(lows, highs, shades, strict=True):
            label = format_number(low, decimals)
            if high != low:
                label = f"{label} – {format_number(high, decimals)}"
            classes.append(ValueClass(label, CLASS_COLOURS[shade], low, high))
        classes.sort(key=lambda c: c.low if c.low is not None else 0.0)
    if len(present) < len(values):
        classes.append(ValueClass(NO_DATA, NO_DATA_PATTERN["bgcolor"]))
    return Classes(tuple(classes), decimals)


def _breaks(values: list[float], k: int, decimals: int) -> list[float]:
    """k - 1 class breaks for sorted `values` (k at most the number of distinct values).

    A break falls between two different values, as the roundest number there (`_roundest`).
    Of all sets of breaks, the one with the least roughness plus imbalance (the squared
    shares by which the classes miss n/k wijken, times ROUNDING_WEIGHT) wins; a class holds
    at least half of n/k wijken where the values allow it, else at least one."""
    n = len(values)
    size = n / k
    cuts = {
        c: _roundest(values[c - 1], values[c], decimals)
        for c in range(1, n)
        if values[c - 1] < values[c]
    }

    for least in (max(1, int(size // 2)), 1):  # the values may not allow the larger least
        chosen = _cheapest_cuts(n, k, least, {c: r for c, (_, r) in cuts.items()})
        if chosen is not None:
            return [cuts[c][0] for c in chosen]
    raise ValueError(f"{k} classes for {len(set(values))} distinct values")


def _cheapest_cuts(n: int, k: int, least: int, roughness: dict[int, float]) -> list[int] | None:
    """The k - 1 cuts (of `roughness`'s) that split n values into k classes of at least
    `least` each at the lowest cost (see `_breaks`), or None if there are none. By dynamic
    programming over (classes so far, last cut): a few hundred steps instead of every set."""
    size = n / k
    ends = [*sorted(roughness), n]
    # best[(j, end)]: (cost, previous end) of the first j classes when the j-th ends at `end`.
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
    for j in range(1, k + 1):
        for end in ends if j < k else [n]:
            if end == n and j < k:
                continue
            options = [
                (cost + ROUNDING_WEIGHT * ((end - start) / size - 1) ** 2, start)
                for (i, start), (cost, _) in best.items()
                if i == j - 1 and end - start >= least
            ]
            if options:
                cost, start = min(options)
                best[(j, end)] = (cost + roughness.get(end, 0.0), start)
    if (k, n) not in best:
        return None
    chosen, end = [], n
    for j in range(k, 1, -1):
        end = best[(j, end)][1]
        chosen.append(end)
    return chosen[::-1]


def _roundest(low: float, high: float, decimals: int) -> tuple[float, float]:
    """The roundest number above `low` and at most `high` with `decimals` decimals, and its
    roughness (log10 of the number over the roundest step it is a multiple of: 0 for 100,
    0,3 for 400, 0,7 for 125, 1,8 for 128)."""
    scale = 10**decimals
    low_units, high_units = round(low * scale), round(high * scale)
    top = max(abs(low_units), abs(high_units), 1)
    steps = sorted(
        (
            m * 10**e
            for e in range(len(str(top)) + 1)
            for m in (1, 2, 5, 25)
            if m * 10**e <= 10 * top
        ),
        reverse=True,
    )
    for step in steps:
        candidate = (low_units // step + 1) * step
        if candidate <= high_units:
            roughness = math.log10(abs(candidate) / step) if candidate else 0.0
            return round(candidate / scale, decimals), roughness
    raise ValueError(f"no number between {low} and {high}")  # step 1 always fits


# --- Where a wijk's number stands --------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def label_point(shape: WijkShape) -> tuple[float, float]:
    """(lon, lat) of the point of the wijk's largest part that lies farthest from its border
    (a "pole of inaccessibility"): the number stands there, inside the wijk, even in a bent one."""
    ring = max(shape.rings, key=_area)
    points = np.array(ring, dtype=float)
    ax, ay = points[:, 0], points[:, 1] * Y_SCALE  # a square metric: the map's own scale
    bx, by = np.roll(ax, -1), np.roll(ay, -1)
    dx, dy = bx - ax, by - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)

    def depth(px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Distance to the border: positive inside, negative outside."""
        x, y = px[:, None], py[:, None]
        crossing = ((ay > y) != (by > y)) & (x < ax + dx * (y - ay) / np.where(dy == 0, 1, dy))
        inside = crossing.sum(axis=1) % 2 == 1
        t = np.clip(((x - ax) * dx + (y - ay) * dy) / length2, 0, 1)
        distance = np.hypot(ax + t * dx - x, ay + t * dy - y).min(axis=1)
        return np.where(inside, distance, -distance)

    centre = np.array([(ax.min() + ax.max()) / 2, (ay.min() + ay.max()) / 2])
    half = np.array([(ax.max() - ax.min()) / 2, (ay.max() - ay.min()) / 2])
    for _ in range(4):  # a grid over the part, then finer grids around the deepest point
        steps = np.linspace(-1, 1, 25)
        gx, gy = np.meshgrid(centre[0] + steps * half[0], centre[1] + steps * half[1])
        px, py = gx.ravel(), gy.ravel()
        best = int(np.argmax(depth(px, py)))
        centre = np.array([px[best], py[best]])
        half = half / 6
    return float(centre[0]), float(centre[1] / Y_SCALE)


def _area(ring: Ring) -> float:
    edges = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges)) / 2


# --- The figure --------------------------------------------------------------------------------

PAD = 0.015  # white around the wijken, as a share of the map's width and height
ATTRIBUTION_CHARS = 56  # the attribution on screen: two lines that fit a phone
# The legend stands in the map's empty north-west corner (Ghent's port runs north-east).
LEGEND_FONT_SIZE = 12
LEGEND_ROW = 18  # px
SWATCH_WIDTH, SWATCH_HEIGHT = 18, 12  # px
# The printed map: a number on each wijk, and beside the map the numbered list (the key).
PRINT_MAP_HEIGHT = 780  # px of the map itself; the page is PRINT_WIDTH wide
KEY_FONT_SIZE = 13
KEY_ROW = 18  # px per line of the key
KEY_NAME_CHARS = 34  # a longer name takes two lines of the key
KEY_GAP = 24  # px between the map and the key
KEY_NUMBER_WIDTH = 22  # px for the numbers
KEY_NAME_WIDTH = 220  # px for the longest line of a name (Open Sans, the print font)
KEY_VALUE_WIDTH = 100  # px for the value column ("geen gegevens" too)
KEY_WIDTH = KEY_GAP + KEY_NUMBER_WIDTH + 8 + KEY_NAME_WIDTH + KEY_VALUE_WIDTH + 10
NUMBER_FONT_SIZE = 12
MARGIN = {"l": 10, "r": 10}


def wijk_map(
    values: pd.DataFrame,
    title: str,
    value_label: str,
    boundaries: Boundaries,
    highlight: str | None = None,
    labelled: bool = False,
) -> go.Figure:
    """A choropleth of the 25 wijken in classes (see `classify`); `values` has columns
    `wijk, waarde`.

    Wijk names match ignoring case and spaces; rows of the same wijk are added up, rows of
    other names are ignored, and a wijk without a row or value is hatched as "geen gegevens".
    The legend of the classes stands in the map's empty north-west corner. Hovering a wijk
    shows its name, value and class. `highlight` (a wijk name) gets a thick dark outline.

    The screen version (`labelled` False) fits any width at MAP_HEIGHT. The print version
    (`labelled`, for a page PRINT_WIDTH wide) carries each wijk's number on the map and,
    beside it, the numbered list of the wijken with their values, as the city's own maps do.
    One trace per wijk (in wijknr order, the highlighted one last), named after it."""
    data = _per_wijk(values, boundaries)
    marks = _hidden_marks(values)
    classes = classify(list(data.values()))
    if marks:  # the public view's hidden wijken share the hatched class, named for them
        hidden = {shape.wijk for shape in boundaries if _key(shape.wijk) in marks}
        missing = {w for w, v in data.items() if v is None} - hidden
        named = HIDDEN_CLASS if not missing else f"{NO_DATA} of {HIDDEN_CLASS}"
        classes = Classes(
            tuple(replace(c, label=named) if c.label == NO_DATA else c for c in classes),
            classes.decimals,
        )
    highlighted = _key(highlight) if highlight else None
    order = sorted(boundaries, key=lambda s: _key(s.wijk) == highlighted)  # stable: wijknr order
    label = plotly_literal(value_label)

    figure = go.Figure()
    for shape in order:
        value = data[shape.wijk]
        value_class = classes.of(value)
        name = plotly_literal(shape.wijk)
        if _key(shape.wijk) in marks:
            hover = f"<b>{name}</b><br>{label}: {marks[_key(shape.wijk)]} (afgeschermd)"
        elif value is None:
            hover = f"<b>{name}</b><br>{NO_DATA}"
        else:
            shown = format_number(value, classes.decimals)
            hover = f"<b>{name}</b><br>{label}: {shown}<br>Klasse: {value_class.label}"
        is_highlighted = _key(shape.wijk) == highlighted
        figure.add_trace(
            go.Scatter(
                x=_coordinates(shape, 0),
                y=_coordinates(shape, 1),
                mode="lines",
                fill="toself",
                fillcolor=value_class.colour,
                fillpattern=NO_DATA_PATTERN if value is None else None,
                line={
                    "color": HIGHLIGHT_COLOUR if is_highlighted else BORDER_COLOUR,
                    "width": 3.5 if is_highlighted else 0.7,
                },
                name=name,
                # Hover on a fill shows the trace's text when it is a single string.
                text=hover,
                hovertext=hover,
                hoveron="fills",
                hoverinfo="text",
                hoverlabel={
                    "bgcolor": "white",
                    "bordercolor": BORDER_COLOUR,
                    "font": {"family": FONT, "color": TEXT_COLOUR},
                    "align": "left",
                },
                showlegend=False,
            )
        )

    x_range, y_range = _ranges(boundaries)
    shapes, annotations = _legend(classes, label, x_range[0], y_range[1])
    if labelled:
        annotations += _numbers(boundaries, data, classes)
        annotations += _key_list(
            boundaries, data, classes, label, highlighted, x_range[1], y_range[1], marks
        )
    annotations.append(_attribution(labelled))

    # The page shows the title as text above the map (style.for_screen), a file on the map
    # itself (style.for_print): either way the figure's own top margin is replaced.
    top = 60
    attribution_lines = 1 if labelled else len(textwrap.wrap(ATTRIBUTION, ATTRIBUTION_CHARS))
    bottom = 18 + 14 * attribution_lines
    height = (PRINT_MAP_HEIGHT + top + bottom) if labelled else MAP_HEIGHT
    figure.update_xaxes(
        visible=False,
        range=x_range,
        constrain="domain",
        constraintoward="left",  # the map under the title, its legend and its source
        fixedrange=True,
        domain=[0, _map_share()] if labelled else [0, 1],
    )
    figure.update_yaxes(
        visible=False,
        range=y_range,
        rangemode="normal",
        scaleanchor="x",
        scaleratio=Y_SCALE,
        constrain="domain",
        constraintoward="bottom",  # on the source line; a narrow screen leaves room above
        fixedrange=True,
    )
    figure.update_layout(
        template=TEMPLATE,
        title={"text": plotly_literal(title)},
        height=height,
        margin={**MARGIN, "t": top, "b": bottom},
        showlegend=False,
        hovermode="closest",
        dragmode=False,  # a finger scrolling the page on a phone does not move the map
        shapes=shapes,
        annotations=annotations,
    )
    return figure


HIDDEN_CLASS = "afgeschermd (<5 of ×)"


def _hidden_marks(values: pd.DataFrame) -> dict[str, str]:
    """The public view's marks ('<5', '×') by wijk key, for the wijken whose value is hidden."""
    if HIDDEN_COLUMN not in values:
        return {}
    return {
        _key(name): str(mark)
        for name, mark in zip(values["wijk"], values[HIDDEN_COLUMN].fillna(""), strict=True)
        if mark
    }


def _per_wijk(values: pd.DataFrame, boundaries: Boundaries) -> dict[str, float | None]:
    """Each wijk's value: the sum of its rows, None when it has no row with a value."""
    totals: dict[str, float] = {}
    if len(values):
        numbers = pd.to_numeric(values["waarde"], errors="coerce")
        for name, value in zip(values["wijk"], numbers, strict=True):
            if not pd.isna(value):
                totals[_key(name)] = totals.get(_key(name), 0.0) + float(value)
    return {shape.wijk: totals.get(_key(shape.wijk)) for shape in boundaries}


def _coordinates(shape: WijkShape, axis: int) -> list[float | None]:
    """x (axis 0) or y (axis 1) of all rings of a wijk, a gap (None) between two rings."""
    result: list[float | None] = []
    for ring in shape.rings:
        if result:
            result.append(None)
        result.extend(point[axis] for point in ring)
    return result


def _ranges(boundaries: Boundaries) -> tuple[list[float], list[float]]:
    """The axis ranges: the wijken's bounding box and a little white (fit to the geometry)."""
    lons = [x for shape in boundaries for ring in shape.rings for x, _ in ring]
    lats = [y for shape in boundaries for ring in shape.rings for _, y in ring]
    pad_x = (max(lons) - min(lons)) * PAD
    pad_y = (max(lats) - min(lats)) * PAD
    return [min(lons) - pad_x, max(lons) + pad_x], [min(lats) - pad_y, max(lats) + pad_y]


def _aspect(x_range: list[float], y_range: list[float]) -> float:
    """The map's width over its height, undistorted."""
    return (x_range[1] - x_range[0]) / ((y_range[1] - y_range[0]) * Y_SCALE)


def _map_share() -> float:
    """The share of a printed page's width (PRINT_WIDTH) the map may take beside its key."""
    return 1 - KEY_WIDTH / (PRINT_WIDTH - MARGIN["l"] - MARGIN["r"])


def _legend(
    classes: Classes, label: str, x: float, y: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Swatches and ranges of the classes, from (x, y) (the map's north-west corner) down.
    Sized in pixels from that corner, so they keep their size and place at every width."""
    corner = {
        "name": "legend",
        "xref": "x",
        "yref": "y",
        "xsizemode": "pixel",
        "ysizemode": "pixel",
    }
    text = {"name": "legend", "xref": "x", "yref": "y", "x": x, "y": y, "yanchor": "top"}
    text |= {"showarrow": False}
    font = {"family": FONT, "size": LEGEND_FONT_SIZE, "color": TEXT_COLOUR}
    annotations = [{**text, "text": f"<b>{label}</b>", "xanchor": "left", "font": font}]
    shapes: list[dict[str, Any]] = []
    for row, value_class in enumerate(classes, start=1):
        middle = -row * LEGEND_ROW - LEGEND_ROW / 2 + 1
        box = {
            **corner,
            "type": "rect",
            "xanchor": x,
            "yanchor": y,
            "x0": 0,
            "x1": SWATCH_WIDTH,
            "y0": middle - SWATCH_HEIGHT / 2,
            "y1": middle + SWATCH_HEIGHT / 2,
            "fillcolor": value_class.colour,
            "line": {"color": BORDER_COLOUR, "width": 0.7},
        }
        shapes.append(box)
        if value_class.low is None:  # no data: hatched as on the map
            lines = _hatch(middle - SWATCH_HEIGHT / 2)
            shapes.append(
                {
                    **corner,
                    "type": "path",
                    "xanchor": x,
                    "yanchor": y,
                    "path": lines,
                    "line": {"color": NO_DATA_PATTERN["fgcolor"], "width": 1},
                }
            )
        annotations.append(
            {
                **text,
                "text": value_class.label,
                "xanchor": "left",
                "xshift": SWATCH_WIDTH + 6,
                "yshift": -row * LEGEND_ROW,
                "font": font,
            }
        )
    return shapes, annotations


def _hatch(bottom: float, gap: int = 5) -> str:
    """An SVG path of "/" lines over a swatch whose lower edge is `bottom` px."""
    segments = []
    for start in range(-SWATCH_HEIGHT, SWATCH_WIDTH, gap):
        t0, t1 = max(0, -start), min(SWATCH_HEIGHT, SWATCH_WIDTH - start)
        if t0 < t1:
            segments.append(f"M{start + t0},{bottom + t0} L{start + t1},{bottom + t1}")
    return " ".join(segments)


def _numbers(
    boundaries: Boundaries, data: dict[str, float | None], classes: Classes
) -> list[dict[str, Any]]:
    """Each wijk's number at its label point, white on the two darkest classes."""
    dark = set(CLASS_COLOURS[-2:])
    result = []
    for shape in boundaries:
        x, y = label_point(shape)
        colour = classes.of(data[shape.wijk]).colour
        result.append(
            {
                "name": "number",
                "xref": "x",
                "yref": "y",
                "x": x,
                "y": y,
                "text": f"<b>{shape.wijknr}</b>",
                "showarrow": False,
                "font": {
                    "family": FONT,
                    "size": NUMBER_FONT_SIZE,
                    "color": "white" if colour in dark else TEXT_COLOUR,
                },
            }
        )
    return result


def _key_list(
    boundaries: Boundaries,
    data: dict[str, float | None],
    classes: Classes,
    label: str,
    highlighted: str | None,
    east: float,
    north: float,
    marks: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The numbered list beside the printed map: number, name (on two lines when long) and
    value of each wijk, from the map's north-east corner (east, north) down and to the right,
    in pixels, so it stays beside the map at any size; the highlighted wijk in bold."""
    number_end = KEY_GAP + KEY_NUMBER_WIDTH
    name_start = number_end + 8
    value_end = name_start + KEY_NAME_WIDTH + KEY_VALUE_WIDTH
    font = {"family": FONT, "size": KEY_FONT_SIZE, "color": TEXT_COLOUR}
    base = {"name": "key", "xref": "x", "yref": "y", "x": east, "y": north, "yanchor": "top"}
    base |= {"showarrow": False, "font": font}
    result = [
        {**base, "text": "<b>Wijk</b>", "xanchor": "left", "xshift": name_start},
        {**base, "text": f"<b>{label}</b>", "xanchor": "right", "xshift": value_end},
    ]
    row = 1
    for shape in boundaries:
        value = data[shape.wijk]
        shown = NO_DATA if value is None else format_number(value, classes.decimals)
        shown = (marks or {}).get(_key(shape.wijk), shown)  # '<5', '×': hidden, not missing
        lines = textwrap.wrap(shape.wijk, KEY_NAME_CHARS, break_on_hyphens=False)
        name = "<br>".join(plotly_literal(line) for line in lines)
        bold = _key(shape.wijk) == highlighted
        cells = [
            (str(shape.wijknr), "right", number_end),
            (name, "left", name_start),
            (shown, "right", value_end),
        ]
        for text, anchor, shift in cells:
            result.append(
                {
                    **base,
                    "text": f"<b>{text}</b>" if bold else text,
                    "xanchor": anchor,
                    "align": anchor,
                    "xshift": shift,
                    "yshift": -row * KEY_ROW,
                }
            )
        row += len(lines)
    return result


def _attribution(labelled: bool) -> dict[str, Any]:
    lines = [ATTRIBUTION] if labelled else textwrap.wrap(ATTRIBUTION, ATTRIBUTION_CHARS)
    return {
        "name": "attribution",
        "text": "<br>".join(lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": -8,
        "align": "left",
        "showarrow": False,
        "font": {"family": FONT, "size": 11, "color": GREY_TEXT},
    }
