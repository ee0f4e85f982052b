"""One colour per programme, device way and audience, in every chart, readable by everyone.

A reader of the annual report learns "Digibanken is orange" from one chart and reads the next
with it; a colour that changes from chart to chart (as it did: Vorming magenta, then orange)
makes them misread. The charts checked here are the ones the pages show and the pack renders.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert

from einclusie.charts import catalogue, style
from einclusie.figures.selection import Selection

CVD = ("deuteranomaly", "protanomaly", "tritanomaly")
APART = 8.0  # CAM02-UCS distance that stays clearly visible between two colours of a chart
# Two colours of different meanings stand farther apart than two colours of one chart: a reader
# compares a colour with one remembered from another chart (orange in one, orange in the next),
# not side by side, and remembered colours are matched far less precisely. Twice APART: it
# catches what a reader takes for the same colour (the palette before issue 10 had Digibanken
# and Geschonken at 5.8, Allemaal Digitaal and Uitgeleend at 6.5, Vorming and Burgers at 13.7)
# and leaves room for the 20 named colours that stand 3:1 on white (closest pair now 17.5).
SAME_LOOK = 2 * APART


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)]) / 255


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of `colour` against white."""
    c = _rgb(colour)
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    return 1.05 / (luminance + 0.05)


def distance(a: str, b: str, seen_as: str | None = None) -> float:
    """How far apart two colours look, to normal vision or simulated colour blindness."""

    def view(colour: str) -> np.ndarray:
        rgb = _rgb(colour)
        if seen_as is not None:
            space = {"name": "sRGB1+CVD", "cvd_type": seen_as, "severity": 100}
            rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
        return cspace_convert(rgb, "sRGB1", "CAM02-UCS")

    return float(np.linalg.norm(view(a) - view(b)))


def trace_colours(figure) -> dict[str, str]:
    """Series (or bar, for a single series coloured per bar) name -> colour of a chart."""
    colours: dict[str, str] = {}
    for trace in figure.data:
        colour = trace.marker.color if trace.type == "bar" else trace.line.color
        if isinstance(colour, tuple | list):
            categories = trace.y if trace.orientation == "h" else trace.x
            colours.update(zip(map(str, categories), colour, strict=True))
        elif colour is not None:
            colours[str(trace.name).removesuffix(" (stand)")] = colour
    return colours


@pytest.fixture(scope="module")
def charts(sample_data: Path) -> list[catalogue.Chart]:
    fetch = catalogue.direct(sample_data)
    selections = [
        Selection(dt.date(2022, 1, 1), dt.date(2022, 12, 31), (), ()),
        Selection(dt.date(2023, 1, 1), dt.date(2023, 12, 31), ("Ledeberg",), ()),
    ]
    return [
        chart
        for selection in selections
        for chart in catalogue.every_chart(selection, fetch)
        if isinstance(chart, catalogue.Chart) and not chart.key.endswith("-kaart")
    ]


def test_every_colour_of_the_palette_stands_out_against_white():
    tables = [
        style.PROGRAMME_COLOURS,
        style.DEVICE_WAY_COLOURS,
        style.AUDIENCE_COLOURS,
        style.KPI_COLOURS,
        dict(enumerate(style.YEAR_COLOURS)),
        dict(enumerate(style.OTHER_COLOURS)),
        {"één reeks": style.GENT_BLUE},
    ]
    weak = {
        name: round(contrast_with_white(colour), 2)
        for table in tables
        for name, colour in table.items()
        if contrast_with_white(colour) < 3
    }
    assert not weak, f"colours under 3:1 against white (WCAG 1.4.11): {weak}"


