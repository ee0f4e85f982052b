"""The wijk map: finding and reading the boundary file, the classes and their legend, the screen
and print figures, and how they look when kaleido draws them (real Chromium)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from einclusie.charts import catalogue, maps
from einclusie.charts.maps import (
    ATTRIBUTION,
    CLASS_COLOURS,
    HOW_TO_ADD_MAP,
    NO_DATA,
    BoundaryError,
    boundary_path,
    classify,
    load_boundaries,
    wijk_map,
)
from einclusie.charts.style import PRINT_WIDTH, for_screen
from einclusie.exports import files as chart_files
from einclusie.exports.tables import context_for
from einclusie.figures.queries import kpi_by_wijk
from einclusie.figures.selection import Selection
from tests.conftest import PROJECT

SHARED = PROJECT.parent / "shared" / "reference" / "gent-wijken.geojson"
WIJKEN = [
    (int(r["wijknr"]), r["wijk"])
    for r in csv.DictReader(
        io.StringIO((PROJECT / "data/reference/wijken.csv").read_text(encoding="utf-8")),
        delimiter=";",
    )
]
NAMES = [name for _, name in WIJKEN]
# The widths of the Wijken page's chart column when the browser window is 390 px (a phone,
# sidebar folded away), 1024 px and 1440 px wide (sidebar open).
SCREEN_WIDTHS = (358, 564, 980)

needs_shared = pytest.mark.skipif(
    not SHARED.is_file(), reason="../shared/reference/gent-wijken.geojson is not beside the project"
)


def square(lon: float, lat: float, size: float = 0.01) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def synthetic_features() -> list[dict]:
    """25 squares near Ghent, matched in every way the loader allows."""
    features = []
    for i, (number, name) in enumerate(WIJKEN):
        ring = square(3.65 + 0.02 * (i % 5), 51.0 + 0.02 * (i // 5))
        if number == 1:  # a MultiPolygon, name in other case and spacing
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[ring], [square(3.9, 51.15, 0.005)]],
            }
            properties = {"wijk": "  BINNEN STAD "}
        elif number == 21:  # only the number, as text, under an upper-case key
            geometry = {"type": "Polygon", "coordinates": [ring]}
            properties = {"WIJKNR": "21", "wijk": "Stationsbuurt Zuid (oud)"}
        else:
            geometry = {"type": "Polygon", "coordinates": [ring]}
            properties = {"wijk": name.replace(" - ", "-"), "wijknr": number}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    features.append(  # a feature of no wijk is ignored
        {
            "type": "Feature",
            "properties": {"wijk": "Haven"},
            "geometry": {"type": "Polygon", "coordinates": [square(3.8, 51.2)]},
        }
    )
    return features


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


@pytest.fixture
def synthetic(tmp_path: Path) -> maps.Boundaries:
    return load_boundaries(write_geojson(tmp_path / "wijken.geojson", synthetic_features()), WIJKEN)


# boundary_path


def test_boundary_path_takes_the_environment_variable_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    configured = tmp_path / "elders" / "grenzen.geojson"
    monkeypatch.setenv("EINCLUSIE_WIJKEN_GEOJSON", str(configured))
    # Even when it does not exist: the page then reports the wrong setting.
    assert boundary_path() == configured


def test_boundary_path_prefers_the_project_file_then_shared_then_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project_file = tmp_path / "project" / "data" / "reference" / "wijken.geojson"
    shared_file = tmp_path / "shared" / "reference" / "gent-wijken.geojson"
    monkeypatch.delenv("EINCLUSIE_WIJKEN_GEOJSON", raising=False)
    monkeypatch.setattr(maps, "PROJECT_GEOJSON", project_file)
    monkeypatch.setattr(maps, "SHARED_GEOJSON", shared_file)
    assert boundary_path() is None

    shared_file.parent.mkdir(parents=True)
    shared_file.write_text("{}", encoding="utf-8")
    assert boundary_path() == shared_file

    project_file.parent.mkdir(parents=True)
    project_file.write_text("{}", encoding="utf-8")
    assert boundary_path() == project_file

    monkeypatch.setenv("EINCLUSIE_WIJKEN_GEOJSON", "   ")  # blank counts as not set
    assert boundary_path() == project_file


def test_the_default_locations_are_the_documented_ones():
    assert maps.PROJECT_GEOJSON == PROJECT / "data" / "reference" / "wijken.geojson"
    assert maps.SHARED_GEOJSON == PROJECT.parent / "shared" / "reference" / "gent-wijken.geojson"


def test_attribution_and_instructions_are_the_agreed_dutch_texts():
    assert ATTRIBUTION == (
        "Wijken voor omgevingsanalyse. © gemeentebesturen, verzameld door Data & Analyse van de "
        "Vlaamse provincies"
    )
    for part in ("data/reference/wijken.geojson", "EINCLUSIE_WIJKEN_GEOJSON", "stadswijken-gent"):
        assert part in HOW_TO_ADD_MAP


# load_boundaries


def test_features_match_by_name_ignoring_case_and_spaces_or_by_number(
    synthetic: maps.Boundaries,
):
    assert synthetic.names == NAMES
    assert [s.wijknr for s in synthetic] == [n for n, _ in WIJKEN]
    binnenstad = synthetic.wijken[0]
    assert len(binnenstad.rings) == 2  # both parts of the MultiPolygon
    assert all(len(s.rings) == 1 for s in synthetic.wijken[1:])


def test_loading_is_cached_until_the_file_changes(tmp_path: Path):
    path = write_geojson(tmp_path / "wijken.geojson", synthetic_features())
    first = load_boundaries(path, WIJKEN)
    assert load_boundaries(path, WIJKEN) is first
    features = synthetic_features()
    features[1]["geometry"]["coordinates"][0][0] = [3.64, 51.0]
    features[1]["geometry"]["coordinates"][0][-1] = [3.64, 51.0]
    write_geojson(path, features)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_boundaries(path, WIJKEN) is not first


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"wijknr;wijk\n1;Binnenstad\n", "geen geldige GeoJSON"),
        (b"\xff\xfe\x00binary", "geen UTF-8"),
        (b'{"type": "Topology", "objects": {}}', "FeatureCollection"),
    ],
)
def test_a_file_that_is_not_geojson_is_refused_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
):
    path = tmp_path / "kapot.geojson"
    path.write_bytes(content)
    with pytest.raises(BoundaryError) as error:
        load_boundaries(path, WIJKEN)
    assert str(path.resolve()) in str(error.value)
    assert problem in str(error.value)


def test_a_missing_file_is_refused_naming_the_file(tmp_path: Path):
    path = tmp_path / "nergens.geojson"
    with pytest.raises(BoundaryError, match="kan niet gelezen worden") as error:
        load_boundaries(path, WIJKEN)
    assert str(path) in str(error.value)


def test_a_file_missing_wijken_names_them(tmp_path: Path):
    features = [f for f in synthetic_features() if f["properties"].get("wijk") != "Drongen"]
    features = [f for f in features if f["properties"].get("wijknr") != 24]  # Mariakerke
    path = write_geojson(tmp_path / "half.geojson", features)
    with pytest.raises(BoundaryError) as error:
        load_boundaries(path, WIJKEN)
    message = str(error.value)
    assert str(path.resolve()) in message
    assert "2 van de 25 wijken ontbreken: Mariakerke, Drongen" in message


def test_other_geometries_and_projected_coordinates_are_refused(tmp_path: Path):
    features = synthetic_features()
    features[4]["geometry"] = {"type": "Point", "coordinates": [3.7, 51.05]}
    with pytest.raises(BoundaryError, match="geometrie van wijk Watersportbaan - Ekkergem"):
        load_boundaries(write_geojson(tmp_path / "punt.geojson", features), WIJKEN)

    features = synthetic_features()
    for feature in features:  # Lambert 72 metres instead of degrees
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            polygon[0] = [[x * 28000, y * 3400] for x, y in polygon[0]]
    with pytest.raises(BoundaryError, match="WGS84"):
        load_boundaries(write_geojson(tmp_path / "lambert.geojson", features), WIJKEN)


# wijk_map
# classify


def dutch(text: str) -> float:
    """'1.234' -> 1234, '2,5' -> 2.5: a number as the legend writes it."""
    return float(text.replace(".", "").replace(",", "."))


def legend_range(label: str) -> tuple[float, float]:
    """The range a reader sees in a legend label: '1.000 – 1.499', '25' or '0'."""
    parts = label.split(" – ")
    assert len(parts) in (1, 2), label
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?", p) for p in parts), label
    return dutch(parts[0]), dutch(parts[-1])


def missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def check_classes(values: list[float | None]) -> maps.Classes:
    """What a reader of the legend relies on: each wijk's value falls in exactly one class,
    within the range its label writes; every class has wijken; the ranges follow each other
    without a gap; 0 and "geen gegevens" are classes of their own; darker is more."""
    classes = classify(values)
    members: dict[str, list[float | None]] = {c.label: [] for c in classes}
    for value in values:
        shown = None if missing(value) else classes.rounded(value)
        holding = [c for c in classes if c.holds(shown)]
        assert len(holding) == 1, (value, [c.label for c in holding])
        members[holding[0].label].append(value)
    assert all(members.values()), {k: v for k, v in members.items() if not v}
    labels = [c.label for c in classes]
    assert ("0" in labels) == any(v == 0 for v in values)
    assert (NO_DATA in labels) == any(missing(v) for v in values)
    assert NO_DATA not in labels[:-1]  # last in the legend
    counted = [c for c in classes if c.label not in ("0", NO_DATA)]
    assert len(counted) <= maps.MAX_CLASSES
    for c in counted:
        low, high = legend_range(c.label)
        assert all(low <= round(v, classes.decimals) <= high for v in members[c.label]), c.label
    step = 10**-classes.decimals
    for lower, upper in itertools.pairwise(counted):
        assert legend_range(upper.label)[0] == pytest.approx(legend_range(lower.label)[1] + step)
    shades = [CLASS_COLOURS.index(c.colour) for c in classes if c.label != NO_DATA]
    assert shades == sorted(set(shades)), "each class darker than the one below it"
    if counted:
        assert counted[-1].colour == CLASS_COLOURS[-1]
    return classes


@pytest.mark.parametrize(
    "values",
    [
        [0] * 25,
        [None] * 25,
        [7] * 25,
        list(range(25)),
        [round(1000 * 1.35**i) for i in range(25)],  # thousands to millions
        [0, 0, 1, 1, 1, 2, 1_000_000, None],
        [0.5, 1.25, 2.0, 2.75, 3.1, 10.0, None, float("nan")],
        [16] * 14 + [17, 17, 17, 22, 31, 32, 33, 0, 0, 0, 0],  # many wijken with one value
    ],
)
def test_the_classes_hold_every_value_within_the_range_their_label_writes(values):
    check_classes(values)


def test_the_classes_of_every_sample_map_hold_every_wijk(sample_data: Path):
    fetch = catalogue.direct(sample_data)
    for year in (2021, 2022, 2023):
        for key in catalogue.PER_WIJK_KEYS:
            values = fetch(kpi_by_wijk, Selection.year(year), key)["waarde"].tolist()
            check_classes(values)


def test_class_breaks_are_round_numbers_written_the_dutch_way():
    values = [1234, 1500, 1800, 2400, 3300, 4100, 5500, 9000, 12000, 15000]
    assert [c.label for c in classify(values)] == [
        "1.234 – 1.749",
        "1.750 – 2.499",
        "2.500 – 4.999",
        "5.000 – 9.999",
        "10.000 – 15.000",
    ]
    decimals = classify([0.5, 1.25, 2.0, 2.75, 3.1, 10.0])
    assert [c.label for c in decimals] == [
        "0,5 – 0,9",
        "1,0 – 1,9",
        "2,0 – 2,4",
        "2,5 – 9,9",
        "10,0",
    ]
    assert [c.label for c in classify([0, 0, 25, None])] == ["0", "25", NO_DATA]


def lightness(colour: str) -> float:
    """CIELAB L* of an sRGB colour: what survives colour blindness and grey print."""
    y = luminance(colour)
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb', 'rgb(r, g, b)' or 'white'."""
    if colour.startswith("rgb("):
        channels = [int(c) / 255 for c in colour[4:-1].split(",")]
    else:
        colour = "#ffffff" if colour == "white" else colour
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def shades(colours: list[str], apart: float = 7) -> int:
    """How many shades a reader tells apart among `colours`: lightness levels `apart` or more
    from each other (one hue: lightness is what tells them apart)."""
    levels: list[float] = []
    for level in sorted(lightness(c) for c in set(colours)):
        if not levels or level - levels[-1] >= apart:
            levels.append(level)
    return len(levels)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_class_colours_grow_darker_in_steps_a_colour_blind_reader_sees():
    steps = [lightness(a) - lightness(b) for a, b in itertools.pairwise(CLASS_COLOURS)]
    assert all(step >= 7 for step in steps), steps  # one hue: lightness alone tells them apart
    assert lightness(CLASS_COLOURS[0]) < lightness("white")  # 0 is not the paper


