"""Cached access to the query layer, keyed by the loaded version: a new load shows at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import streamlit as st

from dashboard import access
from dashboard.per_run import once_per_run
from einclusie.charts import catalogue
from einclusie.charts.maps import boundary_path
from einclusie.charts.style import for_screen
from einclusie.figures import publication, queries, status, values
from einclusie.figures.db import current_version
from einclusie.figures.disclosure import protection_note
from einclusie.figures.publication import HIDDEN_COLUMN
from einclusie.figures.selection import Selection
from einclusie.settings import settings

T = TypeVar("T")

# Only these functions may be called through the cache (looked up by module and name).
_MODULES = {"values": values, "queries": queries, "status": status}


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(version: str, public: int, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    # `public` is the small-number threshold of the public view (0: not public): the one
    # query path (einclusie/figures/values.py) then hides what may not be published.
    with publication.public(public):
        return getattr(_MODULES[module], name)(*args, **dict(kwargs))


def public_threshold() -> int:
    """The threshold of the public view for this run's viewer; 0 for everyone else."""
    config = settings()
    if not config.public_view:  # the usual case: no viewer to work out on every call
        return 0
    return config.threshold if access.viewer().public else 0


@once_per_run
def version() -> str:
    """The folder of the last complete load; part of every cache key. Once per run: resolving
    the link was a tenth of a light page's run (py-spy), and a run shows one version
    throughout, even when a load finishes while it runs."""
    return str(current_version())


def get(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Call a query function through Streamlit's cache (results are small frames)."""
    module = function.__module__.rsplit(".", 1)[-1]
    if _MODULES.get(module) is None or getattr(_MODULES[module], function.__name__) is not function:
        raise ValueError(f"{function.__module__}.{function.__name__} is not a query function")
    return _cached(
        version(),
        public_threshold(),
        module,
        function.__name__,
        args,
        tuple(sorted(kwargs.items())),
    )


@st.cache_resource(show_spinner=False, max_entries=512)
def _chart(
    version: str, public: int, boundaries: str, name: str, selection: Selection, args: tuple
) -> catalogue.Chart:
    # A resource, not data: unpickling a Plotly figure validates it all over again, and a
    # chart is never changed after this (for_screen is applied here, once).
    chart = getattr(catalogue, name)(selection, get, *args)
    for_screen(chart.figure)
    for _, panel in chart.panels:
        for_screen(panel)
    if public and HIDDEN_COLUMN in chart.frame and chart.frame[HIDDEN_COLUMN].fillna("").any():
        # Said under the chart and written into its files: why some numbers are missing.
        chart = replace(chart, note=f"{chart.note} {protection_note(public)}".strip())
    return chart


def chart(
    builder: Callable[..., catalogue.Chart], selection: Selection, *args: object
) -> catalogue.Chart:
    """A chart of the catalogue as a page shows it, built once per loaded version, selection
    and arguments (building Plotly figures was 70 to 250 ms of a page's run)."""
    if getattr(catalogue, builder.__name__, None) is not builder:
        raise ValueError(f"{builder.__module__}.{builder.__name__} is not a chart of the catalogue")
    return _chart(version(), public_threshold(), _boundaries(), builder.__name__, selection, args)


def _boundaries() -> str:
    """Which boundary file the maps draw (and its version): another file, another map."""
    path = boundary_path()
    if path is None:
        return ""
    try:
        return f"{path}@{path.stat().st_mtime_ns}"
    except OSError:
        return str(path)
