"""Login and roles for real: Chromium, Streamlit's st.login against a real OpenID Connect
provider on loopback (tests/oidc.py), one pass per role; and the two address rules of serve.py.

In the browser: before login every address shows only "Aanmelden"; each role gets its pages,
is refused the others ("Geen toegang tot deze pagina") and has its chart download recorded in
the audit (the databeheerder logs in with the email in capitals); an email without a valid row
sees "Geen toegang"; logout passes the provider's end_session_endpoint and stays logged out;
an expired session is logged out. Without a browser: local mode listens on 127.0.0.1 only,
and serve.py refuses 0.0.0.0 without a login (exit code 2, a Dutch sentence).

One provider for the module and one dashboard server per login configuration, each over its
own copy of the loaded sample (the download audit is written into it).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PROJECT
from tests.oidc import (
    OUTSIDER,
    QUIET_PROVIDER,
    USERS,
    finish_logout,
    log_in,
    log_out,
    login_server,
    provider_fixture,
    write_users,
)
from tests.oidc import Provider as OidcProvider
from tests.test_browser import _SEEN, _free_port, open_page, streamlit_server, wait_for_app
from tests.test_screens import look

TITLE = "e-inclusie Gent in cijfers"
MEDEWERKER_PAGES = [
    "Overzicht",
    "Hulpvragen",
    "Toestellen",
    "Vorming",
    "Wijken",
    "Digipunten",
    "Digibanken",
    "Allemaal Digitaal",
    "Bibliotheek",
    "Uitleendienst",
    "Export",
]
PAGES = {  # the navigation of each role
    "medewerker": MEDEWERKER_PAGES,
    "databeheerder": [*MEDEWERKER_PAGES, "Gegevens", "Aanleveren"],
    "beheerder": [*MEDEWERKER_PAGES, "Gegevens", "Aanleveren", "Gebruikers"],
}
FORBIDDEN = {  # pages each role may not open (by url_path)
    "medewerker": ["gegevens", "aanleveren", "gebruikers"],
    "databeheerder": ["gebruikers"],
    "beheerder": [],
}
# How each role logs in: the databeheerder in capitals (emails match whatever their case).
LOGINS = {**USERS, "databeheerder": USERS["databeheerder"].upper()}
SHORT_SESSION_HOURS = 0.002  # 7.2 s
REFUSED = "fout@gent.be"  # a row of the users file with a role that does not exist
FIGURES = "[data-testid='stPlotlyChart'], [data-testid='stMetric']"

provider = provider_fixture()  # one OpenID Connect provider for the module
pytestmark = QUIET_PROVIDER


def shown(text: str, *, whole: bool = False) -> re.Pattern:
    """`text` as the page shows it: the dashboard writes emails with an invisible word
    joiner before the "@" (so Markdown makes no link of them)."""
    pattern = "[\u2060\u200b]*".join(re.escape(char) for char in text)
    return re.compile(f"^{pattern}$" if whole else pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Dashboard:
    base: str
    data: Path  # EINCLUSIE_DATA, a copy of the loaded sample

    def downloads(self) -> list[dict[str, str]]:
        path = self.data / "audit" / "downloads.csv"
        if not path.exists():
            return []
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))


@contextlib.contextmanager
def dashboard(
    sample_data: Path, folder: Path, provider: OidcProvider, **env: str
) -> Iterator[Dashboard]:
    data = folder / "data"
    shutil.copytree(sample_data, data)
    users = write_users(folder / "gebruikers.csv", extra_lines=[f"{REFUSED};directeur;"])
    logs = folder / "logs"
    logs.mkdir()
    with login_server(data, logs, provider, users, env={"EINCLUSIE_PUBLIEK": "", **env}) as base:
        yield Dashboard(base, data)


@pytest.fixture(scope="module")
def servers(
    sample_data: Path, tmp_path_factory: pytest.TempPathFactory, provider: OidcProvider
) -> Iterator[dict[str, Dashboard]]:
    """The two login configurations, started side by side (a start takes about 6 s, most
    of it imports): "login" as deployed, "short" with sessions of 7.2 s."""
    configs = {"login": {}, "short": {"EINCLUSIE_SESSIE_UREN": str(SHORT_SESSION_HOURS)}}
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(len(configs)) as pool:
        started = {
            name: pool.submit(
                stack.enter_context,
                dashboard(sample_data, tmp_path_factory.mktemp(name), provider, **env),
            )
            for name, env in configs.items()
        }
        yield {name: future.result() for name, future in started.items()}


@pytest.fixture(scope="module")
def login(servers: dict[str, Dashboard]) -> Dashboard:
    return servers["login"]


def navigation(page: Page) -> list[str]:
    """The titles of the sidebar's navigation links, expanded when Streamlit collapses it."""
    nav = page.locator("[data-testid='stSidebarNav']")
    more = nav.get_by_role("button", name=re.compile(r"^View \d+ more"))
    if more.count():
        more.click()
    # A link's text starts with its icon's name (a Material Symbols ligature): the title is
    # its last line.
    return [text.strip().splitlines()[-1] for text in nav.locator("a").all_inner_texts()]


