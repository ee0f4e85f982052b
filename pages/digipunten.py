"""Programme page: Digipunten en surfpunten."""

from dashboard.programme import render

render(
    "Digipunten",
    "In een **Digipunt** kan elke Gentenaar terecht voor hulp bij digitale vragen; een "
    "**Surfpunt** biedt een computer en internet zonder begeleiding. Locaties tellen zoals ze "
    "open zijn op de laatste dag van de periode.",
)
