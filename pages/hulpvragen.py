"""Hulpvragen: help requests by month, programme, kanaal, vraagtype, age group and location."""

import streamlit as st

from dashboard import data, layout
from einclusie.charts import bar, month_label, monthly
from einclusie.queries import help_requests_by, help_requests_monthly_by_programme

selection = layout.page("Hulpvragen {periode}")
period = selection.period_label()

by_month = data.get(help_requests_monthly_by_programme, selection)
layout.chart(
    monthly(
        by_month,
        "aantal",
        f"Beantwoorde hulpvragen per maand en programma, {period}",
        colour="programma",
    ),
    by_month.assign(maand=by_month["maand"].map(month_label)),
    f"hulpvragen per maand {period}",
    empty="Er zijn geen hulpvragen voor deze selectie.",
)
if selection.wijken:
    st.caption(
        "Hulpvragen binnen Allemaal Digitaal tellen voor heel Gent en vallen weg "
        "met een wijkfilter."
    )

left, right = st.columns(2)
with left:
    frame = data.get(help_requests_by, selection, "programma")
    layout.chart(
        bar(frame, "programma", "aantal", f"Per programma, {period}", horizontal=True),
        frame,
        f"hulpvragen per programma {period}",
        empty="Er zijn geen hulpvragen voor deze selectie.",
    )
    frame = data.get(help_requests_by, selection, "vraagtype")
    layout.chart(
        bar(
            frame, "vraagtype", "aantal", f"Digipunten: per soort vraag, {period}", horizontal=True
        ),
        frame,
        f"hulpvragen per vraagtype {period}",
        empty="Er zijn geen vragen in de Digipunten voor deze selectie.",
    )
with right:
    frame = data.get(help_requests_by, selection, "kanaal")
    layout.chart(
        bar(
            frame,
            "kanaal",
            "aantal",
            f"Digipunten: ter plaatse of aan huis, {period}",
            horizontal=True,
        ),
        frame,
        f"hulpvragen per kanaal {period}",
        empty="Er zijn geen vragen in de Digipunten voor deze selectie.",
    )
    frame = data.get(help_requests_by, selection, "leeftijdsgroep")
    layout.chart(
        bar(frame, "leeftijdsgroep", "aantal", f"Digipunten: per leeftijdsgroep, {period}"),
        frame,
        f"hulpvragen per leeftijdsgroep {period}",
        empty="Er zijn geen vragen in de Digipunten voor deze selectie.",
    )

frame = data.get(help_requests_by, selection, "locatie")
layout.chart(
    bar(frame, "locatie", "aantal", f"Drukste locaties (Digipunten), {period}", horizontal=True),
    frame,
    f"drukste locaties {period}",
    empty="Er zijn geen vragen in de Digipunten voor deze selectie.",
)
