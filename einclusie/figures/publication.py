"""Whether figures are asked for the public: a switch the one query path (values.py) reads.

The public view and the commands' `--publiek` switch it on around their work (`public(5)`);
values.py then publishes each number only where the small-number protection of that year
allows it (disclosure.py decides, values.py builds the year's tables) and hides the rest with
its mark ("<5", "×"). Nothing above values.py needs to know: cards, charts, files and commands
take their numbers from there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from einclusie.figures.disclosure import PRIMARY, PUBLISHED, SECONDARY, primary_mark

SECONDARY_MARK = "×"
HIDDEN_COLUMN = "afscherming"  # in a frame: '<5' or '×' beside a hidden (empty) number

_THRESHOLD: ContextVar[int] = ContextVar("einclusie_public_threshold", default=0)


class PublicSelectionError(ValueError):
    """A selection the public view does not publish (a part of a year, wijken together, ...)."""


@contextlib.contextmanager
def public(threshold: int) -> Iterator[None]:
    """Within the block, figures are asked for the public with this threshold (0: not)."""
    token = _THRESHOLD.set(max(int(threshold), 0))
    try:
        yield
    finally:
        _THRESHOLD.reset(token)


def threshold() -> int:
    """The threshold in force, 0 when the figures are not asked for the public."""
    return _THRESHOLD.get()


@contextlib.contextmanager
def unprotected() -> Iterator[None]:
    """The true counts, for building the protected tables themselves (never published)."""
    with public(0):
        yield


@dataclass(frozen=True)
class YearVerdict:
    """What may be published of one calendar year, per number (disclosure's statuses). A
    number that is not listed is hidden: a new kind of number is never published unchecked."""

    threshold: int
    gent: dict[str, str] = field(default_factory=dict)  # figure -> its value for heel Gent
    wijk: dict[tuple[str, str], str] = field(default_factory=dict)  # (figure, wijk)
    outside_wijken: dict[str, str] = field(default_factory=dict)  # figure -> its city-wide rest
    month: dict[tuple[str, object], str] = field(default_factory=dict)  # (figure, month start)
    category: dict[tuple[str, str], str] = field(default_factory=dict)  # (dimension, category)

    def mark(self, status: str | None) -> str:
        """'' for a published number, '<5' or '×' for a hidden one."""
        if status == PUBLISHED:
            return ""
        return primary_mark(self.threshold) if status == PRIMARY else SECONDARY_MARK

    def together(self, key: str) -> str:
        """The 25 wijken together: the Gent value less its city-wide rest, so published only
        where both are."""
        if self.gent.get(key) == PUBLISHED and self.outside_wijken.get(key) == PUBLISHED:
            return PUBLISHED
        return SECONDARY


__all__ = [
    "HIDDEN_COLUMN",
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "SECONDARY_MARK",
    "PublicSelectionError",
    "YearVerdict",
    "public",
    "threshold",
    "unprotected",
]
