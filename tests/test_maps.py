"""The wijk map: finding and reading the boundary file, the figure, and an offline PNG export."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from PIL import Image
from plotly.colors import sample_colorscale

from einclusie.charts import maps
from einclusie.charts.maps import (
    ATTRIBUTION,
    HOW_TO_ADD_MAP,
    BoundaryError,
    boundary_path,
    load_boundaries,
    wijk_map,
)
from einclusie.charts.style import SEQUENTIAL_SCALE
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
LOWEST = sample_colorscale(SEQUENTIAL_SCALE, [0.0])[0]
HIGHEST = sample_colorscale(SEQUENTIAL_SCALE, [1.0])[0]

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


def polygon_traces(figure) -> list:
    return [t for t in figure.data if t.fill == "toself"]


def test_every_wijk_is_drawn_and_a_wijk_without_a_value_counts_as_zero(
    synthetic: maps.Boundaries,
):
    values = pd.DataFrame(
        {"wijk": ["binnenstad", "Drongen", "Drongen"], "waarde": [500, 1000, 234]}
    )
    figure = wijk_map(values, "Hulpvragen per wijk", "Hulpvragen", synthetic)
    polygons = polygon_traces(figure)
    assert [t.name for t in polygons] == NAMES
    hover = {t.name: t.hovertext for t in polygons}
    assert hover["Binnenstad"] == "Binnenstad: 500"
    assert hover["Drongen"] == "Drongen: 1.234"  # rows of one wijk add up; Dutch thousands dot
    assert hover["Ledeberg"] == "Ledeberg: 0"
    fills = {t.name: t.fillcolor for t in polygons}
    assert fills["Ledeberg"] == LOWEST and fills["Drongen"] == HIGHEST
    assert None in polygons[0].x  # the MultiPolygon's two parts, separated by a gap
    (bar,) = [t for t in figure.data if t.fill != "toself"]
    assert bar.marker.showscale and bar.marker.cmin == 0 and bar.marker.cmax == 1234
    assert bar.marker.colorbar.title.text == "Hulpvragen"
    assert figure.layout.height == maps.MAP_HEIGHT


def test_an_empty_frame_draws_the_map_all_zero(synthetic: maps.Boundaries):
    figure = wijk_map(pd.DataFrame({"wijk": [], "waarde": []}), "Leeg", "Aantal", synthetic)
    assert len(polygon_traces(figure)) == 25
    assert {t.fillcolor for t in polygon_traces(figure)} == {LOWEST}


def test_the_highlighted_wijk_is_drawn_last_with_a_thick_dark_outline(
    synthetic: maps.Boundaries,
):
    values = pd.DataFrame({"wijk": NAMES, "waarde": range(25)})
    figure = wijk_map(values, "Titel", "Aantal", synthetic, highlight="rabot - BLAISANTVEST")
    polygons = polygon_traces(figure)
    assert polygons[-1].name == "Rabot - Blaisantvest"
    assert polygons[-1].line.width >= 3 and polygons[-1].line.color == maps.HIGHLIGHT_COLOUR
    assert all(t.line.color == "white" and t.line.width < 1 for t in polygons[:-1])
    unknown = wijk_map(values, "Titel", "Aantal", synthetic, highlight="Heel Gent")
    assert [t.name for t in polygon_traces(unknown)] == NAMES


@needs_shared
def test_the_shared_file_holds_the_25_official_wijken():
    boundaries = load_boundaries(SHARED, WIJKEN)
    assert boundaries.names == NAMES
    for shape in boundaries:
        for ring in shape.rings:
            assert all(3.55 < x < 3.9 and 50.97 < y < 51.2 for x, y in ring), shape.wijk


@needs_shared
def test_the_map_of_the_shared_file_is_offline_and_dutch():
    boundaries = load_boundaries(SHARED, WIJKEN)
    values = pd.DataFrame({"wijk": NAMES, "waarde": [1234 * (i % 7) for i in range(25)]})
    figure = wijk_map(values, "Hulpvragen per wijk, 2022", "Hulpvragen", boundaries, "Ledeberg")
    assert len(polygon_traces(figure)) == 25
    assert len(figure.data) == 26  # + the colour bar
    assert all(t.hoveron == "fills" and t.hoverinfo == "text" for t in polygon_traces(figure))
    hover = {t.name: t.hovertext for t in polygon_traces(figure)}
    assert hover["Sluizeken - Tolhuis - Ham"] == "Sluizeken - Tolhuis - Ham: 1.234"
    assert hover["Drongen"] == "Drongen: 3.702"  # 1.234 × (24 % 7)
    assert hover["Stationsbuurt-Noord"] == "Stationsbuurt-Noord: 0"
    assert [a.text for a in figure.layout.annotations] == [ATTRIBUTION]
    assert figure.layout.title.text == "Hulpvragen per wijk, 2022"
    assert figure.layout.yaxis.scaleanchor == "x"
    assert figure.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(51.05)))
    assert not figure.layout.xaxis.visible and not figure.layout.yaxis.visible
    text = figure.to_json().lower()
    for word in ("mapbox", "tiles", "topojson", "cdn", "http"):
        assert word not in text, word


def chromium() -> str | None:
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).is_file():
        return configured
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if Path(name).is_file():
            return name
    return shutil.which("chromium") or shutil.which("google-chrome")


@needs_shared
def test_the_map_exports_to_png_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine for kaleido (set BROWSER_PATH)")
    monkeypatch.setenv("BROWSER_PATH", browser)
    boundaries = load_boundaries(SHARED, WIJKEN)
    values = pd.DataFrame({"wijk": NAMES, "waarde": [100 * n for n, _ in WIJKEN]})
    figure = wijk_map(values, "Hulpvragen per wijk", "Hulpvragen", boundaries, "Binnenstad")
    png = pio.to_image(figure, format="png", width=1200, height=800)
    path = tmp_path / "map.png"
    path.write_bytes(png)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (1200, 800)
        pixels = image.convert("RGB")
        colours = pixels.getcolors(maxcolors=1_000_000)
    assert colours is not None
    counts = {rgb: n for n, rgb in colours}
    white = counts.get((255, 255, 255), 0)
    assert white < 0.9 * 1200 * 800  # the map covers a fair part (Ghent is not a square)
    darkest = tuple(int(c) for c in HIGHEST[4:-1].split(","))
    assert counts.get(darkest, 0) > 500  # Drongen (wijknr 25) in the scale's darkest colour
