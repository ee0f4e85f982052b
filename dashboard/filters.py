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
from einclusie.format import format_date, markdown_literal, month_name

_STATE = "selectie"  # the selection, as plain values, in st.session_state
_WARNINGS = "selectie_waarschuwingen"
YEAR, RANGE = "Jaar", "Periode"
URL_KEYS = ("jaar", "van", "tot", "wijk", "programma")  # the sidebar's; pages add their own


def _from_url(
    years: list[int],
    first: dt.date,
    last: dt.date,
    wijken: list[str],
    default_wijken: tuple[str, ...] = (),
) -> dict:
    """The selection the URL asks for, and a Dutch warning for every value that does not exist.
    Without wijken in the URL, `default_wijken` (the user's own, from the users file)."""
    params = st.query_params
    warnings: list[str] = []
    default_year = 2022 if 2022 in years else years[-1]
    state = {
        "modus": YEAR,
        "jaar": default_year,
        "van": dt.date(default_year, 1, 1),
        "tot": dt.date(default_year, 12, 31),
        "wijken": [w for w in default_wijken if w in wijken],
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
    if "wijk" in params:
        state["wijken"], unknown = _known(params.get_all("wijk"), wijken)
    else:
        unknown = []
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
    own = {k: v for k, v in current.items() if k in URL_KEYS}
    if own != normalised:  # a page's own parameters (kpi, fiche) stay as they are
        others = {k: v for k, v in current.items() if k not in URL_KEYS}
        st.query_params.from_dict({**normalised, **others})


def _widget(key: str, value: object) -> dict:
    """Keyword arguments for a widget whose value lives in the selection, not in the widget.

    The widget gets the selection's value before it is drawn; a change is copied back into
    the selection by a callback, which runs before the page's next run.
    """
    widget_key = f"w_{key}"
    st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _store, "args": (key,)}


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from `first`'s to `last`'s."""
    months = [_month_of(first)]
    while months[-1] < _month_of(last):
        months.append(_next_month(months[-1]))
    return months


def _month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_label(month: dt.date) -> str:
    return f"{month_name(month.month)} {month.year}"  # september 2022


def _store(key: str) -> None:
    value = st.session_state[f"w_{key}"]
    state = dict(st.session_state[_STATE])
    if key == "van":  # from the first day of the month; the end moves along if before it
        state["van"] = value
        if state["tot"] < value:
            state["tot"] = _next_month(value) - dt.timedelta(days=1)
    elif key == "tot":  # up to the last day of the month; the start moves along if after it
        state["tot"] = _next_month(value) - dt.timedelta(days=1)
        if state["van"] > state["tot"]:
            state["van"] = value
    elif key == "jaar":
        state.update(jaar=value, van=dt.date(value, 1, 1), tot=dt.date(value, 12, 31))
    else:
        state[key] = list(value) if isinstance(value, list | tuple) else value
    st.session_state[_STATE] = state
    st.session_state[_WARNINGS] = []  # the user has moved on from the link


PUBLIC_FILTER_NOTE = (
    "De publieke cijfers gelden voor heel Gent en een heel jaar; de pagina Wijken toont ze per "
    "wijk. Een wijk, programma of periode uit de link wordt hier daarom genegeerd."
)


def sidebar(default_wijken: tuple[str, ...] = (), public: bool = False) -> Selection:
    """Draw the filters in the sidebar and return the selection they make; `default_wijken`
    is the selection of a first visit whose link names no wijk. The public view has the year
    only: a filter of wijken, programmes or months would publish tables (and differences
    between them) that the small-number protection does not cover."""
    years, first, last, wijken = _choices()
    state = _state(years, first, last, wijken, default_wijken, public)
    for warning in st.session_state[_WARNINGS]:
        st.warning(warning, icon=":material/warning:")
    if public:
        with st.sidebar:
            st.subheader("Selectie")
            st.selectbox("Jaar", years, **_widget("jaar", state["jaar"]))
        _to_url(state)
        year = state["jaar"]
        return Selection(dt.date(year, 1, 1), dt.date(year, 12, 31), (), ())

    with st.sidebar:
        st.subheader("Selectie")
        st.radio("Periode", [YEAR, RANGE], horizontal=True, **_widget("modus", state["modus"]))
        if state["modus"] == YEAR:
            st.selectbox("Jaar", years, **_widget("jaar", state["jaar"]))
        else:
            # Whole months, chosen from lists: the figures are monthly, and the date picker's
            # calendar is English (month and day names) whatever the page's language.
            months = _months(first, last)
            start = max(_month_of(state["van"]), months[0])
            end = min(_month_of(state["tot"]), months[-1])
            st.selectbox("Van", months, format_func=_month_label, **_widget("van", start))
            st.selectbox("Tot en met", months, format_func=_month_label, **_widget("tot", end))
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
    return _selection(state)


def _choices() -> tuple[list[int], dt.date, dt.date, list[str]]:
    """What the loaded data lets one choose: its years, first and last day, and wijken."""
    first, last = data.get(data_range)
    return data.get(available_years), first, last, data.get(wijk_names)


def _state(
    years: list[int],
    first: dt.date,
    last: dt.date,
    wijken: list[str],
    default_wijken: tuple[str, ...],
    public: bool,
) -> dict:
    """The session's selection; on its first run read from the URL (with its warnings)."""
    if _STATE not in st.session_state:
        parsed = _from_url(years, first, last, wijken, default_wijken)
        if public and (
            parsed["state"]["modus"] != YEAR
            or parsed["state"]["wijken"]
            or parsed["state"]["programmas"]
        ):
            year = parsed["state"]["jaar"]
            parsed["state"].update(modus=YEAR, wijken=[], programmas=[])
            parsed["state"].update(van=dt.date(year, 1, 1), tot=dt.date(year, 12, 31))
            parsed["warnings"].append(PUBLIC_FILTER_NOTE)
        st.session_state[_STATE] = parsed["state"]
        st.session_state[_WARNINGS] = parsed["warnings"]
    return st.session_state[_STATE]


