"""Programme page: Allemaal Digitaal (internal: city staff without a work PC)."""

from dashboard.programme import render

render(
    "Allemaal Digitaal",
    "**Allemaal Digitaal** verbetert de digitale toegang, vaardigheden en ondersteuning van "
    "medewerkers van Stad Gent zonder eigen werkpc.",
)
