"""What a user has chosen: a period, wijken and programmes. Pure data, no Streamlit.

Every query function takes a Selection; `params()` gives the named SQL parameters
($van, $tot, $wijken, $programmas) that all queries in `sql/` use the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from einclusie.format import format_date, slug

# The programme filter: the services whose rows the KPI facts carry in `programma`.
PROGRAMMES = (
    "Digipunten",
    "Digibanken",
    "Allemaal Digitaal",
    "Bibliotheek",
    "Uitleendienst",
    "Vorming",
)


def source_label(source: str) -> str:
    """An export's source key as users know it: 'allemaal_digitaal' -> 'Allemaal Digitaal'
    (each source is one programme's export)."""
    return next((p for p in PROGRAMMES if slug(p).replace("-", "_") == source), source)


@dataclass(frozen=True)
class Selection:
    start: dt.date
    end: dt.date
    wijken: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()

    @classmethod
    def year(
        cls, year: int, wijken: tuple[str, ...] = (), programmes: tuple[str, ...] = ()
    ) -> Selection:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), tuple(wijken), tuple(programmes))

    @property
    def is_year(self) -> bool:
        return (
            self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        )

    def params(self) -> dict[str, object]:
        return {
            "van": self.start,
            "tot": self.end,
            "wijken": list(self.wijken),
            "programmas": list(self.programmes),
        }

    def previous(self) -> Selection:
        """The same period one year earlier (for 'change against the previous year')."""

        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        return replace(self, start=back(self.start), end=back(self.end))

    def city(self) -> Selection:
        """The same period and programmes for the whole city."""
        return replace(self, wijken=())

    def period_label(self) -> str:
        """'2022', or '01/03/2022 – 30/06/2022'."""
        if self.is_year:
            return str(self.start.year)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    def wijk_label(self) -> str:
        return ", ".join(self.wijken) if self.wijken else "heel Gent"

    def programme_label(self) -> str:
        return ", ".join(self.programmes) if self.programmes else "alle programma's"

    def describe(self) -> str:
        """One line for captions and exports: period · wijken · programmes."""
        return f"{self.period_label()} · {self.wijk_label()} · {self.programme_label()}"
