"""The programme pages: the figures the annual report gives per programme, for any period."""

from __future__ import annotations

import streamlit as st

from dashboard import data, layout
from einclusie import catalogue
from einclusie.format import format_number
from einclusie.programmes import programme_figures


def render(programme: str, intro: str, *, city_wide: bool = False) -> None:
    """A programme page: intro, figure cards (per Digibank where the report splits them)."""
    selection = layout.page(f"{programme} {{periode}}")
    st.markdown(intro)
    if city_wide and layout.not_per_wijk(selection, f"{programme}"):
        return
    figures = data.get(programme_figures, selection)
    figures = figures[figures["programma"] == programme]
    overall = figures[figures["onderdeel"].isna()]
    for start in range(0, len(overall), 4):
        for column, row in zip(
            st.columns(4), overall.iloc[start : start + 4].itertuples(), strict=False
        ):
            unit = " %" if row.sleutel.endswith("_pct") else ""
            column.metric(row.label, format_number(row.waarde) + unit, border=True)
    parts = figures[figures["onderdeel"].notna()]
    if not parts.empty:
        table = parts.pivot_table(
            index="onderdeel", columns="label", values="waarde", aggfunc="sum"
        ).reset_index()
        table = table.rename(columns={"onderdeel": "Onderdeel"})
        numbers = [c for c in table.columns if c != "Onderdeel"]
        table[numbers] = table[numbers].map(format_number)  # 1.234, as everywhere
        st.dataframe(table, hide_index=True, width="stretch")
        layout.chart(catalogue.programme_parts(selection, data.get, programme), selection)
    if overall.empty and parts.empty:
        st.info(f"Er zijn geen cijfers van {programme} voor deze selectie.", icon="ℹ️")
