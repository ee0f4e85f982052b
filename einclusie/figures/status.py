"""What every page says about the data it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from einclusie.figures.db import database, read_sql
from einclusie.format import format_date

SAMPLE_NOTICE = (
    "Dit zijn voorbeeldgegevens: verzonnen op het niveau van de rijen; "
    "enkel de totalen van 2022 komen uit het jaarverslag."
)


@dataclass(frozen=True)
class DataStatus:
    newest_date: dt.date | None
    loaded_at: dt.datetime
    run: int
    sample: bool  # at least one loaded file is a shipped sample export

    def caption(self) -> str:
        """'Gegevens t.e.m. 31/12/2023 · geladen 26/11/2026 23:40'."""
        newest = format_date(self.newest_date) if self.newest_date else "–"
        loaded = self.loaded_at.strftime("%d/%m/%Y %H:%M")
        return f"Gegevens t.e.m. {newest} · geladen {loaded}"


def data_status(data_dir: Path | None = None) -> DataStatus:
    row = database(data_dir).execute(read_sql("data_status.sql")).iloc[0]
    newest = row["nieuwste_datum"]
    return DataStatus(
        newest_date=newest.date() if hasattr(newest, "date") and newest is not None else None,
        loaded_at=dt.datetime.fromisoformat(str(row["geladen"])),
        run=int(row["run"]),
        sample=bool(row["voorbeeldgegevens"]),
    )


def available_years(data_dir: Path | None = None) -> list[int]:
    """The calendar years in which some export has a row."""
    return [int(y) for y in database(data_dir).execute(read_sql("queries/data_years.sql"))["jaar"]]


def data_range(data_dir: Path | None = None) -> tuple[dt.date, dt.date]:
    """From 1 January of the first year with data to 31 December of the last."""
    years = available_years(data_dir)
    return dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)


def wijk_names(data_dir: Path | None = None) -> list[str]:
    """Ghent's 25 wijken in the city's own order."""
    return list(database(data_dir).execute("select wijk from wijken order by wijknr")["wijk"])


def wijk_table(data_dir: Path | None = None) -> list[tuple[int, str]]:
    """(wijknr, wijk) of the 25 wijken of the loaded data, in the city's own order."""
    rows = database(data_dir).execute("select wijknr, wijk from wijken order by wijknr")
    return [(int(nr), str(name)) for nr, name in zip(rows["wijknr"], rows["wijk"], strict=True)]
