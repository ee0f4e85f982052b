"""KPI dashboard e-inclusie Gent: the year's twelve headline figures (entry point)."""

from __future__ import annotations

import streamlit as st

from einclusie.db import NoDataError, current_version
from einclusie.format import format_number
from einclusie.kpis import KpiValue, headline_kpis
from einclusie.status import SAMPLE_NOTICE, DataStatus, available_years, data_status

st.set_page_config(page_title="e-inclusie Gent in cijfers", page_icon="📊", layout="wide")


@st.cache_data(show_spinner=False)
def _status(version: str) -> DataStatus:
    return data_status()


@st.cache_data(show_spinner=False)
def _years(version: str) -> list[int]:
    return available_years()


@st.cache_data(show_spinner=False)
def _headline(version: str, year: int) -> list[KpiValue]:
    return headline_kpis(year)


try:
    version = current_version().name  # cache key: a new load shows at once
except NoDataError as missing:
    st.title("e-inclusie Gent in cijfers")
    st.warning(str(missing))
    st.stop()

status = _status(version)
if status.sample:
    st.info(f"**Voorbeeldgegevens.** {SAMPLE_NOTICE}", icon="ℹ️")
years = _years(version)
default_year = 2022 if 2022 in years else years[-1]
year = st.sidebar.selectbox("Jaar", years, index=years.index(default_year), key="jaar")

st.title(f"{year} in cijfers")
st.caption(status.caption())
figures = _headline(version, year)
for start in range(0, len(figures), 3):
    for column, figure in zip(st.columns(3), figures[start : start + 3], strict=False):
        column.metric(figure.label, format_number(figure.value), help=figure.definition)
