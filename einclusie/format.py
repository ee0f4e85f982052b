"""Dutch formatting for everything users read: 11.877, 31/12/2022, januari."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """11877 -> '11.877'; 51.3 (decimals=1) -> '51,3'; None -> '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_date(value: dt.date) -> str:
    """31/12/2022, as Dutch readers write it."""
    return value.strftime("%d/%m/%Y")


def month_name(month: int) -> str:
    return MONTHS[month - 1]