# wijk_map


def polygon_traces(figure: go.Figure) -> list:
    return [t for t in figure.data if t.fill == "toself"]


def named(figure: go.Figure, name: str) -> list:
    """The annotations and shapes of the figure that are part `name` (legend, number, ...)."""
    items = [*figure.layout.annotations, *figure.layout.shapes]
    return [item for item in items if item.name == name]


def legend_texts(figure: go.Figure) -> list[str]:
    """The legend as a reader reads it: its title, then each class."""
    return [plain(a.text) for a in figure.layout.annotations if a.name == "legend"]


def plain(text: str) -> str:
    return re.sub(r"</?b>", "", text.replace("<br>", " "))


def test_each_wijk_is_filled_in_its_class_and_a_wijk_without_data_is_hatched(
    synthetic: maps.Boundaries,
):
    values = pd.DataFrame(
        {
            "wijk": ["binnenstad", "Drongen", "Drongen", "Ledeberg", "Oostakker"],
            "waarde": [500, 1000, 234, 0, None],
        }
    )
    figure = wijk_map(values, "Hulpvragen per wijk", "Hulpvragen", synthetic)
    polygons = polygon_traces(figure)
    assert [t.name for t in polygons] == NAMES
    fills = {t.name: t.fillcolor for t in polygons}
    classes = classify([500, 1234, 0, None])
    assert fills["Drongen"] == classes.of(1234).colour == CLASS_COLOURS[-1]  # rows add up
    assert fills["Binnenstad"] == classes.of(500).colour != fills["Drongen"]
    assert fills["Ledeberg"] == CLASS_COLOURS[0]  # 0: the palest class
    hatched = {t.name for t in polygons if t.fillpattern.shape}
    assert hatched == set(NAMES) - {"Binnenstad", "Drongen", "Ledeberg"}  # no row, no value
    legend = legend_texts(figure)
    assert legend == ["Hulpvragen", "0", "500 – 999", "1.000 – 1.234", NO_DATA]
    printed = wijk_map(values, "Hulpvragen per wijk", "Hulpvragen", synthetic, labelled=True)
    key = [plain(a.text) for a in named(printed, "key")]
    rows = {key[i + 1]: key[i + 2] for i in range(2, len(key), 3)}
    assert rows["Drongen"] == "1.234" and rows["Ledeberg"] == "0" and rows["Oostakker"] == NO_DATA
    assert None in polygons[0].x  # the MultiPolygon's two parts, separated by a gap
    assert figure.layout.height == maps.MAP_HEIGHT


