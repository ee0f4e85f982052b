"""The dashboard as the server runs it: `streamlit run serve.py` (what `make run` starts).

app.py is the dashboard; this wraps it in Streamlit's own ASGI app (`st.App`) for one thing:
a warm-up before the server answers /_stcore/health. The first visitor's page would otherwise
pay for importing pandas, Plotly and DuckDB and for opening the loaded version (summing its
facts): about 3 s of a 100x load on this machine (bench/browser.py). Nothing here draws or
queries for a page; without loaded data the warm-up is skipped and the page says what to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


def warm_up() -> None:
    """Import what every page imports and open the current version's database once."""
    import dashboard.layout  # noqa: F401  (pandas, Plotly, the chart catalogue)
    from einclusie.figures.db import NoDataError, database

    try:
        database().execute("select 1")
    except NoDataError:
        pass  # nothing loaded yet: the first page tells the user to load


@asynccontextmanager
async def _warm(app: st.App) -> AsyncIterator[None]:
    await asyncio.to_thread(warm_up)
    yield


app = st.App("app.py", lifespan=_warm)
