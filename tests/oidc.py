"""A real OpenID Connect provider on loopback, and the helpers a login test needs around it.

The provider is oidc-provider-mock (PyPI): a Flask app on Authlib that signs real RS256 ID
tokens, publishes its metadata at /.well-known/openid-configuration (with an
end_session_endpoint, without PKCE, so Streamlit sends none) and accepts any client_id,
client_secret and redirect URI. Its authorize page is a form with one field, the user's `sub`:
a `sub` it has not seen becomes a user whose ID token carries `email = sub` (and `iat`, as
every ID token). Other claims can be set beforehand with `Provider.set_user`. Its
end-session page asks for a click ("End session") and then returns to Streamlit's
/oauth2callback, which sends the browser on to the dashboard's front page. Streamlit's own
`prompt=select_account` is ignored: the form shows on every login.

The API (everything offline; the provider's pages load one stylesheet from a CDN, which the
browser helpers answer with an empty one):

    with running_provider() as provider:      # 127.0.0.1, a free port, stopped after the block
        provider.url                           # "http://127.0.0.1:<port>"
        provider.metadata_url                  # .../.well-known/openid-configuration
        provider.end_session_url               # where st.logout passes through
        provider.set_user(sub, {"email": ...}) # optional: claims other than email = sub

    provider = provider_fixture()              # in a test module: the same as a pytest
                                               # fixture named `provider` (scope="module")
    pytestmark = QUIET_PROVIDER                # silences Authlib's deprecation warnings that
                                               # the provider's token endpoint raises

    write_secrets(folder, base_url_or_port, provider) -> Path
        # folder/secrets.toml with Streamlit's single-provider [auth] section; pass the
        # dashboard's public base URL ("https://host:8443") or its loopback port (8501);
        # redirect_uri is <base>/oauth2callback. Start Streamlit with `--secrets.files <path>`.
    write_users(path, users=USERS, *, extra_lines=()) -> Path
        # the users file (EINCLUSIE_GEBRUIKERS): `email;rol;wijken`, one user per role.
    USERS: dict role -> email ("medewerker@gent.be", ...); OUTSIDER: an email not in the file.

    login_server(data_dir, logs, provider, users, *, env=None, args=()) -> context manager
        # tests/test_browser.py's streamlit_server with login on: picks the port, writes the
        # secrets into `logs`, sets EINCLUSIE_GEBRUIKERS; yields the base URL.

    log_in(page, base_url, email)   # Playwright: "Aanmelden", the provider's form, back until
                                    # the dashboard shows "Afmelden"
    log_out(page) -> str | None     # "Afmelden", then finish_logout(page)
    finish_logout(page) -> str | None
        # after st.logout: confirms the provider's end-session page (returns its URL, or None
        # when the logout did not pass the provider) and waits for "Aanmelden"
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import werkzeug.serving
from playwright.sync_api import BrowserContext, Page, Route

TIMEOUT = 30_000  # ms, for every wait in the browser

USERS = {
    "medewerker": "medewerker@gent.be",
    "databeheerder": "databeheerder@gent.be",
    "beheerder": "beheerder@gent.be",
}
OUTSIDER = "buitenstaander@example.org"  # in no users file

CLIENT_ID = "einclusie-dashboard"
CLIENT_SECRET = "einclusie-test-secret"  # the provider accepts any secret

_CDN = "https://cdn.jsdelivr.net/**"  # the provider's stylesheet (Pico CSS)

# oidc-provider-mock 0.3.4 still implements Authlib's old get_jwt_config hook; every token
# it issues warns about it. Not ours to fix: a module's `pytestmark = QUIET_PROVIDER`.
QUIET_PROVIDER = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


# --- the provider ------------------------------------------------------------------------


class _QuietHandler(werkzeug.serving.WSGIRequestHandler):
    """No access log line per request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass(frozen=True)
class Provider:
    url: str  # "http://127.0.0.1:<port>", no trailing slash

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.url).port or 80)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @property
    def end_session_url(self) -> str:
        return f"{self.url}/oauth2/end_session"

    def metadata(self) -> dict:
        with urllib.request.urlopen(self.metadata_url, timeout=10) as response:
            return json.load(response)

    def set_user(self, sub: str, claims: Mapping[str, object]) -> None:
        """The claims (besides `sub`) of the ID token for `sub`, e.g. {"email": ...}."""
        request = urllib.request.Request(
            f"{self.url}/users/{urllib.parse.quote(sub, safe='')}",
            data=json.dumps(dict(claims)).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10):
            pass


