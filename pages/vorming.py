"""Vorming: people trained and professionals coached, by programme and activity."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import bar, month_label, monthly
from einclusie.queries import training_by_programme, training_monthly

selection = layout.page("Vorming {periode}")
period = selection.period_label()

frame = data.get(training_by_programme, selection)
for audience, title in (
    ("Burgers", "Mensen die hun digitale vaardigheden versterkten"),
    ("Professionals", "Eerstelijnsprofessionals gecoacht"),
):
    part = frame[frame["doelgroep"] == audience]
    st.subheader(title)
    layout.chart(
        bar(
            part,
            "onderdeel",
            "deelnemers",
            f"{title} per programma en activiteit, {period}",
            colour="programma",
            horizontal=True,
            value_label="Deelnemers",
        ),
        part,
        f"vorming {audience} per programma {period}",
        empty="Er is geen vorming voor deze selectie.",
    )
if selection.wijken:
    st.caption(
        "Opleidingen binnen Allemaal Digitaal en vorming zonder locatie tellen voor heel "
        "Gent en vallen weg met een wijkfilter."
    )

frame = data.get(training_monthly, selection)
layout.chart(
    monthly(
        frame,
        "deelnemers",
        f"Deelnemers aan vorming per maand, {period}",
        colour="doelgroep",
        value_label="Deelnemers",
    ),
    frame.assign(maand=frame["maand"].map(month_label)),
    f"vorming per maand {period}",
    empty="Er is geen vorming voor deze selectie.",
)