def test_hover_names_the_wijk_with_its_dutch_value_and_its_class(synthetic: maps.Boundaries):
    values = pd.DataFrame({"wijk": NAMES, "waarde": [1000 * n + 5 for n, _ in WIJKEN]})
    values.loc[values["wijk"] == "Ledeberg", "waarde"] = None
    figure = wijk_map(values, "Hulpvragen per wijk", "Hulpvragen", synthetic)
    hover = {t.name: t.hovertext for t in polygon_traces(figure)}
    drongen = classify(values["waarde"].tolist()).of(25_005).label
    assert drongen.endswith(" – 25.005")
    assert hover["Drongen"] == f"<b>Drongen</b><br>Hulpvragen: 25.005<br>Klasse: {drongen}"
    assert hover["Binnenstad"] == "<b>Binnenstad</b><br>Hulpvragen: 1.005<br>Klasse: 1.005 – 4.999"
    assert hover["Ledeberg"] == f"<b>Ledeberg</b><br>{NO_DATA}"
    assert all(t.hoveron == "fills" and t.hoverinfo == "text" for t in polygon_traces(figure))
    assert all(t.text == t.hovertext for t in polygon_traces(figure))  # a fill shows `text`


def test_an_empty_frame_draws_every_wijk_as_without_data(synthetic: maps.Boundaries):
    figure = wijk_map(pd.DataFrame({"wijk": [], "waarde": []}), "Leeg", "Aantal", synthetic)
    assert len(polygon_traces(figure)) == 25
    assert all(t.fillpattern.shape == "/" for t in polygon_traces(figure))
    assert legend_texts(figure) == ["Aantal", NO_DATA]


