"""Who sees what: the users file as the programme writes it, and each role through AppTest.

The login itself (a real OpenID Connect provider, Chromium) is tests/test_login.py's; here
AppTest plays the logged-in person (`AppTest.user`, as Streamlit documents it) and its
secrets hold an [auth] section, which is what switches the login on.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from einclusie.access import Role, read_downloads, read_users, record_download
from tests.conftest import PROJECT, load, make_reference, put
from tests.test_pages import static_tables

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-secret-not-for-production",
    "client_id": "einclusie",
    "client_secret": "geheim",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
USERS = (
    "email;rol;wijken\n"
    "An.Peeters@Voorbeeld.gent;medewerker;Ledeberg|Rabot - Blaisantvest\n"
    "data@voorbeeld.gent;databeheerder;\n"
    "baas@voorbeeld.gent;beheerder;\n"
)


def users_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gebruikers.csv"
    path.write_text(text, encoding="utf-8")
    return path


# --- the users file ------------------------------------------------------------------------


def test_users_file_gives_each_valid_row_its_role_and_matches_emails_in_any_case(tmp_path):
    copied = USERS.replace("baas@", "baas\u2060@")  # copied from the Gebruikers page
    users = read_users(users_file(tmp_path, copied))
    assert users.problem is None and users.refused == ()
    assert users.find("baas@voorbeeld.gent").role is Role.BEHEERDER
    person = users.find("an.peeters@VOORBEELD.GENT ")
    assert person.role is Role.MEDEWERKER
    assert person.wijken == ("Ledeberg", "Rabot - Blaisantvest")
    assert users.find("data@voorbeeld.gent").role is Role.DATABEHEERDER
    assert users.find("onbekend@voorbeeld.gent") is None


def test_bad_rows_are_refused_with_a_dutch_reason_and_the_rest_still_counts(tmp_path):
    text = USERS + (
        "geen-adres;medewerker;\n"
        "x@voorbeeld.gent;directeur;\n"
        "y@voorbeeld.gent;medewerker;Atlantis\n"
        "DATA@voorbeeld.gent;beheerder;\n"
        "z@voorbeeld.gent;medewerker;;extra\n"
        "\n"
    )
    users = read_users(users_file(tmp_path, text))
    reasons = {row.row: row.reason for row in users.refused}
    assert set(reasons) == {3, 5, 6, 7, 8, 9}  # as a spreadsheet numbers them
    assert "geen e-mailadres" in reasons[5]
    assert "rol 'directeur' bestaat niet" in reasons[6]
    assert "onbekende wijk 'Atlantis'" in reasons[7]
    assert "staat er ook in rij 3" in reasons[8] and "twee keer" in reasons[3]
    assert "te veel velden" in reasons[9]
    # neither row of a duplicate stands: which role was meant is unclear
    assert users.find("data@voorbeeld.gent") is None
    assert len(users.by_email) == 2


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "ontbreekt"),
        (b"naam;functie\nx;y\n", "kopregel 'email;rol;wijken'"),
        ("email;rol;wijken\nx@v.gent;medewerker;\n".encode("utf-16"), "geen UTF-8"),
        (b"", "een leeg bestand"),
    ],
)
def test_a_whole_file_that_cannot_be_used_gives_nobody_access_and_says_why(
    tmp_path, content, problem
):
    path = tmp_path / "gebruikers.csv"
    if content is not None:
        path.write_bytes(content)
    users = read_users(path)
    assert problem in users.problem
    assert users.by_email == {}


def test_the_shipped_users_are_the_invented_examples_one_per_role():
    users = read_users(PROJECT / "data" / "reference" / "gebruikers.csv")
    assert users.problem is None and users.refused == ()
    assert all(email.endswith("@voorbeeld.gent") for email in users.by_email)
    assert sorted(u.role for u in users.by_email.values()) == list(Role)


def test_every_download_is_kept_with_who_what_and_when_newest_first(tmp_path):
    record_download("an@voorbeeld.gent", "Hulpvragen per maand, 2022 (CSV)", "a.csv", tmp_path)
    record_download("lokaal", "Jaarpakket\n2022", "b;c.zip", tmp_path)
    rows = read_downloads(tmp_path)
    assert [r["wie"] for r in rows] == ["lokaal", "an@voorbeeld.gent"]
    assert rows[0]["wat"] == "Jaarpakket 2022" and rows[0]["bestand"] == "b;c.zip"
    assert rows[1]["wanneer"][:4].isdigit()


# --- each role through AppTest ------------------------------------------------------------


@pytest.fixture
def env(sample_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EINCLUSIE_DATA", str(sample_data))
    monkeypatch.setenv("EINCLUSIE_GEBRUIKERS", str(users_file(tmp_path, USERS)))
    return tmp_path


def app_as(user: dict | None, page: str | None = None, login: bool = True) -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    if login:
        app.secrets["auth"] = AUTH
    if user is not None:
        app.user = user
    if page:
        app.switch_page(f"pages/{page}.py")
    return app.run()


def logged_in(email: str, **claims: object) -> dict:
    return {"is_logged_in": True, "email": email, "iat": time.time() - 60, **claims}


def shown(app: AppTest) -> str:
    """What the reader reads: Markdown escapes and the invisible link-breakers taken off."""
    parts = [
        e.value for kind in ("title", "markdown", "caption", "info") for e in getattr(app, kind)
    ]
    text = "\n".join(str(p) for p in parts).replace("\u2060", "")
    return re.sub(r"\\(.)", r"\1", text)


def test_before_login_the_page_has_the_name_and_a_login_button_and_no_figure(env):
    for page in (None, "hulpvragen", "gegevens"):
        app = app_as({"is_logged_in": False}, page)
        assert not app.exception
        assert [t.value for t in app.title] == ["e-inclusie Gent in cijfers"]
        assert [b.label for b in app.button] == ["Aanmelden"]
        assert len(app.metric) == 0 and len(static_tables(app)) == 0
        assert "Voorbeeldgegevens" not in shown(app)


def test_a_medewerker_gets_the_figures_and_their_default_wijken_but_not_the_data_pages(env):
    app = app_as(logged_in("an.peeters@voorbeeld.gent"))
    assert not app.exception
    assert app.sidebar.multiselect(key="w_wijken").value == ["Ledeberg", "Rabot - Blaisantvest"]
    assert len(app.metric) > 0
    assert "Aangemeld als an.peeters@voorbeeld.gent (medewerker)" in shown(app)
    assert "Afmelden" in [b.label for b in app.sidebar.button]
    for page in ("gegevens", "gebruikers"):
        refused = app_as(logged_in("an.peeters@voorbeeld.gent"), page)
        assert [t.value for t in refused.title] == ["Geen toegang tot deze pagina"]
        assert len(static_tables(refused)) == 0 and len(refused.dataframe) == 0


def test_a_databeheerder_opens_gegevens_and_a_beheerder_also_gebruikers(env):
    data = app_as(logged_in("data@voorbeeld.gent"), "gegevens")
    assert [t.value for t in data.title] == ["Gegevens"]
    assert "Geen toegang" in data_title(app_as(logged_in("data@voorbeeld.gent"), "gebruikers"))
    boss = app_as(logged_in("BAAS@voorbeeld.gent"), "gebruikers")
    assert [t.value for t in boss.title] == ["Gebruikers"]
    listed = static_tables(boss)[0].to_string()
    assert "an.peeters" in listed.lower() and "databeheerder" in listed


def data_title(app: AppTest) -> str:
    return " ".join(t.value for t in app.title)


def test_someone_not_in_the_users_file_sees_geen_toegang_and_whom_to_ask(env):
    app = app_as(logged_in("vreemde@elders.be"), "hulpvragen")
    assert [t.value for t in app.title] == ["Geen toegang"]
    text = shown(app)
    assert "vreemde@elders.be" in text and "Vraag toegang aan" in text
    assert len(app.metric) == 0 and [b.label for b in app.button] == ["Afmelden"]


def test_a_login_older_than_the_maximum_is_ended(env, monkeypatch):
    monkeypatch.setenv("EINCLUSIE_SESSIE_UREN", "1")
    app = app_as(logged_in("an.peeters@voorbeeld.gent", iat=time.time() - 2 * 3600))
    assert "Je sessie is verlopen" in shown(app)
    assert len(app.metric) == 0
    missing = app_as({"is_logged_in": True, "email": "an.peeters@voorbeeld.gent"})
    assert "Je sessie is verlopen" in shown(missing)  # no token age: never trusted


def test_without_login_configured_the_local_user_opens_every_page(env):
    for page, title in (("gegevens", "Gegevens"), ("gebruikers", "Gebruikers")):
        app = app_as(None, page, login=False)
        assert not app.exception
        assert [t.value for t in app.title] == [title]
        assert not any(b.label == "Afmelden" for b in app.sidebar.button)


def test_where_a_login_is_required_no_login_means_no_figure(env, monkeypatch):
    monkeypatch.setenv("EINCLUSIE_AANMELDING", "verplicht")
    for page in (None, "gegevens"):
        app = app_as(None, page, login=False)
        assert [t.value for t in app.title] == ["Aanmelding niet ingesteld"]
        assert len(app.metric) == 0 and len(static_tables(app)) == 0


# --- what a data steward is told on every page ----------------------------------------------


@pytest.fixture
def refused_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A load that refused two files (an empty export and a workbook), beside one that loaded."""
    raw, out = tmp_path / "raw", tmp_path / "parquet"
    put(
        raw,
        "digipunten/2022-01.csv",
        "id;datum;locatie;kanaal;vraagtype;leeftijdsgroep\nr1;03/01/2022;DP01;Digipunt;Andere;\n",
    )
    put(raw, "digipunten/2022-02.csv", b"")
    put(raw, "vorming/2022.csv", b"PK\x03\x04 een werkmap")
    load(raw, make_reference(tmp_path / "reference"), out)
    monkeypatch.setenv("EINCLUSIE_DATA", str(out))
    monkeypatch.setenv("EINCLUSIE_GEBRUIKERS", str(users_file(tmp_path, USERS)))
    return out


