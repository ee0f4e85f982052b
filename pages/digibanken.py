"""Programme page: Digibanken."""

from dashboard.programme import render

render(
    "Digibanken",
    "In een **Digibank** kunnen Gentenaars die digitaal moeilijk mee kunnen terecht voor een "
    "toestel, vorming en ondersteuning op maat. De cijfers per Digibank staan in de tabel.",
)
