"""What the browser suites share: Debian's Chromium under Playwright, and the record put
back for their transaction=True tests. Test modules import the fixtures they use."""

import contextlib
import importlib
import os
import re
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import PERSONA_PASSWORD
from tracker.record.reference_data import load_reference_data

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DESKTOP = {"width": 1400, "height": 900}
# Headless, and nothing that reaches for the network this machine does not have.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI must install it (apt-get install -y chromium).", pytrace=False)
        pytest.skip(f"{message} Install it with: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def record():
    """transaction=True tests start from a flushed database (the session's reference record,
    record migration 0002's editor group, and news migration 0002's shipped sources and the
    editors' news rights are gone once any such test has run): put them all back, so a test
    sees what a migrated database has whichever test ran before it."""
    from django.apps import apps

    executor = MigrationExecutor(connection)
    migration_apps = executor.loader.project_state(("record", "0002_editor_group")).apps
    importlib.import_module("tracker.record.migrations.0002_editor_group").create_editor_group(migration_apps, None)
    importlib.import_module("tracker.news.migrations.0002_shipped_sources_and_editor_permissions").ship(apps, None)
    load_reference_data()
    yield
    wait_for_live_server_requests()


def wait_for_live_server_requests(timeout: float = 10.0) -> None:
    """Wait until the live server has finished every request it started. A closed browser
    tab abandons a poll, but the server thread goes on serving it; on SQLite's shared
    in-memory test database the flush that ends a transactional test then fails with
    "database table is locked"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        serving = [
            thread
            for thread in threading.enumerate()
            if getattr(getattr(thread, "_target", None), "__name__", "") == "process_request_thread"
        ]
        if not serving:
            return
        time.sleep(0.05)


@contextlib.contextmanager
def watched_tabs(browser, base_url: str):
    """Opens fresh browser tabs on `base_url`; any JavaScript error, console error (a
    Content-Security-Policy violation logs one), dialog (a script that ran), failed request
    or HTTP error fails the test that caused it."""
    contexts = []
    problems: list[str] = []

    def open_(*, viewport=DESKTOP, javascript=True, theme=None, **context_options):
        # context_options: e.g. has_touch=True, is_mobile=True for a phone.
        context = browser.new_context(
            base_url=base_url, viewport=viewport, java_script_enabled=javascript, **context_options
        )
        if theme:
            context.add_cookies([{"name": "theme", "value": theme, "url": base_url}])
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        tab.on(
            "console",
            lambda msg: (
                msg.type == "error" and problems.append(f"console error: {msg.text} ({msg.location.get('url')})")
            ),
        )
        tab.on(
            "requestfailed",
            # A navigation cancels a poll or a typed-ahead search still in flight; that is
            # not a failure of the page.
            lambda request: (
                request.failure != "net::ERR_ABORTED"
                and problems.append(f"request failed: {request.url} {request.failure}")
            ),
        )
        tab.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

        def on_dialog(dialog):
            problems.append(f"a script ran: {dialog.type} dialog {dialog.message!r}")
            dialog.dismiss()

        tab.on("dialog", on_dialog)
        return tab

    yield open_
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The page reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def open_page(browser, live_server, record):
    """Opens tabs on the live server with the shipped record (see watched_tabs); a module whose
    pages need more data overrides this fixture, asking for its own data fixture instead."""
    with watched_tabs(browser, live_server.url) as open_:
        yield open_


def log_in(tab, editor) -> None:
    """Logs `editor` in through the admin's login page, as a person does, in `tab`."""
    tab.goto("/admin/login/?next=/admin/")
    tab.fill("#id_username", editor.username)
    tab.fill("#id_password", PERSONA_PASSWORD)
    tab.click("#login-form input[type=submit]")
    tab.wait_for_url(re.compile(r"/admin/$"))


def screenshot(tab, name: str, *, full_page=True) -> Path:
    """Saves a screenshot under test-artifacts/ (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path
