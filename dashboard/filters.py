"""The sidebar filters (period, wijken, programmes), kept in session state and in the URL.

`?jaar=2022&wijk=Ledeberg&wijk=Rabot%20-%20Blaisantvest&programma=Digipunten` reopens exactly
that view; a date range is `?van=2022-03-01&tot=2022-06-30`. The selection lives in session
state under keys of its own (not the widgets' keys), because Streamlit drops the state of
widgets that a page switch does not render again; each run copies it into the widgets and
back. A value in the URL that does not exist is reported and ignored.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from einclusie.figures.selection import PROGRAMMES, Selection
from einclusie.figures.status import available_years, data_range, wijk_names
from einclusie.format import format_date, markdown_literal

_STATE = "selectie"  # the selection, as plain values, in st.session_state
_WARNINGS = "selectie_waarschuwingen"
YEAR, RANGE = "Jaar", "Periode"


def _from_url(years: list[int], first: dt.date, last: dt.date, wijken: list[str]) -> dict:
    """The selection the URL asks for, and a Dutch warning for every value that does not exist."""
    params = st.query_params
    warnings: list[str] = []
    default_year = 2022 if 2022 in years else years[-1]
    state = {
        "modus": YEAR,
        "jaar": default_year,
        "van": dt.date(default_year, 1, 1),
        "tot": dt.date(default_year, 12, 31),
        "wijken": [],
        "programmas": [],
    }
    if "jaar" in params:
        raw = params.get("jaar", "")
        if raw.isascii() and raw.isdigit() and int(raw) in years:
            state["jaar"] = int(raw)
            state["van"], state["tot"] = dt.date(int(raw), 1, 1), dt.date(int(raw), 12, 31)
        else:
            warnings.append(
                f"Het jaar '{_shown(raw)}' uit de link bestaat niet in de gegevens; "
                f"getoond wordt {default_year}."
            )
    if "van" in params or "tot" in params:
        try:
            start = dt.date.fromisoformat(params.get("van", ""))
            end = dt.date.fromisoformat(params.get("tot", ""))
            if start > end:
                raise ValueError
            if max(start, first) > min(end, last):
                raise LookupError
            state.update(modus=RANGE, van=max(start, first), tot=min(end, last))
            if (state["van"], state["tot"]) != (start, end):
                warnings.append(
                    f"De periode uit de link ({format_date(start)} – {format_date(end)}) "
                    f"valt deels buiten de gegevens en is ingekort tot "
                    f"{format_date(state['van'])} – {format_date(state['tot'])}."
                )
        except LookupError:
            warnings.append(
                f"De periode uit de link valt buiten de gegevens ({format_date(first)} – "
                f"{format_date(last)}) en wordt genegeerd."
            )
        except ValueError:
            warnings.append(
                "De periode uit de link (van/tot, als jjjj-mm-dd) is ongeldig en wordt genegeerd."
            )
    state["wijken"], unknown = _known(params.get_all("wijk"), wijken)
    if unknown:
        warnings.append(_unknown_warning(unknown, "De wijk", "De wijken"))
    state["programmas"], unknown = _known(params.get_all("programma"), PROGRAMMES)
    if unknown:
        warnings.append(_unknown_warning(unknown, "Het programma", "De programma's"))
    state["wijken"] = list(dict.fromkeys(state["wijken"]))
    state["programmas"] = list(dict.fromkeys(state["programmas"]))
    return {"state": state, "warnings": warnings}


SHOWN_VALUES = 5  # unknown values a warning names; the rest are counted
SHOWN_LENGTH = 60  # characters of one value a warning shows


def _shown(raw: str) -> str:
    """A value from the URL as plain text, cut to a readable length."""
    text = raw if len(raw) <= SHOWN_LENGTH else raw[:SHOWN_LENGTH] + "…"
    return markdown_literal(text)


def _known(values: list[str], names: list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(the names the values stand for, case and spaces aside; the values that are unknown)."""
    lookup = {n.lower(): n for n in names}
    found = [lookup[v.strip().lower()] for v in values if v.strip().lower() in lookup]
    unknown = [v for v in values if v.strip().lower() not in lookup]
    return found, list(dict.fromkeys(unknown))