def settled(page: Page) -> None:
    """wait_for_app after the browser loaded a new document without open_page (the return
    from the provider, a logout, a reload): the new document counts its runs from 0."""
    setattr(page, _SEEN, 0)
    wait_for_app(page)


def no_figures(page: Page) -> None:
    expect(page.locator(FIGURES)).to_have_count(0)
    expect(page.get_by_text("Digitale hulpvragen beantwoord")).to_have_count(0)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def shows_login(page: Page) -> None:
    expect(page.locator("h1").first).to_have_text(TITLE)
    expect(page.get_by_role("button", name="Aanmelden")).to_be_visible()
    expect(page.get_by_role("button", name="Afmelden")).to_have_count(0)
    no_figures(page)


def download_first_csv(page: Page, folder: Path) -> str:
    """The CSV of the page's first chart, through its "Downloaden" menu; its file name."""
    page.get_by_role("button", name="Downloaden", exact=True).first.click()
    menu = page.locator("[data-testid='stPopoverBody']")
    with page.expect_download() as download:
        menu.get_by_role("button", name="CSV").click()
    name = download.value.suggested_filename
    download.value.save_as(folder / name)
    assert name.endswith(".csv") and (folder / name).stat().st_size > 0
    return name


def recorded(dashboard: Dashboard, email: str, name: str) -> list[dict[str, str]]:
    """The audit rows of `email` downloading `name`, waiting a moment for them."""
    deadline = time.monotonic() + 10
    while True:
        rows = [
            row
            for row in dashboard.downloads()
            if row.get("wie", "").lower() == email.lower() and row.get("bestand") == name
        ]
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


# --- in the browser ----------------------------------------------------------------------


def test_before_login_every_address_shows_only_the_login(login: Dashboard, page: Page):
    for path in ("", "hulpvragen?jaar=2022", "gebruikers"):
        open_page(page, f"{login.base}/{path}")
        shows_login(page)
    expect(page.locator("[data-testid='stSidebarNav'] a")).to_have_count(0)
    problems = look(page, "aanmelden")  # nothing cut, nothing English, at every width
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", list(LOGINS))
def test_each_role_gets_its_pages_and_its_download_is_recorded(
    login: Dashboard, page: Page, role: str, tmp_path: Path
):
    email = LOGINS[role]  # the databeheerder's in capitals: the file has it in lower case
    open_page(page, login.base)
    log_in(page, login.base, email)
    settled(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(shown(f"Aangemeld als {email}"))).to_be_visible()
    expect(sidebar.get_by_role("button", name="Afmelden")).to_be_visible()
    expect(page.locator("h1").first).to_have_text(re.compile(r"in cijfers$"))
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible()
    assert navigation(page) == PAGES[role]
    nav = page.locator("[data-testid='stSidebarNav']")
    for section in ("Cijfers", "Programma's"):
        expect(nav.get_by_text(section, exact=True)).to_be_visible()

    # One chart's CSV, recorded with the email in <EINCLUSIE_DATA>/audit/downloads.csv.
    name = download_first_csv(page, tmp_path)
    assert recorded(login, email, name), login.downloads()

    for path in FORBIDDEN[role]:
        open_page(page, f"{login.base}/{path}")
        expect(page.locator("h1").first).to_have_text("Geen toegang tot deze pagina")
        no_figures(page)

    if role in ("databeheerder", "beheerder"):
        open_page(page, f"{login.base}/gegevens")
        expect(page.get_by_text("Geen toegang", exact=False)).to_have_count(0)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
    if role == "beheerder":
        # The users, the refused row and the audit (with this very download).
        open_page(page, f"{login.base}/gebruikers")
        expect(page.locator("h1").first).to_have_text("Gebruikers")
        main = page.locator("[data-testid='stMain']")
        for other in USERS.values():
            expect(main.get_by_text(shown(other, whole=True)).first).to_be_visible()
        expect(main.get_by_text("directeur").first).to_be_visible()
        expect(main.get_by_text(name, exact=True).first).to_be_visible()
        expect(page.locator("[data-testid='stException']")).to_have_count(0)


@pytest.mark.parametrize("email", [OUTSIDER, REFUSED], ids=["not-in-the-file", "refused-row"])
def test_an_email_without_a_valid_row_sees_no_access_and_no_figure(
    login: Dashboard, page: Page, email: str
):
    open_page(page, login.base)
    log_in(page, login.base, email)
    settled(page)
    expect(page.locator("h1").first).to_have_text("Geen toegang")
    expect(page.locator("[data-testid='stMain']")).to_contain_text(shown(email))
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    no_figures(page)
    expect(page.locator("[data-testid='stSidebarNav'] a")).to_have_count(0)
    open_page(page, f"{login.base}/hulpvragen?jaar=2022")
    expect(page.locator("h1").first).to_have_text("Geen toegang")
    no_figures(page)
    if email == OUTSIDER:
        problems = look(page, "geen_toegang")
        assert not problems, "\n".join(problems)


