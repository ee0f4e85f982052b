"""Export: the year's pack for the annual report, in one ZIP."""

import streamlit as st

from dashboard import data, layout
from einclusie.exports import files as chart_files
from einclusie.exports.pack import ReportError, build_pack
from einclusie.figures.status import available_years
from einclusie.format import format_number, markdown_literal

selection = layout.page("Export voor het jaarverslag")
st.markdown(
    "Het **jaarpakket** bevat elke grafiek van het jaar als SVG en PNG (met titel, filters en "
    "bron erop), de cijfers achter elke grafiek, een Excel-werkmap met de twaalf kerncijfers "
    "en een blad per programma, en een samenvatting op A4 (PDF). Elke grafiek apart "
    "downloaden kan ook, met de knop **Downloaden** onder de grafiek."
)
years = data.get(available_years)
year = st.selectbox(
    "Jaar",
    years,
    index=years.index(selection.start.year) if selection.start.year in years else len(years) - 1,
    key="export_jaar",
)
st.caption(
    f"Wijken: {markdown_literal(selection.wijk_label())} (kies ze links). Het pakket telt "
    "alle programma's van het hele kalenderjaar."
)
problem = chart_files.image_problem()
if problem:
    st.warning(
        f"{markdown_literal(problem)} Het pakket bevat de grafieken daarom als interactieve "
        "HTML, zonder PDF.",
        icon="⚠️",
    )

wish = (year, selection.wijken, data.version())
if st.button("Jaarpakket maken", type="primary", icon=":material/folder_zip:"):
    bar = st.progress(0.0, text="Jaarpakket maken")
    try:
        pack = build_pack(year, selection.wijken, progress=lambda f, text: bar.progress(f, text))
    except ReportError as refused:
        bar.empty()
        st.error(markdown_literal(refused))
    else:
        bar.empty()
        st.session_state["jaarpakket"] = (wish, pack)

made = st.session_state.get("jaarpakket")
if made is not None and made[0] == wish:
    pack = made[1]
    st.success(
        f"Klaar: {format_number(pack.charts)} grafieken en {format_number(len(pack.files))} "
        f"bestanden, {format_number(len(pack.content) / 1e6, 1)} MB.",
        icon="✅",
    )
    st.download_button(
        f"{pack.name} downloaden",
        pack.content,
        file_name=pack.name,
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="jaarpakket_zip",
    )
    if pack.left_out:
        st.caption("Niet in dit pakket: " + markdown_literal("; ".join(pack.left_out)))
