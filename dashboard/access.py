"""Login and roles in the dashboard: who is looking, which pages they get, every download kept.

Login is on as soon as Streamlit's secrets have an `[auth]` section (`.streamlit/secrets.toml`
in the project root): then every request needs Streamlit's own OpenID Connect login
(`st.login`, `st.user`, `st.logout`), also on 127.0.0.1. Without it the dashboard is local
(`make run` listens on 127.0.0.1 only) and its one user has every role.

Roles are enforced here, on the server: a page a role may not open is not in the navigation
and its file never runs (a hidden page that says so takes its place), and a page checks again
when it starts (`require`). The rules themselves are einclusie/access.py's.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.per_run import once_per_run
from einclusie.access import (
    PUBLIC_PAGES,
    Role,
    Users,
    page_role,
    read_users,
    record_download,
    users_path,
)
from einclusie.format import markdown_literal
from einclusie.settings import settings

PRODUCT = "e-inclusie Gent in cijfers"
ASK = "de beheerder van dit dashboard bij het team e-inclusie van Stad Gent"

# Viewer.kind
LOCAL, USER, UNKNOWN = "lokaal", "gebruiker", "onbekend"
LOGGED_OUT, EXPIRED, PUBLIC = "afgemeld", "verlopen", "publiek"
NOT_SET_UP = "niet ingesteld"  # reached from elsewhere, or asked for, without a login set up


@dataclass(frozen=True)
class Viewer:
    """The person this run is for."""

    kind: str  # LOCAL, USER, UNKNOWN (logged in, not in the file), LOGGED_OUT, EXPIRED, PUBLIC
    email: str = ""
    role: Role | None = None
    wijken: tuple[str, ...] = ()

    @property
    def who(self) -> str:
        """For the audit: the email, or 'lokaal' for the local user."""
        return self.email or self.kind

    @property
    def public(self) -> bool:
        """The public view: published figures only, small numbers protected."""
        return self.kind == PUBLIC

    def may_open(self, url_path: str) -> bool:
        if self.public:
            return url_path in PUBLIC_PAGES
        return self.role is not None and self.role >= page_role(url_path)

    def may(self, role: Role, public: bool = False) -> bool:
        """Whether a page for `role` opens; `public` whether the public view may open it."""
        if self.public:
            return public and role is Role.MEDEWERKER
        return self.role is not None and self.role >= role


def login_configured() -> bool:
    """True when the secrets have an [auth] section (Streamlit's login is then configured)."""
    return login_state() == "aan"


def login_state() -> str:
    """'aan' with an [auth] section, 'uit' without any secrets file or without [auth], and
    'kapot' when a secrets file is there but cannot be read (unreadable, not TOML): that
    must never fall back to the open local mode."""
    try:
        return "aan" if "auth" in st.secrets else "uit"
    except Exception:  # Streamlit raises on any access when no file can be read
        files = [Path(p).expanduser() for p in st.config.get_option("secrets.files") or []]
        return "kapot" if any(f.exists() for f in files) else "uit"


# Headers a reverse proxy adds: a request through one never comes from this machine's user.
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Host")


def _reached_locally() -> bool:
    """Whether this session's browser runs on this machine and came straight here (loopback,
    no proxy in between): the only case the open local mode is for."""
    try:
        headers = st.context.headers
        proxied = any(headers.get(name) for name in PROXY_HEADERS)
        address = st.context.ip_address
    except Exception:  # outside a browser session (AppTest, a bare run): nothing came in
        return True
    if not isinstance(address, str):  # None: loopback; AppTest has no real connection
        address = None
    return not proxied and (address is None or _loopback_ip(address))


def _loopback_ip(address: str) -> bool:
    """127.0.0.1, ::1 and the IPv4-mapped ::ffff:127.0.0.1 that a dual-stack socket reports."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


@once_per_run  # asked by every download button and query: the secrets and headers once
def viewer() -> Viewer:
    """Who is looking, from Streamlit's login cookie and the users file. Without a login,
    the local mode (every role) only for a browser on this machine when no login is asked
    for; anyone else gets the public view when it is on, or the refusal page. Worked out
    once per run."""
    config = settings()
    state = login_state()
    if state != "aan":
        if config.public_view and state == "uit":
            return Viewer(PUBLIC)
        if state == "uit" and not config.login_required and _reached_locally():
            return Viewer(LOCAL, role=Role.BEHEERDER)
        return Viewer(NOT_SET_UP)
    if not st.user.is_logged_in:
        return Viewer(PUBLIC) if config.public_view else Viewer(LOGGED_OUT)
    claims = st.user.to_dict()
    email = str(claims.get("email") or "")
    if claims.get("email_verified") is False:  # an address nobody vouched for names nobody
        return Viewer(UNKNOWN, email)
    if _expired(claims):
        return Viewer(EXPIRED, email)
    user = users().find(email)
    if user is None:
        return Viewer(UNKNOWN, email)
    return Viewer(USER, email, user.role, user.wijken)


def _expired(claims: dict[str, Any]) -> bool:
    """Streamlit keeps its login cookie 30 days and never looks at the token's age: a login is
    as old as its ID token (`iat`, which OpenID Connect requires; missing means too old)."""
    issued = claims.get("iat")  # this login's token; auth_time may be the provider's older one
    try:
        issued = float(issued)
    except (TypeError, ValueError):
        return True
    return time.time() - issued > settings().session_hours * 3600


def users() -> Users:
    """The users file, read again when it changes (the programme edits it while it runs)."""
    path = users_path()
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    except OSError:
        stamp = (0, 0, 0)
    return _read_users(str(path), stamp)


@st.cache_resource(show_spinner=False, max_entries=4)
def _read_users(path: str, stamp: tuple[int, int, int]) -> Users:
    return read_users(Path(path))


# --- navigation ------------------------------------------------------------------------


def navigation(sections: dict[str, list[st.Page]], current: Viewer) -> Any:
    """app.py's navigation as `current` may use it: before login (or without access) every
    address shows the login or refusal page; a page the role may not open is replaced by a
    hidden page that says so (its file never runs, and its link is not shown)."""
    if current.kind in (LOGGED_OUT, UNKNOWN, EXPIRED, NOT_SET_UP):
        gate = {
            LOGGED_OUT: _login_page,
            UNKNOWN: _unknown_page,
            EXPIRED: _expired_page,
            NOT_SET_UP: _not_set_up_page,
        }
        every = [page for pages in sections.values() for page in pages]
        return st.navigation(
            [
                st.Page(
                    gate[current.kind],
                    title=PRODUCT,
                    url_path=_path(page),
                    default=page is every[0],
                    visibility="hidden",
                )
                for page in every
            ],
            position="hidden",
        )
    allowed = {
        section: [page if current.may_open(_path(page)) else _refused(page) for page in pages]
        for section, pages in sections.items()
    }
    # Always expanded: a collapsed menu ends in an English "View N more" button.
    return st.navigation(allowed, expanded=True)


def _path(page: st.Page) -> str:
    """The page's own url_path (Streamlit reports '' for the default page)."""
    return getattr(page, "_url_path", "") or page.url_path


def _refused(page: st.Page) -> st.Page:
    return st.Page(_no_access_page, title=page.title, url_path=_path(page), visibility="hidden")


def _login_page() -> None:
    st.title(PRODUCT)
    if st.button("Aanmelden", type="primary", icon=":material/login:"):
        st.login()


def _not_set_up_page() -> None:
    st.title("Aanmelding niet ingesteld")
    st.write(
        f"{PRODUCT} toont zijn cijfers zonder aanmelding alleen op de computer waarop het "
        "draait. Hier is het van elders bereikt (of is een aanmelding verplicht gesteld), maar "
        "er is geen aanmelding ingesteld of het bestand met de instellingen kan niet gelezen "
        f"worden. Meld dit aan {ASK}."
    )


def _expired_page() -> None:
    st.title(PRODUCT)
    st.info("Je sessie is verlopen. Meld je opnieuw aan.", icon=":material/schedule:")
    st.logout()  # ends the provider's session too; the next visit starts at "Aanmelden"


def _unknown_page() -> None:
    st.title("Geen toegang")
    st.write(
        f"Je bent aangemeld als {markdown_literal(viewer().email)}, maar dat adres staat niet "
        f"in de lijst van gebruikers van {PRODUCT}. Vraag toegang aan {ASK}."
    )
    _logout_button(st)


def _no_access_page() -> None:
    st.title("Geen toegang tot deze pagina")
    current = viewer()
    if current.public:
        login = " Medewerkers melden zich aan." if login_configured() else ""
        st.write(f"Deze pagina hoort niet bij de publieke cijfers.{login}")
        return
    role = current.role.label if current.role else "geen"
    st.write(f"Met je rol ({role}) kun je deze pagina niet openen. Vraag toegang aan {ASK}.")


def account(current: Viewer) -> None:
    """Who is logged in, and the way out (in the sidebar; nothing in local mode)."""
    if current.public:
        st.sidebar.caption("Publieke weergave: kleine aantallen zijn afgeschermd.")
        if login_configured() and st.sidebar.button("Aanmelden", icon=":material/login:"):
            st.login()
        return
    if current.kind != USER:
        return
    role = current.role.label if current.role else ""
    st.sidebar.caption(f"Aangemeld als {markdown_literal(current.email)} ({role})")
    _logout_button(st.sidebar)


def _logout_button(where: Any) -> None:
    if where.button("Afmelden", icon=":material/logout:", key="afmelden"):
        st.logout()


def require(role: Role, public: bool = False) -> Viewer:
    """Stop a page that `role` guards when the viewer's role is less, or in the public view a
    page that is not public (the navigation already keeps them out; this holds also for a
    page file run on its own)."""
    current = viewer()
    if not current.may(role, public):
        _no_access_page()
        st.stop()
    return current


# --- downloads -------------------------------------------------------------------------


def download_button(
    label: str,
    content: bytes | Callable[[], bytes],
    *,
    what: str,
    file_name: str,
    **options: Any,
) -> None:
    """st.download_button whose file is made (when `content` is a callable) and recorded in
    the audit (who, what, when) at the moment it is downloaded."""
    who = viewer().who  # now, in the run: the callable runs outside it

    def made() -> bytes:
        record_download(who, what, file_name)
        return content() if callable(content) else content

    st.download_button(label, made, file_name=file_name, **options)
