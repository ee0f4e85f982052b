"""Deployment as the city runs it: Debian's nginx with deploy/nginx/einclusie.conf in front of
two Streamlit replicas that share one data folder, with login (deploy/README.md).

The site file is rendered for loopback ports, a self-signed certificate made here with
openssl and a log folder of the test's own (deploy/nginx/render.py changes nothing else), and
nginx runs as a foreground process (`daemon off`), never as the system's service. The two
replicas are tests/test_browser.py's `streamlit_server` on a copy of the loaded sample, with
the same secrets (one cookie_secret) and tests/oidc.py's provider; the redirect_uri is
nginx's HTTPS address. Chromium goes through nginx only.

Which replica served a request is read from nginx's access log: the site's log format names
the upstream of every request (`upstream=127.0.0.1:<port>`), and every browser context (and
every probe) sends a user agent of its own. A websocket's line is written when it closes.

Never skipped: without nginx or openssl the tests fail and say how to install them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from etl.load import run_load
from tests.conftest import PROJECT, TODAY, VIEWPORT
from tests.oidc import USERS, log_in, running_provider, write_secrets, write_users
from tests.test_browser import TIMEOUT, _free_port, open_page, streamlit_server

NGINX = Path("/usr/sbin/nginx")
DEPLOY = PROJECT / "deploy"
COOKIE = "einclusie_route"  # the routing cookie nginx sets (deploy/nginx/einclusie.conf)
EMAIL = USERS["medewerker"]
# The overview's first card for 2022: the published figure, and after the new load, which
# adds three Digipunt help requests in December 2022.
CARD = "Digitale hulpvragen beantwoord"
BEFORE, AFTER = "11.877", "11.880"
EXTRA_EXPORT = "id,Datum,Locatie,KANAAL,Vraagtype,Leeftijdsgroep,opmerking\r\n" + "".join(
    f"HV-2022-NALEVERING-{n},15/12/2022,Bibliotheek De Krook,Digipunt,Technische hulp,35-54,\r\n"
    for n in (1, 2, 3)
)
# One line of the site's log format `einclusie`.
LOG_LINE = re.compile(
    r'"(?P<request>[^"]*)" (?P<status>\d{3}) \S+ "[^"]*" "(?P<agent>[^"]*)" '
    r"upstream=(?P<upstream>\S+)"
)


def _render():
    """deploy/nginx/render.py (a script of the deploy folder, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "einclusie_nginx_render", DEPLOY / "nginx/render.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _render()


def _require(path: Path | str | None, package: str) -> str:
    found = shutil.which(str(path)) if path else None
    if not found:
        pytest.fail(
            f"Debian's {package} is missing ({path}): install it with `apt-get install -y "
            f"{package}` (make test does so when it runs as root or with sudo). The "
            "deployment test needs it and is never skipped.",
            pytrace=False,
        )
    return found


# --- nginx ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nginx:
    base: str  # https://127.0.0.1:<port>
    http: str  # http://127.0.0.1:<port>
    replicas: tuple[str, str]  # the upstream addresses, as the log names them
    access_log: Path
    error_log: Path

    def lines(self) -> list[dict[str, str]]:
        text = self.access_log.read_text(errors="replace") if self.access_log.exists() else ""
        return [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]

    def served(self, agent: str) -> list[dict[str, str]]:
        return [line for line in self.lines() if line["agent"] == agent]

    def wait_served(
        self, agent: str, path: str, count: int = 1, timeout: float = 10
    ) -> list[dict[str, str]]:
        """The log lines of `agent`, once `count` of them request `path` (a websocket's line
        comes only when it closes)."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.served(agent)
            found = sum(_path(line) == path for line in lines)
            if found >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


def _path(line: dict[str, str]) -> str:
    parts = line["request"].split(" ")
    return parts[1].split("?")[0] if len(parts) > 1 else ""


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    openssl = _require("openssl", "openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


@contextlib.contextmanager
def running_nginx(folder: Path, replica_ports: tuple[int, int]) -> Iterator[Nginx]:
    """Debian's nginx with the site file on free loopback ports, in the foreground."""
    nginx = _require(NGINX, "nginx")
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = _certificate(folder)
    http_port, https_port = _free_port(), _free_port()
    site = render.render_site(
        server_name="127.0.0.1",
        certificate=cert,
        key=key,
        http_port=http_port,
        https_port=https_port,
        address="127.0.0.1",
        replicas=replica_ports,
        log_dir=folder,
    )
    conf = folder / "nginx.conf"
    conf.write_text(render.standalone(site, folder), encoding="utf-8")
    error_log = folder / "error.log"
    command = [
        nginx, "-p", str(folder), "-c", str(conf),
        "-g", f"daemon off; pid {folder / 'nginx.pid'}; error_log {error_log} info;",
    ]  # fmt: skip
    with (folder / "stderr.txt").open("wb") as err:
        process = subprocess.Popen(command, stdout=err, stderr=err)

    def output() -> str:
        return "\n".join(
            f"--- nginx {p.name} ---\n{p.read_text(errors='replace')}"
            for p in (folder / "stderr.txt", error_log)
            if p.exists()
        )

    try:
        deadline = time.monotonic() + 10
        while not (_listening(https_port) and _listening(http_port)):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"nginx did not start (exit code {process.poll()}).\n{output()}",
                    pytrace=False,
                )
            time.sleep(0.05)
        yield Nginx(
            base=f"https://127.0.0.1:{https_port}",
            http=f"http://127.0.0.1:{http_port}",
            replicas=tuple(f"127.0.0.1:{port}" for port in replica_ports),
            access_log=folder / "einclusie.access.log",
            error_log=folder / "einclusie.error.log",
        )
    finally:
        process.send_signal(signal.SIGTERM)  # fast shutdown: the master stops its workers
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the deployment: provider, nginx, two replicas on one data folder ----------------------


