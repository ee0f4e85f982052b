"""The figures of each programme's page in the annual report, from `sql/programme_figures.sql`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from einclusie.db import database, read_sql
from einclusie.kpis import resolve_wijken
from einclusie.selection import Selection


def programme_figures(selection: Selection, data_dir: Path | None = None) -> pd.DataFrame:
    """Columns programma, onderdeel (e.g. the Digibank, else empty), sleutel, label, waarde.

    The period and wijken of the selection apply; its programme filter does not (each
    programme page shows its own figures).
    """
    wijken = resolve_wijken(selection.wijken, data_dir) if selection.wijken else []
    return database(data_dir).execute(
        read_sql("programme_figures.sql"),
        {"van": selection.start, "tot": selection.end, "wijken": list(wijken)},
    )