def named_colours() -> list[tuple[str, str, str]]:
    """(table, name, colour) for every colour that stands for something. Stad Gent's blue
    (GENT_BLUE) is not among them: it is the colour of a chart of one series, which has no
    legend and whose title says what it counts."""
    tables = {
        "programma": style.PROGRAMME_COLOURS,
        "manier van inzet": style.DEVICE_WAY_COLOURS,
        "doelgroep": style.AUDIENCE_COLOURS,
        "kerncijfer": style.KPI_COLOURS,
        "jaar": dict(zip(("nieuwste", "vorige", "voorvorige"), style.YEAR_COLOURS, strict=True)),
    }
    return [
        (table, name, colour) for table, named in tables.items() for name, colour in named.items()
    ]


def test_a_colour_means_one_thing_across_programmes_ways_audiences_figures_and_years():
    """No two names share a colour, or one that looks like it, unless they mean the same:
    a key figure that is a device way, the lending pool that is the Uitleendienst's."""
    alike = [
        (f"{table_a}: {a}", f"{table_b}: {b}", round(gap, 1))
        for (table_a, a, colour_a), (table_b, b, colour_b) in itertools.combinations(
            named_colours(), 2
        )
        if (gap := distance(colour_a, colour_b)) < SAME_LOOK
        and frozenset({a, b}) not in style.SAME_MEANING
    ]
    assert not alike, f"different meanings, (nearly) one colour: {alike}"
    # What the exceptions say holds: names of the same meaning share the colour itself, apart
    # from the lighter blue of the help at home.
    by_name = {name: colour for _, name, colour in named_colours()}
    for pair in style.SAME_MEANING:
        a, b = sorted(pair)
        assert pair == {"Aan huis", "Digipunten"} or by_name[a] == by_name[b], pair


def test_a_series_without_a_colour_of_its_own_borrows_no_meaning():
    borrowed = [
        (other, name, round(gap, 1))
        for other in style.OTHER_COLOURS
        for _, name, colour in named_colours()
        if (gap := distance(other, colour)) < SAME_LOOK
    ]
    assert not borrowed, borrowed
    for a, b in itertools.combinations(style.OTHER_COLOURS, 2):  # several in one chart
        for seen_as in (None, *CVD):
            assert distance(a, b, seen_as) >= APART, (a, b, seen_as)


def test_each_programme_device_way_and_audience_has_one_colour_in_every_chart(charts):
    seen: dict[str, set[str]] = {}
    for chart in charts:
        for name, colour in trace_colours(chart.figure).items():
            if name in style.SERIES_COLOURS:
                seen.setdefault(style.PROGRAMME_ALIASES.get(name, name), set()).add(colour)
    # The names the charts show: every programme with a chart, the four ways, both audiences.
    assert {"Digipunten", "Digibanken", "Allemaal Digitaal", "Bibliotheek", "Vorming"} <= set(seen)
    assert set(style.DEVICE_WAY_COLOURS) | set(style.AUDIENCE_COLOURS) <= set(seen)
    assert {name: colours for name, colours in seen.items() if len(colours) > 1} == {}
    for name, colours in seen.items():
        assert colours == {style.SERIES_COLOURS[name]}, name


def test_the_colours_of_one_chart_stay_apart_also_for_colour_blind_readers(charts):
    crowded = []
    for chart in charts:
        colours = sorted(set(trace_colours(chart.figure).values()))
        for a, b in itertools.combinations(colours, 2):
            for seen_as in (None, *CVD):
                if (gap := distance(a, b, seen_as)) < APART:
                    crowded.append((chart.key, a, b, seen_as or "normaal", round(gap, 1)))
    assert not crowded, crowded


def test_series_keep_the_order_of_their_colour_table_in_the_legend(charts):
    by_key: dict[str, catalogue.Chart] = {}
    for chart in charts:  # the city's 2022 charts come first
        by_key.setdefault(chart.key, chart)
    names = [t.name for t in by_key["hulpvragen-per-maand"].figure.data]
    assert names == ["Digipunten", "Aan huis", "Digibank", "Allemaal Digitaal (intern)"]
    years = [t.name for t in by_key["kerncijfers-per-jaar"].figure.data]
    assert years == sorted(years)
    assert by_key["kerncijfers-per-jaar"].figure.data[-1].marker.color == style.YEAR_COLOURS[0]