@dataclass(frozen=True)
class Deployment:
    nginx: Nginx
    data: Path  # the shared data folder (EINCLUSIE_DATA of both replicas)


@pytest.fixture(scope="module")
def deployment(sample_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("deploy")
    data = root / "parquet"
    shutil.copytree(sample_data, data, symlinks=True)  # `current` is a relative link
    users = write_users(root / "gebruikers.csv")
    ports = (_free_port(), _free_port())
    logs = (root / "replica1", root / "replica2")
    with contextlib.ExitStack() as stack:
        provider = stack.enter_context(running_provider())
        nginx = stack.enter_context(running_nginx(root / "nginx", ports))
        # One secrets file for both: the same cookie_secret, the redirect_uri through nginx.
        secrets_file = write_secrets(root, nginx.base, provider)
        for port, folder in zip(ports, logs, strict=True):
            folder.mkdir()
            stack.enter_context(
                streamlit_server(
                    data,
                    folder,
                    args=["--secrets.files", str(secrets_file)],
                    env={"EINCLUSIE_GEBRUIKERS": str(users)},
                    port=port,
                )
            )
        yield Deployment(nginx, data)


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, *, agent: str, cookie: str | None = None):
    """One request through nginx, redirects not followed; the response (or HTTPError)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=_insecure()), _NoRedirect()
    )
    headers = {"User-Agent": agent, **({"Cookie": cookie} if cookie else {})}
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            response.read()
            return response
    except urllib.error.HTTPError as error:
        return error


def _route_cookie(response) -> str | None:
    """The routing cookie nginx set on `response`, if it set one."""
    found = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith(COOKIE + "=")]
    assert len(found) <= 1, found
    return found[0] if found else None


def _replica_of(nginx: Nginx, key: str) -> str:
    """The upstream that nginx sends the routing key `key` to."""
    agent = f"einclusie-deploy-probe/{key}/{secrets.token_hex(4)}"  # this request only
    _get(f"{nginx.base}/_stcore/health", agent=agent, cookie=f"{COOKIE}={key}")
    lines = nginx.wait_served(agent, "/_stcore/health")
    assert len(lines) == 1, lines
    return lines[0]["upstream"]


def _context(browser: Browser, agent: str, **options) -> BrowserContext:
    return browser.new_context(
        ignore_https_errors=True, user_agent=agent, viewport=VIEWPORT, locale="nl-BE", **options
    )


def _overview_2022(page: Page, expected: str, url: str | None = None) -> None:
    """Expect `expected` help requests on the first card of the 2022 overview, once its
    charts are drawn (all of it comes over the page's websocket). With `url`, open that
    first: a new document, so a new session on the page's replica."""
    if url:
        open_page(page, url)
    expect(page.locator("h1").first).to_have_text("2022 in cijfers")
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    card = page.locator("[data-testid='stMetric']").filter(has=page.get_by_text(CARD, exact=True))
    expect(card.locator("[data-testid='stMetricValue']")).to_have_text(expected)
    page.wait_for_function(
        """() => document.querySelectorAll("[data-testid='stPlotlyChart'] .main-svg").length""",
        timeout=TIMEOUT,
    )


# --- the tests -------------------------------------------------------------------------------


def test_the_site_file_is_its_own_rendering_with_the_production_values():
    assert render.render_site() == render.SITE.read_text(encoding="utf-8")


def test_the_units_run_streamlit_with_options_that_exist_on_the_upstreams_ports():
    from streamlit import config

    unit = (DEPLOY / "systemd/einclusie@.service").read_text(encoding="utf-8")
    exec_start = re.search(r"^ExecStart=((?:.*\\\n)*.*)$", unit, re.MULTILINE)[1]
    command = exec_start.replace("\\\n", " ").split()
    assert command[:3] == ["/opt/einclusie/.venv/bin/streamlit", "run", "serve.py"]
    options = dict(zip(command[3::2], command[4::2], strict=True))
    assert {k: options[k] for k in ("--server.address", "--server.port")} == {
        "--server.address": "127.0.0.1",
        "--server.port": "%i",
    }
    known = config.get_config_options()
    assert [o for o in options if o.removeprefix("--") not in known] == []
    # The target starts the replicas that nginx's upstream names.
    target = (DEPLOY / "systemd/einclusie.target").read_text(encoding="utf-8")
    started = re.findall(r"einclusie@(\d+)\.service", re.search(r"^Wants=.*$", target, re.M)[0])
    upstream = re.findall(r"server 127\.0\.0\.1:(\d+)", render.SITE.read_text(encoding="utf-8"))
    assert started == upstream == ["8501", "8502"]
    # Every setting the example environment file sets is one the dashboard reads.
    from einclusie import settings

    env = (DEPLOY / "systemd/einclusie.env").read_text(encoding="utf-8")
    assigned = re.findall(r"^([A-Z_]+)=", env, re.MULTILINE)
    assert "EINCLUSIE_DATA" in assigned
    assert [name for name in assigned if name not in settings.ENVIRONMENT] == []


def test_plain_http_is_sent_to_https(deployment: Deployment):
    nginx = deployment.nginx
    response = _get(f"{nginx.http}/hulpvragen?jaar=2022", agent="einclusie-deploy-probe/http")
    assert response.status == 301
    assert response.headers["Location"] == f"{nginx.base}/hulpvragen?jaar=2022"


def test_nginx_gives_a_new_browser_a_routing_cookie_and_keeps_it_on_one_replica(
    deployment: Deployment,
):
    nginx = deployment.nginx
    agent = "einclusie-deploy-probe/new"
    response = _get(f"{nginx.base}/_stcore/health", agent=agent)
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = _route_cookie(response)
    assert re.fullmatch(
        rf"{COOKIE}=[0-9a-f]{{32}}; Path=/; Secure; HttpOnly; SameSite=Lax", cookie or ""
    ), response.headers.get_all("Set-Cookie")
    key = cookie.split(";")[0].split("=")[1]
    first = nginx.wait_served(agent, "/_stcore/health")[0]["upstream"]
    assert first in nginx.replicas
    # The first request went where the cookie it got sends all later ones.
    assert all(_replica_of(nginx, key) == first for _ in range(5))
    # A browser that has its key gets no new one; a mangled key is replaced.
    again = _get(f"{nginx.base}/_stcore/health", agent=agent, cookie=f"{COOKIE}={key}")
    assert _route_cookie(again) is None
    mangled = _get(f"{nginx.base}/_stcore/health", agent=agent, cookie=f"{COOKIE}=x;y")
    assert _route_cookie(mangled) not in (None, cookie)


def test_a_login_through_nginx_holds_on_both_replicas_and_a_new_load_shows_on_both(
    deployment: Deployment, browser: Browser, tmp_path: Path
):
    nginx = deployment.nginx
    agents = ("einclusie-deploy-test/browser-1", "einclusie-deploy-test/browser-2")
    overview = f"{nginx.base}/?jaar=2022"

    first = _context(browser, agents[0])
    second = None
    try:
        # Browser 1 is new to the site: nginx gives it a routing key; it logs in through nginx
        # (the provider sends it back to nginx's /oauth2callback) and sees the 2022 figures.
        page1 = first.new_page()
        page1.goto(overview, timeout=TIMEOUT)
        expect(page1.get_by_role("button", name="Aanmelden")).to_be_visible(timeout=TIMEOUT)
        expect(page1.locator("h1").first).to_have_text("e-inclusie Gent in cijfers")
        log_in(page1, nginx.base, EMAIL)
        _overview_2022(page1, BEFORE)  # where the login lands: the default year, 2022
        route = next(c for c in first.cookies() if c["name"] == COOKIE)
        assert route["secure"] and route["httpOnly"], route
        replica1 = nginx.served(agents[0])[0]["upstream"]
        assert replica1 in nginx.replicas

        # Browser 2 has browser 1's login cookies but a routing key that nginx sends to the
        # other replica: the login, made on replica 1, holds there too (the same cookie_secret).
        replica2 = next(r for r in nginx.replicas if r != replica1)
        key = next(
            k
            for k in iter(lambda: secrets.token_hex(16), None)
            if _replica_of(nginx, k) == replica2
        )
        state = first.storage_state()
        state["cookies"] = [
            {**c, "value": key} if c["name"] == COOKIE else c for c in state["cookies"]
        ]
        second = _context(browser, agents[1], storage_state=state)
        page2 = second.new_page()
        _overview_2022(page2, BEFORE, overview)

        # A new load into the shared folder while both replicas run (the monthly load): the
        # shipped exports and one more, with three more help requests in 2022.
        raw = tmp_path / "raw"
        shutil.copytree(PROJECT / "data/raw", raw)
        (raw / "digipunten/2022-12-nalevering.csv").write_text(EXTRA_EXPORT, encoding="utf-8")
        report = run_load(raw, PROJECT / "data/reference", deployment.data, today=TODAY)
        assert not report.refused, report

        # Both replicas show the new figure on their next page (each run reads `current`).
        _overview_2022(page1, AFTER, overview)
        _overview_2022(page2, AFTER, overview)

        # A download on replica 2: its file lives in that replica's memory (/media/...),
        # fetched by a request of its own, which the routing key sends there too. The
        # replica writes the audit into the shared data folder.
        page2.locator("[data-testid='stPopover']").first.get_by_role("button").click()
        excel = page2.locator("[data-testid='stPopoverBody']").get_by_role(
            "button", name="Excel (XLSX)"
        )
        with page2.expect_download(timeout=TIMEOUT) as download:
            excel.click()
        name = download.value.suggested_filename
        # Served by another replica than the session's, the file is not there (404) and the
        # browser saves that answer under the URL's name instead.
        assert name.endswith("_2022_gent.xlsx"), f"{name}: not the session's replica's file"
        assert download.value.failure() is None
        audit = (deployment.data / "audit/downloads.csv").read_text(encoding="utf-8")
        assert f";{EMAIL};" in audit.splitlines()[-1], audit
    finally:
        first.close()
        if second is not None:
            second.close()

    # Every request of each browser (pages, scripts, websockets, the login and its callback,
    # the download) went to its one replica, and they were different replicas.
    for agent, replica, wanted in (
        (agents[0], replica1, ("/auth/login", "/oauth2callback", "/_stcore/stream")),
        (agents[1], replica2, ("/_stcore/stream", "/media/")),
    ):
        lines = nginx.wait_served(agent, "/_stcore/stream", count=2)
        assert {line["upstream"] for line in lines} == {replica}, lines
        paths = {_path(line) for line in lines}
        assert [w for w in wanted if not any(p.startswith(w) for p in paths)] == [], lines
        streams = [line for line in lines if _path(line) == "/_stcore/stream"]
        assert len(streams) >= 2 and {line["status"] for line in streams} == {"101"}, streams


def test_a_replica_without_its_login_behind_nginx_shows_no_figure(
    sample_data: Path, tmp_path: Path, browser: Browser
):
    """The unit started without its secrets file (a typo, wrong rights): it listens on
    127.0.0.1, so serve.py lets it start, but every request comes through nginx: the page
    refuses instead of giving every visitor the local user's every role."""
    empty = tmp_path / "secrets.toml"
    empty.write_text("", encoding="utf-8")
    port = _free_port()
    (tmp_path / "replica").mkdir()
    with (
        streamlit_server(
            sample_data,
            tmp_path / "replica",
            args=["--secrets.files", str(empty)],
            env={"EINCLUSIE_PUBLIEK": "", "EINCLUSIE_AANMELDING": ""},
            port=port,
        ),
        running_nginx(tmp_path / "nginx", (port, port)) as nginx,
    ):
        context = _context(browser, "zonder-aanmelding")
        page = context.new_page()
        page.goto(f"{nginx.base}/gegevens", timeout=60_000)
        expect(page.locator("h1").first).to_have_text("Aanmelding niet ingesteld", timeout=60_000)
        expect(page.locator("[data-testid='stMetric']")).to_have_count(0)
        expect(page.locator(".statische-tabel")).to_have_count(0)
        expect(page.locator("[data-testid='stSidebarNav'] a")).to_have_count(0)
        context.close()