def _unknown_warning(unknown: list[str], one: str, many: str) -> str:
    """One warning for every unknown value of one parameter (a link may carry hundreds)."""
    named = ", ".join(f"'{_shown(v)}'" for v in unknown[:SHOWN_VALUES])
    if len(unknown) == 1:
        return f"{one} {named} uit de link bestaat niet en wordt genegeerd."
    rest = len(unknown) - SHOWN_VALUES
    more = f" en nog {rest} andere" if rest > 0 else ""
    return f"{many} {named}{more} uit de link bestaan niet en worden genegeerd."


def _to_url(state: dict) -> None:
    wanted: dict[str, str | list[str]] = {}
    if state["modus"] == YEAR:
        wanted["jaar"] = str(state["jaar"])
    else:
        wanted["van"], wanted["tot"] = state["van"].isoformat(), state["tot"].isoformat()
    if state["wijken"]:
        wanted["wijk"] = state["wijken"]
    if state["programmas"]:
        wanted["programma"] = state["programmas"]
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def _widget(key: str, value: object) -> dict:
    """Keyword arguments for a widget whose value lives in the selection, not in the widget.

    The widget gets the selection's value before it is drawn; a change is copied back into
    the selection by a callback, which runs before the page's next run.
    """
    widget_key = f"w_{key}"
    current = st.session_state.get(widget_key)
    half_picked_range = key == "periode" and isinstance(current, tuple) and len(current) == 1
    if not half_picked_range:
        st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _store, "args": (key,)}


def _store(key: str) -> None:
    value = st.session_state[f"w_{key}"]
    state = dict(st.session_state[_STATE])
    if key == "periode":
        if not (isinstance(value, tuple | list) and len(value) == 2):
            return  # the user has picked the start of the range only
        state["van"], state["tot"] = value
    elif key == "jaar":
        state.update(jaar=value, van=dt.date(value, 1, 1), tot=dt.date(value, 12, 31))
    else:
        state[key] = list(value) if isinstance(value, list | tuple) else value
    st.session_state[_STATE] = state
    st.session_state[_WARNINGS] = []  # the user has moved on from the link


def sidebar() -> Selection:
    """Draw the filters in the sidebar and return the selection they make."""
    years = data.get(available_years)
    first, last = data.get(data_range)
    wijken = data.get(wijk_names)
    if _STATE not in st.session_state:
        parsed = _from_url(years, first, last, wijken)
        st.session_state[_STATE] = parsed["state"]
        st.session_state[_WARNINGS] = parsed["warnings"]
    state = st.session_state[_STATE]
    for warning in st.session_state[_WARNINGS]:
        st.warning(warning, icon="⚠️")

    with st.sidebar:
        st.subheader("Selectie")
        st.radio("Periode", [YEAR, RANGE], horizontal=True, **_widget("modus", state["modus"]))
        if state["modus"] == YEAR:
            st.selectbox("Jaar", years, **_widget("jaar", state["jaar"]))
        else:
            period = (max(state["van"], first), min(state["tot"], last))
            st.date_input(
                "Van – tot",
                min_value=first,
                max_value=last,
                format="DD/MM/YYYY",
                **_widget("periode", period),
            )
        st.multiselect(
            "Wijk",
            wijken,
            placeholder="Heel Gent",
            help="Kies een of meer wijken; leeg is heel Gent.",
            select_all=False,  # an English option, and "none chosen" already means all
            **_widget("wijken", state["wijken"]),
        )
        st.multiselect(
            "Programma",
            list(PROGRAMMES),
            placeholder="Alle programma's",
            select_all=False,
            **_widget("programmas", state["programmas"]),
        )
    _to_url(state)
    if state["modus"] == YEAR:
        start, end = dt.date(state["jaar"], 1, 1), dt.date(state["jaar"], 12, 31)
    else:
        start, end = state["van"], state["tot"]
    return Selection(start, end, tuple(state["wijken"]), tuple(state["programmas"]))
