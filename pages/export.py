"""Export: the year's pack for the annual report, in one ZIP.

The year is the sidebar's (it is in the URL, `?jaar=2022`, like every filter). A pack is
always a whole calendar year: when the sidebar holds a date range, the page asks which year.
"""

import streamlit as st

from dashboard import access, data, layout
from einclusie.exports import files as chart_files
from einclusie.exports.pack import ReportError, build_pack
from einclusie.figures.status import available_years
from einclusie.format import markdown_literal

selection = layout.page("Export voor het jaarverslag")
st.markdown(
    "Het **jaarpakket** bevat elke grafiek van het jaar als SVG en PNG (met titel, filters en "
    "bron erop), de cijfers achter elke grafiek, een Excel-werkmap met de twaalf kerncijfers "
    "(naast het jaar ervoor), per maand en een blad per programma, en een samenvatting op A4 "
    "(PDF). Elke grafiek apart downloaden kan ook, met de knop **Downloaden** onder de grafiek."
)
if selection.is_year:
    year = selection.start.year
    st.caption(
        f"Jaar: {year}; wijken: {markdown_literal(selection.wijk_label())} (kies ze links). "
        "Het pakket telt alle programma's van het hele kalenderjaar."
    )
else:
    years = data.get(available_years)
    wished = selection.end.year
    year = st.selectbox(
        "Jaar",
        years,
        index=years.index(wished) if wished in years else len(years) - 1,
        key="export_jaar",
        help="Links is een periode gekozen; een jaarpakket telt altijd een heel kalenderjaar.",
    )
    st.caption(
        f"Wijken: {markdown_literal(selection.wijk_label())} (kies ze links). Het pakket telt "
        "alle programma's van het hele kalenderjaar, niet de periode van links."
    )
problem = chart_files.image_problem()
if problem:
    st.warning(
        f"{markdown_literal(problem)} Het pakket bevat de grafieken daarom als interactieve "
        "HTML, zonder PDF.",
        icon=":material/warning:",
    )

wish = (year, selection.wijken, data.version())
if st.button("Jaarpakket maken", type="primary", icon=":material/folder_zip:"):
    bar = st.progress(0.0, text="Jaarpakket maken")
    try:
        pack = build_pack(year, selection.wijken, progress=lambda f, text: bar.progress(f, text))
    except ReportError as refused:
        bar.empty()
        st.error(markdown_literal(refused), icon=":material/error:")
    else:
        bar.empty()
        st.session_state["jaarpakket"] = (wish, pack)

made = st.session_state.get("jaarpakket")
if made is not None and made[0] == wish:
    pack = made[1]
    st.success(
        f"Klaar: {markdown_literal(pack.name)}, {pack.size_text()}, met "
        f"{markdown_literal(pack.contents())}.",
        icon=":material/check_circle:",
    )
    access.download_button(
        f"{pack.name} downloaden",
        pack.content,
        what=f"Jaarpakket {year}, {selection.wijk_label()}",
        file_name=pack.name,
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="jaarpakket_zip",
    )
    if pack.left_out:
        st.caption("Niet in dit pakket: " + markdown_literal("; ".join(pack.left_out)))
