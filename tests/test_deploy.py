"""Production settings: `check --deploy` is clean, the secret comes from the environment, and
a real response carries the security headers; no template needs 'unsafe-inline'.

The settings are read in a fresh interpreter with a production environment (DEBUG off, a
random 50+ character SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL), as a server
would start: tests/settings.py, which the rest of the suite runs on, is not involved.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOST = "tracker.example.org"
# What a server's environment has besides the settings: nothing of the test run's own
# (pytest's DJANGO_SETTINGS_MODULE, a browser test's DJANGO_ALLOW_ASYNC_UNSAFE, ...).
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def production_env(tmp_path: Path, **overrides: str | None) -> dict:
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # 67 characters
        ALLOWED_HOSTS=HOST,
        # Not connected to by `check`; the header test below uses SQLite instead.
        DATABASE_URL="postgres://tracker@127.0.0.1:5432/tracker",
        REDIS_URL="redis://127.0.0.1:6379/10",
        TRACKER_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


# --- check --deploy -----------------------------------------------------------------------------


def test_check_deploy_finds_nothing_with_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr and "?:" not in result.stderr


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"SECRET_KEY": "too-short-and-too-simple"}, "security.W009"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"DEBUG": "true"}, "security.W018"),
    ],
    ids=["weak-secret", "no-hsts", "no-https-redirect", "debug"],
)
def test_check_deploy_does_fail_on_a_weakened_setting(tmp_path, overrides, warning):
    """The clean run above means something: each of these makes the same command fail."""
    result = check_deploy(production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


# --- the settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_without_a_secret_key_production_settings_refuse_to_load(tmp_path, secret):
    result = run([sys.executable, "manage.py", "check"], production_env(tmp_path, SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


SHOW_SETTINGS = """
import django, json
django.setup()
from django.conf import settings
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def test_production_settings_values(tmp_path):
    result = run([sys.executable, "-c", SHOW_SETTINGS], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        # X-Forwarded-Proto is believed only when an operator says a proxy is the one way in.
        "SECURE_PROXY_SSL_HEADER": None,
        "ALLOWED_HOSTS": [HOST],
    }


