"""Dutch formatting for everything users read: 11.877, 31/12/2022, januari."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata

import pyphen
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import get_month_names
from babel.numbers import NumberPattern, format_decimal, parse_pattern

# Dutch as written in Belgium, from the Unicode CLDR data that Babel carries: the month
# names, the decimal comma and the thousands dot are the locale's, not typed in here.
LOCALE = "nl_BE"
MONTHS = tuple(get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))
# The usual Dutch abbreviations (mrt, not maa), without CLDR's full stop.
SHORT_MONTHS = tuple(
    get_month_names("abbreviated", locale=LOCALE)[m].rstrip(".") for m in range(1, 13)
)


_LOCALE = Locale.parse(LOCALE)


@functools.cache
def _number_pattern(decimals: int) -> NumberPattern:
    # Parsed once: Babel parses a pattern given as text on every call (half of its time,
    # and static tables format thousands of cells).
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """11877 -> '11.877'; 51.3 (decimals=1) -> '51,3'; None -> '–'."""
    if value is None:
        return "–"
    return format_decimal(value, format=_number_pattern(max(decimals, 0)), locale=_LOCALE)


def format_date(value: dt.date) -> str:
    """31/12/2022, as Dutch readers write it."""
    return babel_format_date(value, "dd/MM/y", locale=LOCALE)


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def slug(text: str) -> str:
    """ASCII, no spaces: 'Hulpvragen per maand – Ledeberg' -> 'hulpvragen-per-maand-ledeberg'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "gegevens"


# Characters that start Markdown, math ($) or HTML (<, &) are backslash-escaped; so is a
# list or heading mark at the start. Plain punctuation (11.877, 31/12/2022, "Rabot -
# Blaisantvest") stays as it is.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!$~|&])")
_BLOCK_START = re.compile(r"^([-+=#])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
# Streamlit finds emoji and icons (:smile:, :material/home:) and directives (:red[...]) in the
# source, and GFM turns bare addresses into links even when escaped: a word joiner (U+2060,
# invisible) after such a colon and in "://", "www." and "@" leaves nothing to find.
_AUTOLINK = re.compile(r"(?<=:)(?=[\w/])|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


def markdown_literal(value: object) -> str:
    """Outside text (a URL value, a name from an export) for a Streamlit element that renders
    Markdown (st.warning, st.caption, ...): shown exactly as written, never as formatting,
    a link or an image. Line breaks become spaces."""
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _LIST_NUMBER.sub(r"\1\\\2", text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _AUTOLINK.sub("\u2060", text)


# Debian's Chromium has no Dutch dictionary for CSS `hyphens: auto`: long Dutch compounds
# ("Eerstelijnsprofessionals") get their soft hyphens from Pyphen (LibreOffice's nl_NL
# patterns) instead, so that a narrow column breaks them between syllables, with a hyphen.
# Only words of letters (a quote or bracket around them, punctuation after): an address, a
# file name or an id is never hyphenated, as a reader copies it from the page.
_LONG_WORD = re.compile(r"(?<!\S)([(\"'‘]*)([^\W\d_]{8,})(?=[)\"'’.,;:!?]*(?!\S))")


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@functools.lru_cache(maxsize=4096)
def _hyphenated_word(word: str) -> str:
    return _hyphenator().inserted(word, hyphen="\u00ad")


def hyphenated(text: str) -> str:
    """`text` with invisible soft hyphens (U+00AD) where its long words may break."""
    return _LONG_WORD.sub(lambda found: found[1] + _hyphenated_word(found[2]), text)


def plotly_literal(value: object) -> str:
    """Outside text for a Plotly label, hover or title: Plotly obeys a few HTML tags (<a>, <b>,
    <br>, <span style>) in text, so < > & are written as entities and shown as written."""
    return html.escape(str(value), quote=False)
