"""Toestellen: devices by type and way of deployment, over time; loans by organisation."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import bar, month_label, monthly
from einclusie.queries import (
    devices_by_type,
    devices_by_way,
    devices_monthly,
    lending_by_organisation,
)

selection = layout.page("Toestellen {periode}")
period = selection.period_label()
st.caption(
    "Publieke computers en de uitleenpool tellen als stand op de laatste dag van de "
    "periode; geschonken en uitgeleende toestellen als aantal in de periode."
)

left, right = st.columns(2)
with left:
    frame = data.get(devices_by_way, selection)
    layout.chart(
        bar(
            frame, "manier", "aantal", f"Toestellen per manier van inzet, {period}", horizontal=True
        ),
        frame,
        f"toestellen per manier {period}",
        empty="Er zijn geen toestellen voor deze selectie.",
    )
with right:
    frame = data.get(devices_by_type, selection)
    layout.chart(
        bar(
            frame,
            "toesteltype",
            "aantal",
            f"Toestellen per type, {period}",
            colour="manier",
            horizontal=True,
        ),
        frame,
        f"toestellen per type {period}",
        empty="Er zijn geen toestellen voor deze selectie.",
    )
if selection.wijken:
    st.caption(
        "De uitleenpool van de Digitale Uitleendienst telt voor heel Gent en valt weg "
        "met een wijkfilter."
    )

frame = data.get(devices_monthly, selection)
layout.chart(
    monthly(frame, "aantal", f"Toestellen per maand, {period}", colour="manier"),
    frame.assign(maand=frame["maand"].map(month_label)),
    f"toestellen per maand {period}",
    empty="Er zijn geen toestellen voor deze selectie.",
)

st.subheader("Ontleningen van de Digitale Uitleendienst")
if not layout.not_per_wijk(selection, "De Digitale Uitleendienst"):
    frame = data.get(lending_by_organisation, selection)
    layout.chart(
        bar(
            frame,
            "organisatie",
            "toestellen",
            f"Ontleende toestellen per organisatie (top 15), {period}",
            horizontal=True,
            value_label="Toestellen",
        ),
        frame,
        f"ontleningen per organisatie {period}",
        empty="Er zijn geen ontleningen in deze periode.",
    )