def test_the_highlighted_wijk_is_drawn_last_with_a_thick_dark_outline(
    synthetic: maps.Boundaries,
):
    values = pd.DataFrame({"wijk": NAMES, "waarde": range(25)})
    figure = wijk_map(values, "Titel", "Aantal", synthetic, highlight="rabot - BLAISANTVEST")
    polygons = polygon_traces(figure)
    assert polygons[-1].name == "Rabot - Blaisantvest"
    assert polygons[-1].line.width >= 3 and polygons[-1].line.color == maps.HIGHLIGHT_COLOUR
    assert all(t.line.width < 1 for t in polygons[:-1])
    printed = wijk_map(values, "Titel", "Aantal", synthetic, "Rabot - Blaisantvest", labelled=True)
    bold = {plain(a.text) for a in named(printed, "key") if a.text.startswith("<b>")}
    assert bold == {"Wijk", "Aantal", "7", "Rabot - Blaisantvest", "6"}  # header and its row
    unknown = wijk_map(values, "Titel", "Aantal", synthetic, highlight="Heel Gent")
    assert [t.name for t in polygon_traces(unknown)] == NAMES


def test_names_from_the_boundary_file_are_shown_as_written(tmp_path: Path):
    odd = [(n, f"{w} <i>&amp;</i>") if n == 7 else (n, w) for n, w in WIJKEN]
    features = synthetic_features()
    features[6]["properties"] = {"wijknr": 7}  # matched by number, named by the data
    boundaries = load_boundaries(write_geojson(tmp_path / "w.geojson", features), odd)
    name = "Rabot - Blaisantvest <i>&amp;</i>"
    values = pd.DataFrame({"wijk": [name], "waarde": [12]})
    printed = wijk_map(values, f"Kaart {name}", "Aantal", boundaries, labelled=True)
    literal = "Rabot - Blaisantvest &lt;i&gt;&amp;amp;&lt;/i&gt;"
    trace = next(t for t in polygon_traces(printed) if t.fillpattern.shape is None)
    assert trace.name == literal and trace.hovertext.startswith(f"<b>{literal}</b><br>")
    key = [a.text for a in named(printed, "key")]
    assert any(literal in text.replace("<br>", " ") for text in key)
    assert literal in printed.layout.title.text