def test_logout_ends_the_provider_session_and_a_reload_stays_logged_out(
    login: Dashboard, provider: OidcProvider, page: Page
):
    open_page(page, login.base)
    log_in(page, login.base, USERS["medewerker"])
    passed = log_out(page)  # while the overview may still be drawing, as a hurried user does
    assert passed and passed.startswith(f"{provider.end_session_url}?"), passed
    hint = parse_qs(urlsplit(passed).query)
    assert hint.get("id_token_hint") and hint.get("post_logout_redirect_uri") == [
        f"{login.base}/oauth2callback"
    ], passed
    settled(page)
    shows_login(page)
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    page.reload()
    settled(page)
    shows_login(page)


def test_an_expired_session_is_logged_out(
    servers: dict[str, Dashboard], provider: OidcProvider, page: Page
):
    short = servers["short"]  # EINCLUSIE_SESSIE_UREN=0.002: 7.2 s
    open_page(page, short.base)
    log_in(page, short.base, USERS["medewerker"])
    logged_in = time.monotonic()  # the ID token's iat is a little earlier
    expect(page.get_by_text(shown(f"Aangemeld als {USERS['medewerker']}"))).to_be_visible()
    page.wait_for_timeout((SHORT_SESSION_HOURS * 3600 + 1 - (time.monotonic() - logged_in)) * 1000)
    page.reload()
    passed = finish_logout(page)  # st.logout: through the provider's end session
    assert passed and passed.startswith(provider.end_session_url), passed
    settled(page)
    shows_login(page)
    page.reload()
    settled(page)
    shows_login(page)


# --- without a browser -------------------------------------------------------------------


def _children(port: int) -> list[int]:
    """The pids of this process's children that run a Streamlit server on `port`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"streamlit" in command and str(port).encode() in command:
            found.append(int(entry.name))
    return found


def _address(hex_address: str) -> str:
    """/proc/net/tcp{,6}'s local address (host byte order per 32-bit word) as text."""
    import ipaddress

    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    return str(getattr(address, "ipv4_mapped", None) or address)


def listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket that process `pid` listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    sockets = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                sockets.add((_address(address), int(port, 16)))
    return sockets


@pytest.fixture
def no_secrets(tmp_path: Path) -> Path:
    """An empty secrets file: no [auth], whatever the machine's own secrets say."""
    path = tmp_path / "secrets.toml"
    path.write_text("", encoding="utf-8")
    return path


def test_local_mode_listens_on_loopback_only(sample_data: Path, tmp_path: Path, no_secrets: Path):
    port = _free_port()
    with streamlit_server(  # no --server.address, as make run
        sample_data,
        tmp_path,
        args=["--secrets.files", str(no_secrets)],
        env={"EINCLUSIE_PUBLIEK": ""},
        port=port,
    ):
        (pid,) = _children(port)
        sockets = listening(pid)
    assert ("127.0.0.1", port) in sockets, sockets
    assert {address for address, _ in sockets} == {"127.0.0.1"}, sockets


def start_refused(
    secrets: Path, address: str = "127.0.0.1", **env: str
) -> subprocess.CompletedProcess:
    """serve.py as the server imports it, with `address` as its server.address: the check
    runs before anything listens, so no socket is opened beyond loopback."""
    code = (
        "from streamlit import config; "
        f"config.set_option('server.address', {address!r}); "
        f"config.set_option('secrets.files', [{str(secrets)!r}]); "
        "import serve"
    )
    environment = {**os.environ, "EINCLUSIE_PUBLIEK": "", "EINCLUSIE_AANMELDING": "", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("case", "address", "env", "says"),
    [
        ("elsewhere", "0.0.0.0", {}, "geen aanmelding ingesteld"),
        ("required", "127.0.0.1", {"EINCLUSIE_AANMELDING": "verplicht"}, "verplicht"),
        ("broken", "127.0.0.1", {}, "kan niet gelezen worden"),
    ],
)
def test_serving_without_a_working_login_is_refused(
    tmp_path: Path, no_secrets: Path, case: str, address: str, env: dict, says: str
):
    secrets = no_secrets
    if case == "broken":  # a secrets file that is there but no TOML: never the open mode
        secrets = tmp_path / "kapot.toml"
        secrets.write_text("[auth\nclient_id =", encoding="utf-8")
    done = start_refused(secrets, address, **env)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Het dashboard start niet" in done.stderr and says in done.stderr, done.stderr
    assert start_refused(no_secrets).returncode == 0  # local, nothing asked: it may start
