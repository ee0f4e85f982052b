"""Dutch formatting for everything users read: 11.877, 31/12/2022, januari."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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


# The usual Dutch abbreviations (mrt, not maa).
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


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


def slug(text: str) -> str:
    """ASCII, no spaces: 'Hulpvragen per maand – Ledeberg' -> 'hulpvragen-per-maand-ledeberg'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "gegevens"