def test_the_attribution_stays_under_the_map_on_screen_and_in_print(synthetic: maps.Boundaries):
    values = pd.DataFrame({"wijk": NAMES, "waarde": range(25)})
    for labelled in (False, True):
        figure = wijk_map(values, "Titel", "Aantal", synthetic, labelled=labelled)
        (note,) = named(figure, "attribution")
        assert note.text.replace("<br>", " ") == ATTRIBUTION
        assert (note.xref, note.yref, note.x, note.y, note.yanchor) == (
            "paper",
            "paper",
            0,
            0,
            "top",
        )
        assert figure.layout.margin.b >= 14 * (note.text.count("<br>") + 1)  # room for its lines


@needs_shared
def test_the_shared_file_holds_the_25_official_wijken():
    boundaries = load_boundaries(SHARED, WIJKEN)
    assert boundaries.names == NAMES
    for shape in boundaries:
        for ring in shape.rings:
            assert all(3.55 < x < 3.9 and 50.97 < y < 51.2 for x, y in ring), shape.wijk


@pytest.fixture
def shared_map(monkeypatch: pytest.MonkeyPatch) -> Path:
    if not SHARED.is_file():
        pytest.skip("../shared/reference/gent-wijken.geojson is not beside the project")
    monkeypatch.setenv("EINCLUSIE_WIJKEN_GEOJSON", str(SHARED))
    return SHARED


