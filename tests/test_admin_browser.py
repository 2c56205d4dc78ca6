"""The editors' admin in a real browser: Debian's Chromium driven by Playwright against
pytest-django's live server, so the admin's JavaScript (select2 autocompletes, the inline
formset's rows, prepopulated slugs) is part of what is tested."""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.browser import log_in  # noqa: E402
from tracker.record.models import Leg, Mission, Seat  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path("/tmp/admin-missions.png")


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; any JavaScript error, console error, dialog
    or failed request fails the test that caused it."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.location.get("url", "").endswith("/favicon.ico")  # the admin has none; harmless
            and problems.append(f"console error: {msg.text} ({msg.location.get('url')})")
        ),
    )
    tab.on(
        "requestfailed",
        # select2 aborts its previous search request whenever the editor types on.
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and problems.append(f"request failed: {request.url} {request.failure}")
        ),
    )
    tab.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )

    def on_dialog(dialog):
        problems.append(f"unexpected {dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    context.close()
    if problems:
        pytest.fail("The page reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def logged_in(record, editor, page):
    """An editor (not flagged staff) logged in through the admin's own login form."""
    page.goto("/admin/")
    assert "/admin/login/" in page.url
    log_in(page, editor)
    assert editor.username in page.inner_text("#user-tools").lower()
    return page


def choose_person(page, row: int, search: str, result: str):
    """Pick a person in seat row `row` through its select2 autocomplete."""
    page.click(f"#seats-{row} .select2-selection")
    box = page.locator(".select2-container--open .select2-search__field")
    box.fill(search)
    page.locator(".select2-results__option", has_text=result).click()
    assert page.locator(f"#select2-id_seats-{row}-person-container").inner_text().strip().endswith(result)


def test_editor_adds_a_mission_with_a_seat_through_the_form(logged_in, editor):
    page = logged_in
    page.goto("/admin/record/mission/add/")
    page.locator("#id_name").press_sequentially("Soyuz MS-30")
    # The slug is prepopulated from the name as the editor types.
    assert page.input_value("#id_slug") == "soyuz-ms-30"
    page.fill("#id_slug", "soyuz-ms-30-test")
    page.select_option("#id_family", label="Soyuz MS")
    page.select_option("#id_status", value="planned")
    choose_person(page, 0, "Kikina", "Anna Kikina")
    page.select_option("#id_seats-0-leg", value=Leg.ASCENT)
    page.click("input[name=_save]")

    page.wait_for_url(re.compile(r"/admin/record/mission/$"))
    assert "Soyuz MS-30" in page.inner_text(".messagelist .success")
    assert "was added successfully" in page.inner_text(".messagelist .success")
    created = Mission.objects.get(name="Soyuz MS-30")
    assert created.slug == "soyuz-ms-30-test" and created.family.name == "Soyuz MS"
    assert list(created.seats.values_list("person__name", "leg")) == [("Anna Kikina", Leg.ASCENT)]
    assert created.history.get().history_user == editor


def test_overbooked_save_shows_the_error_list_and_saves_nothing(logged_in):
    page = logged_in
    ms22 = Mission.objects.get(name="Soyuz MS-22")
    seats_before = list(Seat.objects.filter(mission=ms22).values_list("pk", flat=True))
    assert ms22.seats.filter(leg=Leg.ASCENT).count() == 3
    page.goto(f"/admin/record/mission/{ms22.pk}/change/")
    extra_row = len(seats_before)
    choose_person(page, extra_row, "Кикина", "Anna Kikina")
    page.select_option(f"#id_seats-{extra_row}-leg", value=Leg.ASCENT)
    with page.expect_navigation():
        page.click("input[name=_save]")

    assert page.url.endswith(f"/admin/record/mission/{ms22.pk}/change/")
    assert page.locator(".errornote").is_visible()
    errors = page.locator("#seats-group ul.errorlist").all_inner_texts()
    assert any("3 seats" in text and "ascent" in text for text in errors), errors
    assert list(Seat.objects.filter(mission=ms22).values_list("pk", flat=True)) == seats_before


def test_mission_changelist_lists_the_record(logged_in):
    page = logged_in
    page.goto("/admin/record/mission/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == Mission.objects.count() == 18
    assert rows.first.locator("th").inner_text() == "Soyuz MS-22"
    assert "18 missions" in page.inner_text("#changelist-form .paginator")
    assert page.locator("#changelist-filter").is_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
