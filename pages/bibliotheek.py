"""Programme page: the library (mediawijze bibliotheek)."""

from dashboard.programme import render

render(
    "Bibliotheek",
    "In de **bibliotheek** zijn er digicafés, digistaties, OpenTechTalks en het maakatelier, "
    "publieke surfpc's en Digipunten in De Krook en in wijkbibliotheken.",
)