def test_the_sample_2022_help_request_map_tells_the_wijken_beside_binnenstad_apart(
    sample_data: Path, shared_map: Path
):
    chart = catalogue.wijk_choropleth(
        Selection.year(2022), catalogue.direct(sample_data), "help_requests_total"
    )
    fills = {t.name: t.fillcolor for t in polygon_traces(chart.figure)}
    others = [colour for name, colour in fills.items() if name != "Binnenstad"]
    assert shades(others) >= 5  # was one pale blue for all 24 beside Binnenstad
    legend = legend_texts(chart.figure)
    assert legend == [
        "Aantal",
        "0",
        "72 – 99",
        "100 – 149",
        "150 – 249",
        "250 – 399",
        "400 – 5.237",
    ]
    values = dict(zip(chart.frame["wijk"], chart.frame["waarde"], strict=True))
    for name, colour in fills.items():  # each wijk in the colour of the class its value is in
        label = classify(list(values.values())).of(values[name]).label
        low, high = legend_range(label)
        assert low <= values[name] <= high
        assert colour == next(c.colour for c in classify(list(values.values())) if c.label == label)
    # The data behind the chart (its CSV and XLSX) is as before: a row per wijk.
    assert list(chart.frame.columns) == ["wijknr", "wijk", "waarde", "aandeel (%)"]
    assert list(chart.frame["wijk"]) == NAMES and values["Binnenstad"] == 5237


def depth_px(point: tuple[float, float], ring: maps.Ring, px_per_degree: float) -> float:
    """How far (px) a point lies inside a ring on a map drawn at `px_per_degree` of latitude;
    negative outside."""
    x, y = point[0] / maps.Y_SCALE * px_per_degree, point[1] * px_per_degree
    ring_px = [(a / maps.Y_SCALE * px_per_degree, b * px_per_degree) for a, b in ring]
    inside, nearest = False, math.inf
    for (x0, y0), (x1, y1) in zip(ring_px, ring_px[1:] + ring_px[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (x1 - x0) * (y - y0) / (y1 - y0):
            inside = not inside
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / ((dx * dx + dy * dy) or 1)))
        nearest = min(nearest, math.hypot(x0 + t * dx - x, y0 + t * dy - y))
    return nearest if inside else -nearest


