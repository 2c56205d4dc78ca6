"""The mission form in Chromium, as an editor uses it: typing dates (with a blank time),
adding seat rows with "Add another Seat", picking people in the autocomplete, and reading
each refusal at the field or seat row at fault; the launch-year filters offer each year once."""

import os
import re
from pathlib import Path

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests import test_admin_browser  # noqa: E402
from tests.browser import log_in  # noqa: E402
from tests.test_admin_browser import choose_person  # noqa: E402
from tracker.lib.fuzzy_dates import Precision  # noqa: E402
from tracker.record.models import Leg, Mission, Seat  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The admin browser suite's watched tab and its login through the login page.
page = test_admin_browser.page
logged_in = test_admin_browser.logged_in


@pytest.fixture
def editor_tab(request):
    """A watched tab with an editor logged in through the admin's login form."""
    return request.getfixturevalue("logged_in")


SHOTS = Path("/work/wt/_shots/recordadmin")
PHONE = {"width": 390, "height": 844}


def field_error(tab, field: str) -> str:
    """The error list shown at a field of the mission form (a line of two fields puts each
    field's list just above its box)."""
    errors = tab.locator(f"div:has(> .fieldBox.field-{field}) > ul.errorlist, .form-row.field-{field} > ul.errorlist")
    return errors.inner_text()


def seat_error(tab, row: int, field: str = "person") -> str:
    return tab.locator(f"#seats-{row} td.field-{field} ul.errorlist").inner_text()


def save(tab):
    with tab.expect_navigation():
        tab.click("input[name=_save]")


def type_date(tab, event: str, day: str, time: str = ""):
    tab.locator(f"#id_{event}_at_0").fill(day)
    tab.locator(f"#id_{event}_at_1").fill(time)


def new_mission(tab, name: str):
    tab.goto("/admin/record/mission/add/")
    tab.locator("#id_name").press_sequentially(name)
    tab.select_option("#id_family", label="Soyuz MS")
    tab.select_option("#id_status", value="planned")


def test_editor_adds_a_mission_with_two_seats_and_a_date_without_a_time(editor_tab):
    tab = editor_tab
    new_mission(tab, "Soyuz MS-40")
    type_date(tab, "launch", "2027-03-14")  # the time of day is not known yet
    choose_person(tab, 0, "Wakata", "Koichi Wakata")  # no later flight in the record
    tab.select_option("#id_seats-0-leg", value=Leg.ASCENT)
    tab.locator("#seats-group .add-row a", has_text="Add another Seat").click()
    choose_person(tab, 1, "Prokopyev", "Sergey Prokopyev")
    tab.select_option("#id_seats-1-leg", value=Leg.ASCENT)
    save(tab)

    assert tab.url.endswith("/admin/record/mission/"), tab.locator(".errornote, .errorlist").all_inner_texts()
    assert "was added successfully" in tab.inner_text(".messagelist .success")
    created = Mission.objects.get(name="Soyuz MS-40")
    assert created.launch_precision == Precision.DAY and created.describe("launch") == "target 2027-03-14"
    assert sorted(created.seats.values_list("person__name", flat=True)) == ["Koichi Wakata", "Sergey Prokopyev"]
    # The list and the form show the day only: no made-up midnight.
    row = tab.locator("#result_list tr", has_text="Soyuz MS-40")
    assert row.locator("td.field-launch").inner_text() == "target 2027-03-14"  # a planned flight's launch
    row.locator("th a").click()
    assert tab.input_value("#id_launch_at_0") == "2027-03-14"
    assert tab.input_value("#id_launch_at_1") == ""


def test_year_9999_is_refused_at_the_launch_field(editor_tab):
    tab = editor_tab
    new_mission(tab, "Soyuz MS-41")
    type_date(tab, "launch", "9999-12-31")
    save(tab)
    assert tab.locator(".errornote").is_visible()
    assert field_error(tab, "launch_at") == (
        "9999-12-31 is outside the record's range: enter a date from 1957-10-04 (Sputnik 1) to 2100-12-31 (UTC)."
    )
    assert not Mission.objects.filter(name="Soyuz MS-41").exists()