NOTICE = "De laatste lading weigerde 2 bestanden"


def refused_notice(app: AppTest) -> tuple[list[str], list[str]]:
    """The notice's text, and where its links go."""
    notices = [w.value for w in app.warning if NOTICE in w.value]
    return notices, [link.proto.page for link in app.get("page_link")]


def test_a_databeheerder_is_told_of_refused_files_on_every_page_and_a_medewerker_not(
    refused_env: Path, monkeypatch: pytest.MonkeyPatch
):
    for page in (None, "hulpvragen"):  # Overzicht, and another page
        steward = app_as(logged_in("data@voorbeeld.gent"), page)
        assert not steward.exception
        notices, links = refused_notice(steward)
        assert notices == [f"{NOTICE}: wat erin staat, telt niet mee."], page
        assert links == ["gegevens"]
        assert refused_notice(app_as(logged_in("baas@voorbeeld.gent"), page))[0]
        assert refused_notice(app_as(logged_in("an.peeters@voorbeeld.gent"), page)) == ([], [])
    assert refused_notice(app_as(None, login=False))[0]  # local mode: every role
    # The Gegevens page lists the files itself; the public view never hears of them.
    assert refused_notice(app_as(logged_in("data@voorbeeld.gent"), "gegevens")) == ([], [])
    monkeypatch.setenv("EINCLUSIE_PUBLIEK", "1")
    public = app_as(None, login=False)
    assert not public.exception and refused_notice(public) == ([], [])