@needs_shared
def test_the_print_version_numbers_each_wijk_inside_it_and_lists_them_beside_the_map():
    boundaries = load_boundaries(SHARED, WIJKEN)
    values = pd.DataFrame({"wijk": NAMES, "waarde": [37 * n * n for n, _ in WIJKEN]})
    figure = wijk_map(values, "Hulpvragen per wijk, 2022", "Aantal", boundaries, labelled=True)
    numbers = named(figure, "number")
    assert sorted(int(plain(a.text)) for a in numbers) == list(range(1, 26))
    y_range = figure.layout.yaxis.range
    px_per_degree = maps.PRINT_MAP_HEIGHT / (y_range[1] - y_range[0])
    fills = {t.name: t.fillcolor for t in polygon_traces(figure)}
    for shape, number in zip(boundaries, numbers, strict=True):
        assert plain(number.text) == str(shape.wijknr)
        digits = len(str(shape.wijknr))
        size = number.font.size  # bold digits: about 0,6 em wide and 0,75 em high
        room = math.hypot(0.3 * size * digits, 0.375 * size)
        ring = max(shape.rings, key=maps._area)
        assert depth_px((number.x, number.y), ring, px_per_degree) >= room, shape.wijk
        assert contrast(number.font.color, fills[shape.wijk]) >= 4.5, shape.wijk
    key = [plain(a.text) for a in named(figure, "key")]
    assert key[:2] == ["Wijk", "Aantal"]
    rows = [key[i : i + 3] for i in range(2, len(key), 3)]
    assert rows == [[str(n), w, maps.format_number(37 * n * n)] for n, w in WIJKEN]
    long_name = next(a for a in named(figure, "key") if a.text.startswith("Elisabeth"))
    assert long_name.text.count("<br>") == 1  # two lines, not one running into the values
    # The key starts beside the map's east edge, in pixels, so no size can push it onto it.
    x_range = figure.layout.xaxis.range
    assert all(a.xref == "x" and a.x == x_range[1] for a in named(figure, "key"))
    assert min(a.xshift for a in named(figure, "key")) >= maps.KEY_GAP
    plot_width = PRINT_WIDTH - figure.layout.margin.l - figure.layout.margin.r
    assert (1 - figure.layout.xaxis.domain[1]) * plot_width >= maps.KEY_WIDTH


# Drawn by kaleido in the real Chromium


def pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def only_the_wijken(figure: go.Figure | dict, keep: str = "") -> dict:
    """The same figure with nothing drawn but the wijken (and the items named `keep`)."""
    bare = figure.to_dict() if isinstance(figure, go.Figure) else json.loads(json.dumps(figure))
    layout = bare["layout"]
    layout["title"] = {**layout.get("title", {}), "text": "", "subtitle": {"text": ""}}
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") == keep]
    layout["shapes"] = []
    return bare


def sample_map(sample_data: Path, labelled: bool) -> tuple[go.Figure, catalogue.Chart]:
    selection = Selection.year(2022)
    chart = catalogue.wijk_choropleth(
        selection, catalogue.direct(sample_data), "help_requests_total"
    )
    values = chart.frame[["wijk", "waarde"]]
    boundaries = load_boundaries(SHARED, WIJKEN)
    figure = wijk_map(values, chart.title, "Aantal", boundaries, "Ledeberg", labelled=labelled)
    return figure, chart