def test_a_landing_before_the_launch_is_refused_at_the_landing_field(editor_tab):
    tab = editor_tab
    ms22 = Mission.objects.get(name="Soyuz MS-22")
    tab.goto(f"/admin/record/mission/{ms22.pk}/change/")
    type_date(tab, "landing", "2022-09-01")
    save(tab)
    assert field_error(tab, "landing_at") == "The landing (2022-09-01) cannot be before the launch (2022-09-21)."
    ms22.refresh_from_db()
    assert ms22.describe("landing") == "2023-03-28"


def test_a_second_descent_seat_is_refused_at_its_row_naming_the_other_flight(editor_tab):
    tab = editor_tab
    ms22 = Mission.objects.get(name="Soyuz MS-22")
    tab.goto(f"/admin/record/mission/{ms22.pk}/change/")
    row = ms22.seats.count()  # the empty row after the saved seats
    choose_person(tab, row, "Rubio", "Francisco Rubio")
    tab.select_option(f"#id_seats-{row}-leg", value=Leg.DESCENT)
    save(tab)
    message = seat_error(tab, row)
    assert message.startswith("Francisco Rubio already comes home on Soyuz MS-23 (2023-09-27)")
    assert "a second descent seat on Soyuz MS-22" in message
    assert not Seat.objects.filter(mission=ms22, person__name="Francisco Rubio", leg=Leg.DESCENT).exists()


def test_an_overlap_is_refused_at_the_seat_with_who_which_flights_and_days(editor_tab):
    tab = editor_tab
    new_mission(tab, "Soyuz MS-42")
    type_date(tab, "launch", "2022-11-01")
    choose_person(tab, 0, "Kikina", "Anna Kikina")
    tab.select_option("#id_seats-0-leg", value=Leg.ASCENT)
    save(tab)
    message = seat_error(tab, 0)
    assert message.startswith("Anna Kikina cannot be on two flights at once: SpaceX Crew-5 (2022-10-05 – 2023-03-12)")
    assert message.endswith("overlap from 2022-11-01 to 2023-03-12.")
    assert not Mission.objects.filter(name="Soyuz MS-42").exists()


def test_the_admin_launch_year_filter_lists_each_year_once_and_filters(editor_tab):
    tab = editor_tab
    tab.goto("/admin/record/mission/")
    years = tab.locator("#changelist-filter details[data-filter-title='launch year'] li a")
    texts = [text.strip() for text in years.all_inner_texts()]
    assert texts == ["All", "2026", "2025", "2024", "2023", "2022", "unknown"]
    years.filter(has_text="2024").click()
    tab.wait_for_url(re.compile(r"year=2024"))
    listed = [name.strip() for name in tab.locator("#result_list tbody th").all_inner_texts()]
    expected = Mission.objects.filter(launch_at__year=2024).values_list("name", flat=True)
    assert sorted(listed) == sorted(expected) and listed


def test_the_dashboard_launch_year_choices_list_each_year_once(editor_tab):
    tab = editor_tab
    tab.goto("/")
    options = [text.strip() for text in tab.locator("#id_year option").all_inner_texts()]
    assert options == ["Any year", "2026", "2025", "2024", "2023", "2022"]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, PHONE], ids=["1366", "390"])
def test_screenshot_of_the_mission_form_with_errors(browser, live_server, record, editor, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    try:
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        log_in(tab, editor)
        ms22 = Mission.objects.get(name="Soyuz MS-22")
        tab.goto(f"/admin/record/mission/{ms22.pk}/change/")
        type_date(tab, "launch", "9999-12-31")
        type_date(tab, "landing", "2022-09-01")
        row = ms22.seats.count()
        choose_person(tab, row, "Rubio", "Francisco Rubio")
        tab.select_option(f"#id_seats-{row}-leg", value=Leg.DESCENT)
        save(tab)
        assert "outside the record's range" in field_error(tab, "launch_at")
        assert "already comes home" in seat_error(tab, row)
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"mission-form-errors-{viewport['width']}.png"
        tab.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        # The parts with the errors, at a size a person can read.
        timeline = tab.locator("fieldset", has_text="Timeline")
        timeline.screenshot(path=str(SHOTS / f"mission-form-errors-{viewport['width']}-timeline.png"))
        tab.locator("#seats-group").screenshot(path=str(SHOTS / f"mission-form-errors-{viewport['width']}-seats.png"))
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the form is {width} px wide in a {viewport['width']} px window"
    finally:
        context.close()