def _selection(state: dict) -> Selection:
    if state["modus"] == YEAR:
        start, end = dt.date(state["jaar"], 1, 1), dt.date(state["jaar"], 12, 31)
    else:
        start, end = state["van"], state["tot"]
    return Selection(start, end, tuple(state["wijken"]), tuple(state["programmas"]))


def kept(default_wijken: tuple[str, ...] = ()) -> None:
    """On a page the filters do not apply to (Aanleveren, Gebruikers): no filter widgets,
    which would change nothing there, but the selection in a line of the sidebar and in the
    URL, as the pages with figures will show it. A link's warnings wait for those pages."""
    state = _state(*_choices(), default_wijken, False)
    _to_url(state)
    with st.sidebar:
        st.subheader("Selectie")
        st.caption(
            f"{markdown_literal(_selection(state).describe())}. De filters gelden voor de "
            "pagina's met cijfers, niet voor deze; kies ze daar."
        )


# --- a page's own choices in the URL ------------------------------------------------------
# A page may keep choices of its own in the URL beside the sidebar's (the Wijken page: `kpi`
# and `fiche`). Like the selection, each lives in session state (a widget's own state does not
# survive a page switch), is read from the link once per session, and is written back into
# the URL on every run, beside every other parameter.

_PAGE_LINK = "pagina_link"  # parameter -> the values the link carried (read once per session)
_PAGE_STATE = "pagina_keuzes"  # parameter -> the values chosen, from the link or by the user
_PAGE_WARNINGS = "pagina_waarschuwingen"  # parameter -> its warnings, until the user chooses


def page_link(*names: str) -> None:
    """Keep what the link says for a page's own parameters `names`, once per session.

    Call it before layout.page(): the sidebar writes its parameters with
    st.query_params.from_dict, which drops every other parameter from the URL.
    """
    link = st.session_state.setdefault(_PAGE_LINK, {})
    for name in names:
        if name not in link:
            link[name] = list(st.query_params.get_all(name))


def page_choice(
    name: str,
    options: list[str] | tuple[str, ...],
    default: list[str] | tuple[str, ...],
    *,
    most: int = 1,
    one: str,
    many: str,
) -> list[str]:
    """The values of the page's parameter `name`: what the user chose, else what the link
    asked for (known options, case and spaces aside, at most `most`), else `default`.

    Values of the link that are not options, or more than `most`, are ignored and named in a
    Dutch warning ('Het kerncijfer' / 'De kerncijfers' as `one` / `many`), shown here until
    the user changes the choice.
    """
    chosen = st.session_state.setdefault(_PAGE_STATE, {})
    warnings = st.session_state.setdefault(_PAGE_WARNINGS, {})
    if name not in chosen:
        link = st.session_state.get(_PAGE_LINK, {}).get(name)
        found, unknown = _known(st.query_params.get_all(name) if link is None else link, options)
        found = list(dict.fromkeys(found))
        messages = [_unknown_warning(unknown, one, many)] if unknown else []
        if len(found) > most:
            messages.append(_too_many_warning(name, found[most:], most))
            found = found[:most]
        chosen[name], warnings[name] = found, messages
    for warning in warnings.get(name, []):
        st.warning(warning, icon=":material/warning:")
    return list(chosen[name]) or list(default)[:most]


def _too_many_warning(name: str, rest: list[str], most: int) -> str:
    named = ", ".join(f"'{_shown(v)}'" for v in rest[:SHOWN_VALUES])
    more = f" en nog {len(rest) - SHOWN_VALUES} andere" if len(rest) > SHOWN_VALUES else ""
    room = "past er hoogstens 1" if most == 1 else f"passen er hoogstens {most}"
    ignored = "wordt" if len(rest) == 1 else "worden"
    return (
        f"De link geeft {most + len(rest)} waarden voor '{_shown(name)}', hier {room}: "
        f"{named}{more} {ignored} genegeerd."
    )


def page_widget(name: str, slot: int, value: str | None) -> dict:
    """Keyword arguments for the widget that holds value number `slot` (0, 1, ...) of the
    page's parameter `name`: it shows `value` (from page_choice), and a change is kept."""
    key = f"w_{name}_{slot}"
    st.session_state[key] = value
    return {"key": key, "on_change": _store_page, "args": (name,)}


def _store_page(name: str) -> None:
    """Every widget of the parameter, in slot order, becomes its chosen values."""
    values: list[str] = []
    slot = 0
    while (key := f"w_{name}_{slot}") in st.session_state:
        if st.session_state[key] is not None:
            values.append(st.session_state[key])
        slot += 1
    st.session_state.setdefault(_PAGE_STATE, {})[name] = list(dict.fromkeys(values))
    st.session_state.setdefault(_PAGE_WARNINGS, {})[name] = []  # the user has moved on


def page_to_url(values: dict[str, list[str]]) -> None:
    """Write the page's own parameters into the URL after the sidebar's, keeping every other
    parameter in place; nothing is sent when the URL already says so."""
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    wanted = {key: found for key, found in current.items() if key not in values}
    wanted |= {key: list(found) for key, found in values.items() if found}
    if wanted != current:
        st.query_params.from_dict(wanted)