def test_behind_a_tls_proxy_the_forwarded_scheme_is_believed(tmp_path):
    result = run([sys.executable, "-c", SHOW_SETTINGS], production_env(tmp_path, BEHIND_TLS_PROXY="true"))
    assert json.loads(result.stdout.strip().splitlines()[-1])["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


# --- headers on real responses -----------------------------------------------------------------

# Production settings, except that static files are not collected for this test: with the
# manifest storage, rendering {% static %} needs `collectstatic` first (bench/load.py does
# that); the headers do not depend on it.
SETTINGS_MODULE = "from tracker.settings import *  # noqa: F403\n\nSTORAGES['staticfiles'] = {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"

FETCH = textwrap.dedent(
    f"""
    import json
    import django
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    editor = User.objects.create_user("edna", password="correct horse battery")
    editor.groups.add(Group.objects.get(name="editor"))

    def described(response):
        return {{
            "status": response.status_code,
            "location": response.get("Location"),
            "headers": dict(response.headers),
            "cookies": {{
                name: {{"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}}
                for name, c in response.cookies.items()
            }},
        }}

    client = Client(enforce_csrf_checks=True, HTTP_HOST="{HOST}")
    out = {{"plain_http": described(client.get("/agreement/"))}}
    for path in ["/", "/healthz", "/timeline.svg"]:
        out[path] = described(client.get(path, secure=True))
    login_page = client.get("/admin/login/", secure=True)
    out["login_page"] = described(login_page)
    token = login_page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    out["login"] = described(
        client.post(
            "/admin/login/",
            {{"username": "edna", "password": "correct horse battery", "csrfmiddlewaretoken": token}},
            secure=True,
            HTTP_REFERER="https://{HOST}/admin/login/",
        )
    )
    out["admin"] = described(client.get("/admin/record/mission/", secure=True))
    print("RESULT " + json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("deploy")
    (tmp_path / "deploy_settings.py").write_text(SETTINGS_MODULE)
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="deploy_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        REDIS_URL=None,  # the file cache: this test needs no server
    )
    result = run([sys.executable, "-c", FETCH], env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


def test_plain_http_is_redirected_to_https(responses):
    assert responses["plain_http"]["status"] == 301
    assert responses["plain_http"]["location"] == f"https://{HOST}/agreement/"


@pytest.mark.parametrize("page", ["/", "/healthz", "/timeline.svg", "login_page", "admin"])
def test_every_response_carries_the_security_headers(responses, page):
    response = responses[page]
    assert response["status"] == 200, response
    headers = response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def csp(response) -> dict[str, list[str]]:
    header = response["headers"]["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("page", ["/", "/healthz", "/timeline.svg", "login_page", "admin"])
def test_the_content_security_policy_allows_nothing_inline(responses, page):
    policy = csp(responses[page])
    header = responses[page]["headers"]["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "unsafe-hashes" not in header
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_cookies_are_secure_and_the_session_cookie_is_out_of_scripts_reach(responses):
    assert responses["login"]["status"] == 302, responses["login"]
    session = responses["login"]["cookies"]["sessionid"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    csrf = responses["login_page"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"


# --- templates: nothing a strict CSP would block ------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "tracker").glob("**/templates"))]
TEMPLATE_SUFFIXES = {".html", ".svg", ".xml", ".txt"}


def template_files() -> list[Path]:
    return sorted(
        path
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
    )


def csp_violations(text: str) -> list[str]:
    """What in a template needs 'unsafe-inline' (or would be dead under our policy).

    Decided: no <script> with a body at all, not even type="application/json" data blocks
    (which a CSP would allow): data goes in data-* attributes, so one rule covers every script
    element and a later "just a small inline script" has nowhere to hide.
    """
    # Comments are never rendered (Django's) or never run (HTML's): they may mention <style>.
    text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}|<!--.*?-->", "", text, flags=re.S)
    found = []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script\s*>", text, re.I | re.S):
        attributes, body = match.groups()
        if body.strip():
            found.append(f"<script> with a body: {match.group(0)[:80]!r}")
        elif not re.search(r"\bsrc\s*=", attributes, re.I):
            found.append(f"<script> without src: {match.group(0)[:80]!r}")
    found += [f"<style> element: {m.group(0)!r}" for m in re.finditer(r"<style\b[^>]*>", text, re.I)]
    found += [f"style attribute: {m.group(0)!r}" for m in re.finditer(r"""\sstyle\s*=\s*["'{]""", text, re.I)]
    found += [f"event handler attribute: {m.group(0)!r}" for m in re.finditer(r"""\son[a-z]+\s*=\s*["']""", text, re.I)]
    found += [f"javascript: URL: {m.group(0)!r}" for m in re.finditer(r"""=\s*["']\s*javascript:""", text, re.I)]
    return found


def test_the_scan_covers_every_template_folder_django_loads_from_in_this_repository():
    from django.conf import settings
    from django.template.loaders.app_directories import get_app_template_dirs

    ours = {Path(folder) for folder in [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]}
    # (The virtualenv lives in the repository too: its packages' templates are not ours.)
    assert {folder for folder in ours if ROOT in folder.parents and ".venv" not in folder.parts} <= set(TEMPLATE_DIRS)
    scanned = {str(path.relative_to(ROOT)) for path in template_files()}
    assert {"templates/base.html", "templates/axes/lockout.html", "templates/record/dashboard.html"} <= scanned


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="application/json">{"a": 1}</script>',
        "<script></script>",
        '<p style="color: red">',
        "<style>p { color: red }</style>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<rect style="fill: red"/>',
    ],
)
def test_the_scan_finds_what_the_policy_would_block(snippet):
    assert csp_violations(snippet)


def test_the_scan_lets_through_what_the_policy_allows():
    assert not csp_violations(
        '<script src="/static/record/app.js" defer></script>\n<p class="note" data-style="x">onion=1 styled</p>'
        "{# no inline <style> here #}<!-- nor <script>alert(1)</script> -->"
    )


@pytest.mark.parametrize("path", template_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_needs_unsafe_inline(path):
    assert csp_violations(path.read_text()) == []
