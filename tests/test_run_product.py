"""`bin/run` runs the product: the real `manage.py runstack` (as bin/run execs it) from an
empty data folder serves our own 404 page, never Django's debug page, and its static files
with DEBUG off; `--dev` is the only way to DEBUG. The 500 page is checked through the test
client with an URLconf whose view fails, since the product has no page that fails on purpose."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.test import Client, override_settings
from django.urls import path

from tracker.lib.run_modes import children_env, local_secret_key
from tracker.lib.stack import free_port

ROOT = Path(__file__).resolve().parents[1]
# What a laptop's shell has; nothing of the test run's own settings.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
START_TIMEOUT = 180


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """The stack as `bin/run --no-worker --no-beat` starts it (private Redis, migrate, reference
    data, collectstatic, gunicorn), on a free port; stopped with Ctrl-C's SIGINT afterwards."""
    data = tmp_path_factory.mktemp("data")
    port = free_port()
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    env["TRACKER_DATA_DIR"] = str(data)
    log = (data / "runstack.log").open("w")
    argv = [sys.executable, "manage.py", "runstack", "--port", str(port), "--no-worker", "--no-beat"]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, process_group=0)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"runstack exited with {proc.returncode}:\n{(data / 'runstack.log').read_text()[-3000:]}")
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass  # not listening yet, or gunicorn's workers still booting
            if time.monotonic() > deadline:
                pytest.fail(
                    f"runstack did not answer in {START_TIMEOUT} s:\n{(data / 'runstack.log').read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_a_missing_mission_gets_our_404_page_and_no_traceback(product):
    response = requests.get(f"{product}/missions/nope/", timeout=10)
    assert response.status_code == 404
    html = response.text
    assert "<h1>Page not found</h1>" in html
    assert 'href="/missions/"' in html and "ISS crew rotations" in html  # the site's header and links
    for debug_page in ("Using the URLconf", "Traceback", "DEBUG = True", "technical_404", "Django tried these URL"):
        assert debug_page not in html


def test_static_css_is_served_with_debug_off(product):
    page = requests.get(f"{product}/", timeout=10).text
    # DEBUG off: the stylesheet has its hashed, collected name, which only whitenoise serves.
    stylesheet = page.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/record/app.") and stylesheet != "/static/record/app.css"
    response = requests.get(f"{product}{stylesheet}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in response.headers.get("Cache-Control", "")  # hashed: cached for good
    assert "--bg:" in response.text


def test_the_500_pages_stylesheet_and_the_favicon_are_served_too(product):
    # 500.html names the plain file: whitenoise serves it beside the hashed copy.
    assert requests.get(f"{product}/static/record/app.css", timeout=10).status_code == 200
    icon = requests.get(f"{product}/favicon.ico", timeout=10)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")


def test_pages_and_the_index_pages_answer(product):
    for url in ("/", "/missions/", "/people/", "/vehicles/", "/missions/soyuz-ms-22/", "/api/"):
        assert requests.get(f"{product}{url}", timeout=10).status_code == 200, url


def test_an_unknown_host_is_refused_and_localhost_is_allowed(product):
    port = product.rsplit(":", 1)[1]
    assert requests.get(f"{product}/healthz", headers={"Host": f"localhost:{port}"}, timeout=10).status_code == 200
    assert requests.get(f"{product}/", headers={"Host": "evil.example"}, timeout=10).status_code == 400


# --- the modes, as plain functions ---------------------------------------------------------------


def test_the_product_mode_turns_debug_off_whatever_the_environment_says(tmp_path):
    env = children_env({"DEBUG": "true", "PATH": "/bin"}, data_dir=tmp_path, dev=False)
    assert env["DEBUG"] == "false"
    assert env["ALLOWED_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert env["SECURE_SSL_REDIRECT"] == "false" and env["SECURE_COOKIES"] == "false"
    assert len(env["SECRET_KEY"]) >= 50 and env["PATH"] == "/bin"


def test_dev_mode_is_debug_on(tmp_path):
    assert children_env({}, data_dir=tmp_path, dev=True)["DEBUG"] == "true"


def test_an_operators_own_settings_win_over_the_laptop_defaults(tmp_path):
    env = children_env({"ALLOWED_HOSTS": "tracker.lan", "SECRET_KEY": "s" * 60}, data_dir=tmp_path, dev=False)
    assert env["ALLOWED_HOSTS"] == "tracker.lan" and env["SECRET_KEY"] == "s" * 60
    assert not (tmp_path / "secret_key").exists()


def test_the_laptops_secret_key_is_made_once_and_kept_private(tmp_path):
    key = local_secret_key(tmp_path)
    assert local_secret_key(tmp_path) == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


# --- the 500 page --------------------------------------------------------------------------------


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_gets_our_self_contained_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert '<link rel="stylesheet" href="/static/record/app.css">' in html
    assert "Traceback" not in html and "a bug" not in html
    assert "{%" not in html and "{{" not in html