@contextlib.contextmanager
def running_provider(host: str = "127.0.0.1", port: int = 0) -> Iterator[Provider]:
    """oidc-provider-mock on `host` and a free port (or `port`), until the block ends."""
    import oidc_provider_mock

    server = werkzeug.serving.make_server(
        host, port, oidc_provider_mock.app(), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield Provider(f"http://{host}:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def provider_fixture(scope: str = "module"):
    """A pytest fixture running one provider per `scope`; assign it to a module-level name
    (`provider = provider_fixture()`), which is then the fixture's name."""

    @pytest.fixture(scope=scope)
    def fixture() -> Iterator[Provider]:
        with running_provider() as running:
            yield running

    return fixture


# --- the files ---------------------------------------------------------------------------


def write_secrets(folder: Path, base_url: str | int, provider: Provider) -> Path:
    """folder/secrets.toml: Streamlit's single-provider [auth] for the dashboard at
    `base_url` (or at http://127.0.0.1:<port> when given a port)."""
    base = f"http://127.0.0.1:{base_url}" if isinstance(base_url, int) else base_url
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{base.rstrip("/")}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def write_users(
    path: Path, users: Mapping[str, str] = USERS, *, extra_lines: Sequence[str] = ()
) -> Path:
    """The users file: a header, one `email;rol;` line per role -> email in `users`, then
    `extra_lines` as they are (e.g. a row the dashboard must refuse)."""
    lines = ["email;rol;wijken", *(f"{email};{role};" for role, email in users.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def login_server(
    data_dir: Path,
    logs: Path,
    provider: Provider,
    users: Path,
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """`streamlit run serve.py` over `data_dir` with login on (secrets in `logs`) and the
    users file `users`; yields its base URL."""
    from tests.test_browser import _free_port, streamlit_server

    port = _free_port()
    secrets_file = write_secrets(logs, port, provider)
    with streamlit_server(
        data_dir,
        logs,
        args=["--secrets.files", str(secrets_file), *args],
        env={"EINCLUSIE_GEBRUIKERS": str(users), **(env or {})},
        port=port,
    ) as base:
        yield base


# --- the browser -------------------------------------------------------------------------


def _offline(context: BrowserContext) -> None:
    """Answer the provider's CDN stylesheet with an empty one (once per context)."""
    if getattr(context, "_einclusie_offline", False):
        return

    def empty(route: Route) -> None:
        route.fulfill(status=200, content_type="text/css", body="")

    context.route(_CDN, empty)
    context._einclusie_offline = True


def log_in(page: Page, base_url: str, email: str, *, timeout: float = TIMEOUT) -> None:
    """Log in on the dashboard at `base_url` as `email`: click "Aanmelden" (opening the
    dashboard first unless the page shows it already), type `email` as the provider's
    `sub`, authorize, and wait until the dashboard shows "Afmelden" (as it does for a user
    in the file and for one who is not)."""
    _offline(page.context)
    base = base_url.rstrip("/")
    if not page.url.startswith(base):
        page.goto(f"{base}/", timeout=timeout)
    page.get_by_role("button", name="Aanmelden").first.click(timeout=timeout)
    page.locator("input[name='sub']").fill(email, timeout=timeout)  # the provider's form
    page.get_by_role("button", name="Authorize", exact=True).click(timeout=timeout)
    page.get_by_role("button", name="Afmelden").first.wait_for(timeout=timeout)


def log_out(page: Page, *, timeout: float = TIMEOUT) -> str | None:
    """Click "Afmelden" and follow the logout to the end (see finish_logout)."""
    _offline(page.context)
    page.get_by_role("button", name="Afmelden").first.click(timeout=timeout)
    return finish_logout(page, timeout=timeout)


def finish_logout(page: Page, *, timeout: float = TIMEOUT) -> str | None:
    """After st.logout has sent the browser away: confirm the provider's end-session page
    ("End session") if it comes, then wait for the dashboard's "Aanmelden". Returns the
    end-session URL the browser passed (with its id_token_hint), or None if it passed none."""
    _offline(page.context)
    end_session = page.get_by_role("button", name="End session", exact=True)
    log_in_button = page.get_by_role("button", name="Aanmelden")
    end_session.or_(log_in_button).first.wait_for(timeout=timeout)
    passed = None
    if end_session.is_visible():
        passed = page.url
        end_session.click(timeout=timeout)
    log_in_button.first.wait_for(timeout=timeout)
    return passed
