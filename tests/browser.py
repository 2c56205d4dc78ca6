"""What the browser suites share: Debian's Chromium under Playwright, and the record put
back for their transaction=True tests. Test modules import the fixtures they use."""

import importlib
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker.record.reference_data import load_reference_data

CHROMIUM = Path("/usr/bin/chromium")
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
    """transaction=True tests start from a flushed database (the session's reference record
    and migration 0002's editor group are gone once any such test has run): put both back."""
    executor = MigrationExecutor(connection)
    migration_apps = executor.loader.project_state(("record", "0002_editor_group")).apps
    importlib.import_module("tracker.record.migrations.0002_editor_group").create_editor_group(migration_apps, None)
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
