"""The figures of each programme's page in the annual report, from `sql/programme_figures.sql`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from einclusie.db import database, read_sql
from einclusie.kpis import resolve_wijken


def programme_figures(
    start: dt.date, end: dt.date, wijken: Sequence[str] = (), data_dir: Path | None = None
) -> pd.DataFrame:
    """Columns programma, onderdeel (e.g. the Digibank, else empty), sleutel, label, waarde."""
    wijken = resolve_wijken(wijken, data_dir) if wijken else []
    return database(data_dir).execute(
        read_sql("programme_figures.sql"), {"van": start, "tot": end, "wijken": list(wijken)}
    )
