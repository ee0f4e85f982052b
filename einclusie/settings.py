"""Every path and environment variable the dashboard and the commands read, in one place.

Read when asked (never on import), so a test or a command can point them elsewhere. Each
variable is documented in the README's "Settings" table; a test fails when one is missing there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT / "data" / "reference"
DEFAULT_DATA_DIR = PROJECT / "data" / "parquet"
PROJECT_GEOJSON = REFERENCE_DIR / "wijken.geojson"  # ignored by git
SHARED_GEOJSON = PROJECT.parent / "shared" / "reference" / "gent-wijken.geojson"
DEFAULT_BROWSER = "/usr/bin/chromium"

# name: what it sets (the README's table says the same in more words)
ENVIRONMENT = {
    "EINCLUSIE_DATA": "the data folder the dashboard and the commands read (default data/parquet)",
    "EINCLUSIE_WIJKEN_GEOJSON": "the GeoJSON with the boundaries of the wijken for the map",
    "BROWSER_PATH": "the Chromium that kaleido drives for images (default /usr/bin/chromium)",
    "EINCLUSIE_MAX_FILE_MB": "the largest export file a load reads, in MB (default 500)",
    "EINCLUSIE_GEBRUIKERS": "the users file with roles (default data/reference/gebruikers.csv)",
    "EINCLUSIE_SESSIE_UREN": "the longest a login lasts, in hours (default 12)",
    "EINCLUSIE_PUBLIEK": "1 switches the public view on: published figures, small numbers hidden",
    "EINCLUSIE_DREMPEL": "the smallest count the public view shows (default 5)",
    "EINCLUSIE_AANMELDING": "'verplicht': never the open local mode (a served install sets it)",
    "EINCLUSIE_RAW": "the raw exports folder the Aanleveren page stores uploads in (data/raw)",
    "EINCLUSIE_REFERENTIE": "the reference folder (wijken, register) its loads read",
    "EINCLUSIE_AANLEVERING_MB": "the largest file the Aanleveren page takes, in MB (default 20)",
}
DEFAULT_MAX_FILE_MB = 500
DEFAULT_RAW_DIR = PROJECT / "data" / "raw"
DEFAULT_UPLOAD_MB = 20
DEFAULT_USERS_FILE = REFERENCE_DIR / "gebruikers.csv"
DEFAULT_SESSION_HOURS = 12
DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    wijken_geojson: Path | None  # only when set; see charts.maps.boundary_path for the rest
    browser_path: str
    max_file_bytes: int  # a larger export is refused whole, before it is read
    users_file: Path
    session_hours: float  # a login older than this is ended (Streamlit keeps it 30 days)
    public_view: bool  # without login: only published figures, with small-number protection
    threshold: int  # counts 1 .. threshold - 1 are shown as "<threshold" in public
    login_required: bool  # a served install: without [auth] nothing but the refusal page
    raw_dir: Path  # where the Aanleveren page stores what it saves
    reference_dir: Path
    upload_bytes: int  # a larger upload is refused with a Dutch reason


def settings() -> Settings:
    """The settings as the environment gives them now."""
    geojson = os.environ.get("EINCLUSIE_WIJKEN_GEOJSON", "").strip()
    return Settings(
        data_dir=Path(os.environ.get("EINCLUSIE_DATA") or DEFAULT_DATA_DIR),
        wijken_geojson=Path(geojson) if geojson else None,
        browser_path=os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER,
        max_file_bytes=int(
            _positive(os.environ.get("EINCLUSIE_MAX_FILE_MB"), DEFAULT_MAX_FILE_MB) * 1e6
        ),
        users_file=Path(os.environ.get("EINCLUSIE_GEBRUIKERS") or DEFAULT_USERS_FILE),
        session_hours=_positive(os.environ.get("EINCLUSIE_SESSIE_UREN"), DEFAULT_SESSION_HOURS),
        public_view=os.environ.get("EINCLUSIE_PUBLIEK", "").strip().lower()
        in ("1", "ja", "true", "yes"),
        threshold=max(3, int(_positive(os.environ.get("EINCLUSIE_DREMPEL"), DEFAULT_THRESHOLD))),
        login_required=os.environ.get("EINCLUSIE_AANMELDING", "").strip().lower() == "verplicht",
        raw_dir=Path(os.environ.get("EINCLUSIE_RAW") or DEFAULT_RAW_DIR),
        reference_dir=Path(os.environ.get("EINCLUSIE_REFERENTIE") or REFERENCE_DIR),
        upload_bytes=int(
            _positive(os.environ.get("EINCLUSIE_AANLEVERING_MB"), DEFAULT_UPLOAD_MB) * 1e6
        ),
    )


def _positive(text: str | None, default: float) -> float:
    """A positive number from the environment; the default when unset or not a number."""
    try:
        value = float((text or "").replace(",", "."))
    except ValueError:
        return default
    return value if value > 0 else default
