"""The dashboard as the server runs it: `streamlit run serve.py` (what `make run` starts).

app.py is the dashboard; this wraps it in Streamlit's own ASGI app (`st.App`) for one thing:
a warm-up before the server answers /_stcore/health. The first visitor's page would otherwise
pay for importing pandas, Plotly and DuckDB and for opening the loaded version (summing its
facts): about 3 s of a 100x load on this machine (bench/browser.py). Nothing here draws or
queries for a page; without loaded data the warm-up is skipped and the page says what to do.
"""

from __future__ import annotations

import asyncio
import importlib
import ipaddress
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

REFUSAL = (
    "Het dashboard start niet: het zou luisteren op {address}, bereikbaar van buiten deze "
    "machine, maar er is geen aanmelding ingesteld (een sectie [auth] in "
    ".streamlit/secrets.toml). Stel de aanmelding in (zie de README, 'Login and roles'), "
    "zet alleen de publieke weergave aan (EINCLUSIE_PUBLIEK=1), of laat het alleen op "
    "127.0.0.1 luisteren (make run)."
)


BROKEN_SECRETS = (
    "Het dashboard start niet: er is een bestand met geheime instellingen (secrets.toml), "
    "maar het kan niet gelezen worden (rechten of TOML-fout). Zonder dat bestand zou elke "
    "bezoeker alles zien; herstel het eerst."
)
REQUIRED = (
    "Het dashboard start niet: EINCLUSIE_AANMELDING=verplicht, maar er is geen aanmelding "
    "ingesteld (een sectie [auth] in .streamlit/secrets.toml). Stel ze in, zie de README."
)


def loopback(address: str | None) -> bool:
    """True for 127.0.0.1, ::1 and localhost; an empty address means every interface."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def refuse_unprotected() -> None:
    """Never serve more than the public figures beyond this machine without a login (exit
    code 2): not on another address, not where a login is asked for (EINCLUSIE_AANMELDING),
    and never with a secrets file that cannot be read."""
    from dashboard.access import login_state
    from einclusie.settings import settings

    address = st.config.get_option("server.address")
    config = settings()
    state = login_state()
    if state == "kapot":
        print(BROKEN_SECRETS, file=sys.stderr)
        raise SystemExit(2)
    if state == "aan" or config.public_view:
        return
    if not loopback(address):
        print(REFUSAL.format(address=address or "elk netwerkadres"), file=sys.stderr)
        raise SystemExit(2)
    if config.login_required:
        print(REQUIRED, file=sys.stderr)
        raise SystemExit(2)


# What the pages import, so that no first visit waits for it: pandas, Plotly and the chart
# catalogue (every page), the pack (Export) and the ETL (Aanleveren: 1,9 s on its first visit
# at 100x, bench/browser.py).
WARM_IMPORTS = ("dashboard.layout", "einclusie.exports.pack", "dashboard.aanlevering")


def warm_up() -> None:
    """Import what every page imports and open the current version's database once."""
    for module in WARM_IMPORTS:
        importlib.import_module(module)
    from einclusie.figures.db import NoDataError, database
    from einclusie.settings import settings

    try:
        database().execute("select 1")
    except NoDataError:
        return  # nothing loaded yet: the first page tells the user to load
    config = settings()
    if config.public_view:  # the protected tables of the newest years (seconds at 100x)
        from einclusie.figures import publication, values
        from einclusie.figures.status import available_years

        with publication.public(config.threshold):
            for year in available_years()[-2:]:
                values.year_verdict(year)


@asynccontextmanager
async def _warm(app: st.App) -> AsyncIterator[None]:
    await asyncio.to_thread(warm_up)
    yield


refuse_unprotected()
app = st.App("app.py", lifespan=_warm)