@pytest.mark.parametrize("width", SCREEN_WIDTHS)
def test_on_screen_the_map_fills_its_frame_and_its_legend_covers_no_wijk(
    renderer, sample_data: Path, shared_map: Path, width: int
):
    figure, _ = sample_map(sample_data, labelled=False)
    figure = for_screen(figure)  # as the page shows it: the title above it, as text
    height = maps.MAP_HEIGHT
    full, bare = (
        pixels(png)
        for png in renderer.images(
            [(figure, "png", width, height), (only_the_wijken(figure), "png", width, height)]
        )
    )
    drawn = np.argwhere((bare < 250).any(axis=2))  # the wijken
    (top, left), (bottom, right) = drawn.min(axis=0), drawn.max(axis=0)
    map_height, map_width = bottom - top + 1, right - left + 1
    boxes = load_boundaries(SHARED, WIJKEN)
    x_range, y_range = maps._ranges(boxes)
    true_aspect = maps._aspect(x_range, y_range)  # the white around is the same on all sides
    assert map_width / map_height == pytest.approx(true_aspect, rel=0.03)  # Ghent not squashed
    margin = figure.layout.margin
    plot_width = width - margin.l - margin.r
    plot_height = height - margin.t - margin.b
    fill = max(map_width / plot_width, map_height / plot_height)
    assert fill > 0.93, fill  # the map fills its frame in one direction, small margins
    assert left <= margin.l + 0.02 * map_width  # flush left, under the page's title
    changed = np.argwhere((full != bare).any(axis=2))
    assert (bare[tuple(changed.T)] >= 250).all(), "the title, legend or source covers a wijk"
    in_plot = changed[(changed[:, 0] >= margin.t) & (changed[:, 0] < height - margin.b)]
    assert len(in_plot) > 500  # the legend, drawn
    assert (in_plot[:, 0] >= top - 6).all() and (in_plot[:, 1] <= right).all()  # on the map
    below = changed[changed[:, 0] > bottom]
    assert len(below) and below[:, 0].max() < height - 2  # the source under it, not cut off


def test_the_printed_map_reads_without_hovering(renderer, sample_data: Path, shared_map: Path):
    figure, chart = sample_map(sample_data, labelled=True)
    context = context_for(chart.title, Selection.year(2022), dt.date(2022, 12, 31))
    printed = replace(chart, figure=figure)  # as the pack draws the map's print version
    png_job, svg_job = chart_files.image_jobs(printed, context, ["png", "svg"])
    assert png_job.width == PRINT_WIDTH
    bare_job = replace(png_job, figure=only_the_wijken(png_job.figure, keep="number"))
    png, svg, bare_png = renderer.images([png_job, svg_job, bare_job])
    full, base = pixels(png), pixels(bare_png)
    assert full.shape[1] == PRINT_WIDTH * png_job.scale
    edge = np.concatenate([full[:3].reshape(-1, 3), full[-3:].reshape(-1, 3)])
    edge = np.concatenate([edge, full[:, :3].reshape(-1, 3), full[:, -3:].reshape(-1, 3)])
    assert (edge >= 250).all(), "something runs off the edge of the printed image"
    changed = np.argwhere((full != base).any(axis=2))
    assert (base[tuple(changed.T)] >= 250).all(), "the key, legend or title covers a wijk"
    text = " ".join(t.strip() for t in ET.fromstring(svg).itertext() if t.strip())
    for number, name in WIJKEN:
        for line in name.replace("Prinsenhof - ", "Prinsenhof -\n").split("\n"):
            assert line.strip() in text, line
        assert re.search(rf"(^| ){number}( |$)", text), number
    assert "400 – 5.237" in text and "5.237" in text
    assert ATTRIBUTION in text
    assert "Periode: 2022 · Wijken: heel Gent" in text


@needs_shared
def test_the_map_of_the_shared_file_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    boundaries = load_boundaries(SHARED, WIJKEN)
    values = pd.DataFrame({"wijk": NAMES, "waarde": [1234 * (i % 7) for i in range(25)]})
    for labelled in (False, True):
        figure = wijk_map(
            values, "Hulpvragen per wijk, 2022", "Hulpvragen", boundaries, "Ledeberg", labelled
        )
        assert len(figure.data) == 25
        assert figure.layout.yaxis.scaleanchor == "x"
        assert figure.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(51.05)))
        assert not figure.layout.xaxis.visible and not figure.layout.yaxis.visible
        text = figure.to_json().lower()
        for word in ("mapbox", "tiles", "topojson", "cdn", "http"):
            assert word not in text, word
