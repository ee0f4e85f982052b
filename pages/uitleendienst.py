"""Programme page: the Digitale Uitleendienst (lending service for organisations)."""

from dashboard.programme import render

render(
    "Uitleendienst",
    "De **Digitale Uitleendienst** leent laptops, tablets en educatief materiaal gratis uit aan "
    "Gentse organisaties, diensten en scholen. De beschikbare toestellen tellen zoals de pool "
    "was op de laatste dag van de periode.",
)
