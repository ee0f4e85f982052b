"""Files users download: CSV that Dutch Excel opens as it should."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`;`-separated, decimal comma, UTF-8 with BOM: what Excel on a Dutch machine expects."""
    return frame.to_csv(sep=";", index=False, decimal=",", date_format="%d/%m/%Y").encode(
        "utf-8-sig"
    )


def slug(text: str) -> str:
    """ASCII, no spaces: 'Hulpvragen per maand – Ledeberg' -> 'hulpvragen-per-maand-ledeberg'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "gegevens"
