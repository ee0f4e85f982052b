"""A map of Ghent's 25 wijken that needs no tile server, CDN or topojson download.

The boundaries are a GeoJSON file that is not part of the project (see `boundary_path`). Each
wijk is drawn as filled polygon(s) with `go.Scatter(fill="toself")` on plain x/y axes holding
longitude and latitude, so the figure renders in the browser and exports with kaleido offline.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from einclusie import settings
from einclusie.charts.style import FONT, SEQUENTIAL_SCALE, TEMPLATE
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

MAP_HEIGHT = 560
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


def wijk_map(
    values: pd.DataFrame,
    title: str,
    value_label: str,
    boundaries: Boundaries,
    highlight: str | None = None,
) -> go.Figure:
    """A choropleth of the 25 wijken; `values` has columns `wijk, waarde`.

    Wijk names match ignoring case and spaces; a wijk without a row (or with an empty value)
    is drawn as 0, rows of the same wijk are added up, rows of other names are ignored.
    `highlight` (a wijk name) gets a thick dark outline. One trace per wijk (in wijknr order,
    the highlighted one last) plus one invisible trace carrying the colour bar."""
    totals: dict[str, float] = {}
    if len(values):
        numbers = pd.to_numeric(values["waarde"], errors="coerce").fillna(0)
        for name, value in zip(values["wijk"], numbers, strict=True):
            totals[_key(name)] = totals.get(_key(name), 0.0) + float(value)
    data = {shape.wijk: totals.get(_key(shape.wijk), 0.0) for shape in boundaries}
    decimals = 0 if all(float(v).is_integer() for v in data.values()) else 1
    low = min(0.0, *data.values())
    high = max(data.values())
    if high <= low:
        high = low + 1
    highlighted = _key(highlight) if highlight else None
    order = sorted(boundaries, key=lambda s: _key(s.wijk) == highlighted)  # stable: wijknr order

    figure = go.Figure()
    for shape in order:
        value = data[shape.wijk]
        colour = sample_colorscale(SEQUENTIAL_SCALE, [(value - low) / (high - low)])[0]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in shape.rings:
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(x for x, _ in ring)
            ys.extend(y for _, y in ring)
        label = f"{plotly_literal(shape.wijk)}: {format_number(value, decimals)}"
        is_highlighted = _key(shape.wijk) == highlighted
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=colour,
                line={
                    "color": HIGHLIGHT_COLOUR if is_highlighted else "white",
                    "width": 3.5 if is_highlighted else 0.8,
                },
                name=plotly_literal(shape.wijk),
                # Hover on a fill shows the trace's text when it is a single string.
                text=label,
                hovertext=label,
                hoveron="fills",
                hoverinfo="text",
                showlegend=False,
            )
        )

    colour_bar: dict[str, Any] = {
        "title": {"text": value_label, "side": "top"},
        "tickformat": ",d" if decimals == 0 else ",.1~f",  # 2,5 and 70, not 70,0
        # Labels below their tick, so the top one does not run into the title.
        "ticklabelposition": "outside bottom",
        "thickness": 14,
        "len": 0.75,
        "outlinewidth": 0,
    }
    if decimals == 0 and high - low < 5:
        colour_bar.update(tick0=0, dtick=1)  # no repeated whole numbers on a short scale
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={
                "color": [low],
                "colorscale": SEQUENTIAL_SCALE,
                "cmin": low,
                "cmax": high,
                "showscale": True,
                "colorbar": colour_bar,
            },
            hoverinfo="skip",
            showlegend=False,
            name=value_label,
        )
    )

    lons = [x for shape in boundaries for ring in shape.rings for x, _ in ring]
    lats = [y for shape in boundaries for ring in shape.rings for _, y in ring]
    pad_x = (max(lons) - min(lons)) * 0.02
    pad_y = (max(lats) - min(lats)) * 0.02
    figure.update_xaxes(
        visible=False, range=[min(lons) - pad_x, max(lons) + pad_x], constrain="domain"
    )
    figure.update_yaxes(
        visible=False,
        range=[min(lats) - pad_y, max(lats) + pad_y],
        rangemode="normal",
        scaleanchor="x",
        scaleratio=Y_SCALE,
        constrain="domain",
    )
    figure.update_layout(
        template=TEMPLATE,
        title={"text": plotly_literal(title)},
        height=MAP_HEIGHT,
        margin={"l": 10, "r": 10, "t": 60, "b": 36},
        showlegend=False,
        hovermode="closest",
        dragmode="pan",
        annotations=[
            {
                "text": ATTRIBUTION,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -8,
                "showarrow": False,
                "font": {"family": FONT, "size": 11, "color": "#5f6b77"},
            }
        ],
    )
    return figure
