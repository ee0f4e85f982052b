"""The frame every page shares: sample-data notice, title, data caption, charts with downloads."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, filters
from einclusie.db import NoDataError
from einclusie.export import csv_bytes, slug
from einclusie.selection import Selection
from einclusie.status import SAMPLE_NOTICE, data_status


def _ensure_navigation() -> None:
    """Run the page inside app.py's navigation, also when a visitor's first request is a link
    to a page. Streamlit then still assumes the old `pages/` folder mode (a class-wide guess
    made before app.py has run) and runs the page file alone: without the navigation, the
    wide layout or the shared sidebar. Correcting the guess and rerunning lets app.py run."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page(title: str) -> Selection:
    """Start a page: filters in the sidebar, notices, title and data caption.

    `title` may contain '{periode}', filled with the chosen period ('2022').
    Stops the page with a clear message when nothing has been loaded yet.
    """
    _ensure_navigation()
    try:
        data.version()
    except NoDataError as missing:
        st.title(title.format(periode="").strip())
        st.warning(str(missing))
        st.stop()
    selection = filters.sidebar()
    status = data.get(data_status)
    if status.sample:
        st.info(f"**Voorbeeldgegevens.** {SAMPLE_NOTICE}", icon="ℹ️")
    st.title(title.format(periode=selection.period_label()))
    st.caption(f"{status.caption()} · {selection.wijk_label()} · {selection.programme_label()}")
    return selection


def chart(figure: go.Figure, frame: pd.DataFrame, name: str, *, empty: str | None = None) -> None:
    """A chart with its data downloadable as CSV; a sentence instead when there is no data."""
    if frame.empty or (empty is not None and _all_zero(frame)):
        st.info(empty or "Er zijn geen gegevens voor deze selectie.", icon="ℹ️")
        return
    st.plotly_chart(figure, width="stretch", theme=None, key=f"grafiek_{slug(name)}")
    st.download_button(
        "Gegevens downloaden (CSV)",
        csv_bytes(frame),
        file_name=f"{slug(name)}.csv",
        mime="text/csv",
        key=f"csv_{slug(name)}",
        icon=":material/download:",
        on_click="ignore",
    )


def _all_zero(frame: pd.DataFrame) -> bool:
    numbers = frame.select_dtypes("number")
    return numbers.empty or bool((numbers.fillna(0) == 0).all().all())


def not_per_wijk(selection: Selection, what: str) -> bool:
    """Say so when a wijk filter cannot apply to `what`; True when the caller should stop."""
    if selection.wijken:
        st.info(
            f"{what} telt voor heel Gent en is niet aan een wijk gebonden; "
            "met een wijkfilter is er hier dus niets te tonen.",
            icon="ℹ️",
        )
        return True
    return False
