"""The dashboard, mission and person pages in Russian say real Russian: names in Cyrillic,
dates with Russian months, plurals in three forms, targets said as targets; and the same
pages in English are what they were."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import translation

from tests.factories import make_cross_flights, planned_mission
from tests.pages import page_html, render_mission_tag, visible_text
from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Certainty, Mission, MissionStatus

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=UTC)  # every target of the shipped record passed
BEFORE = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)  # before any of them


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A Russian request leaves Russian active in the thread (LocaleMiddleware does not put it
    back): tests after these ones render in the default language again."""
    yield
    translation.deactivate()


# --- the mission page --------------------------------------------------------------------


def test_the_mission_page_in_russian_names_the_soyuz_and_its_crew_in_cyrillic_with_russian_dates(client):
    html = page_html(client, "/missions/soyuz-ms-22/", language="ru")
    assert "<h1>Союз МС-22</h1>" in html
    assert "<title>Союз МС-22 · " in html
    assert ">Фрэнк Рубио</a>" in html
    assert '<time datetime="2022-09-21">21 сентября 2022</time>' in html
    assert "<h3>На орбиту (старт)</h3>" in html and "<h3>На Землю (спуск)</h3>" in html
    assert 'возвращение на <a href="/missions/soyuz-ms-23/">Союз МС-23</a>' in html
    assert '<span class="event-name">Запуск</span>' in html and '<span class="event-name">Посадка</span>' in html
    assert "бортинженер" in html and "командир" in html
    # The Soyuz's uncrewed return: 188 days, in the genitive plural.
    assert "<dt>Время в полёте</dt><dd>188 дней</dd>" in html


def test_the_mission_page_in_english_is_unchanged(client):
    html = page_html(client, "/missions/soyuz-ms-22/", language="en")
    assert '<html lang="en"' in html
    assert "<h1>Soyuz MS-22</h1>" in html
    assert '<time datetime="2022-09-21">2022-09-21</time>' in html
    assert "Up (ascent)" in html and "Down (descent)" in html
    assert 'home on <a href="/missions/soyuz-ms-23/">Soyuz MS-23</a>' in html
    assert "<dt>Time in flight</dt><dd>188 days</dd>" in html
    assert ">Francisco Rubio</a>" in html and "Союз МС" not in html and "Фрэнк" not in html


def test_a_name_the_russian_press_keeps_in_latin_is_marked_english_on_a_russian_page(client):
    html = page_html(client, "/missions/spacex-crew-5/", language="ru")
    assert '<h1><span lang="en">SpaceX Crew-5</span></h1>' in html
    assert '<span lang="en">Crew Dragon</span>' in html or 'lang="en">Crew Dragon</a>' in html
    english = page_html(client, "/missions/spacex-crew-5/", language="en")
    assert "<h1>SpaceX Crew-5</h1>" in english


# --- plurals -------------------------------------------------------------------------------


def test_flight_durations_on_the_dashboard_take_the_three_russian_plural_forms(client):
    missions = make_cross_flights(6)
    for mission, days in zip(missions, (1, 2, 5, 11, 21, 22), strict=True):
        Mission.objects.filter(pk=mission.pk).update(landing_at=mission.launch_at + dt.timedelta(days=days))
    html = page_html(client, "/", language="ru")
    for days in ("1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня"):
        assert f"<td>{days}</td>" in html, days
    english = page_html(client, "/", language="en")
    for days in ("1 day", "2 days", "5 days", "11 days", "21 days", "22 days"):
        assert f"<td>{days}</td>" in english, days


@time_machine.travel(TODAY, tick=False)
def test_a_stay_still_going_counts_its_days_so_far_in_russian_on_the_person_page(client):
    html = page_html(client, "/people/andrey-fedyaev/", language="ru")
    assert re.search(r'class="num">уже \d+ (день|дня|дней)</td>', html)
    assert "<dt>Дней в космосе</dt>" in html


def test_the_countdown_says_days_in_three_forms():
    launch = dt.datetime(2026, 7, 14, tzinfo=UTC)
    mission = Mission(
        name="Soyuz MS-29", status=MissionStatus.PLANNED, launch_at=launch, launch_precision=Precision.DAY
    )
    mission.settle_certainty()
    said = {
        days: visible_text(
            render_mission_tag("{% launch_countdown mission %}", mission, launch - dt.timedelta(days=days), "ru")
        )
        for days in (1, 2, 5, 0)
    }
    assert said == {1: "через 1 день", 2: "через 2 дня", 5: "через 5 дней", 0: "сегодня"}


# --- targets -------------------------------------------------------------------------------

MS29_TARGET = {"launch_at": dt.datetime(2026, 7, 14, tzinfo=UTC), "launch_precision": Precision.DAY}
CREW13_NET = {
    "launch_at": dt.datetime(2026, 9, 1, tzinfo=UTC),
    "launch_precision": Precision.MONTH,
    "launch_certainty": Certainty.NO_EARLIER_THAN,
}


def test_a_target_reads_as_a_target_in_russian():
    mission = planned_mission(**MS29_TARGET, launch_certainty=Certainty.TARGET)
    html = render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE, "ru")
    assert (
        '<span class="target-label">Цель</span> <time class="target" datetime="2026-07-14">14 июля 2026</time>' in html
    )
    with translation.override("ru"):
        assert mission.describe("launch", BEFORE) == "цель 14 июля 2026"
    with translation.override("en"):
        assert mission.describe("launch", BEFORE) == "target 2026-07-14"


def test_a_no_earlier_than_month_reads_ne_ranee_with_the_month_in_the_genitive():
    mission = planned_mission(**CREW13_NET)
    assert (
        visible_text(render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE, "ru"))
        == "не ранее сентября 2026"
    )
    assert (
        visible_text(render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE, "en"))
        == "NET September 2026"
    )
    assert (
        visible_text(render_mission_tag("{% launch_countdown mission %}", mission, BEFORE, "ru"))
        == "не ранее сентября 2026"
    )
    with translation.override("ru"):
        assert mission.describe("launch", BEFORE) == "не ранее сентября 2026"
        assert mission.describe("launch", TODAY) == "не ранее сентября 2026, срок прошёл"


def test_a_target_month_counts_down_in_the_prepositional_and_a_quarter_says_net_once():
    mission = planned_mission(**{**CREW13_NET, "launch_certainty": Certainty.TARGET})
    assert (
        visible_text(render_mission_tag("{% launch_countdown mission %}", mission, BEFORE, "ru")) == "в сентябре 2026"
    )
    assert (
        visible_text(render_mission_tag("{% launch_countdown mission %}", mission, BEFORE, "en")) == "in September 2026"
    )
    quarter = planned_mission(
        launch_at=dt.datetime(2027, 7, 1, tzinfo=UTC),
        launch_precision=Precision.QUARTER,
        launch_certainty=Certainty.NO_EARLIER_THAN,
    )
    assert (
        visible_text(render_mission_tag('{% event_time mission "launch" %}', quarter, BEFORE, "ru"))
        == "не ранее 3-го квартала 2027"
    )
    assert (
        visible_text(render_mission_tag("{% launch_countdown mission %}", quarter, BEFORE, "ru"))
        == "не ранее 3-го квартала 2027"
    )


@time_machine.travel(TODAY, tick=False)
def test_today_the_russian_dashboard_says_which_targets_passed_in_russian(client):
    html = page_html(client, "/", language="ru")
    seen = visible_text(html)
    assert "не ранее сентября 2026 срок прошёл" in seen  # SpaceX Crew-13's launch, badge after it
    assert "Цель 14 июля 2026 срок прошёл" in seen  # Soyuz MS-29's
    assert "запуск просрочен" in html
    english = visible_text(page_html(client, "/", language="en"))
    assert "NET September 2026 overdue" in english and "Target 2026-07-14 overdue" in english


@time_machine.travel(TODAY, tick=False)
def test_today_the_russian_mission_page_says_the_passed_target_in_a_sentence(client):
    html = page_html(client, "/missions/soyuz-ms-29/", language="ru")
    assert "Запуск: цель 14 июля 2026 — срок прошёл, подтверждения нет" in visible_text(html)
    assert "Союз МС-29" in html


# --- what app.js writes --------------------------------------------------------------------


def test_the_words_app_js_writes_come_from_the_page_in_its_language():
    launch = dt.datetime(2026, 7, 14, 9, 30, tzinfo=UTC)
    mission = planned_mission(launch_at=launch, launch_precision=Precision.EXACT, launch_certainty=Certainty.TARGET)
    html = render_mission_tag("{% launch_countdown mission %}", mission, launch - dt.timedelta(days=3, hours=2), "ru")
    assert (
        'data-day-unit="д"' in html and 'data-passed-text="Плановое время прошло, запуск пока не подтверждён"' in html
    )
    assert ">через 3 дня 2 ч<" in html
    time_tag = render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE, "ru")
    assert 'data-label="ваше время"' in time_tag and "14 июля 2026, 09:30 UTC" in time_tag
    english = render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE, "en")
    assert 'data-label="your time"' in english and "2026-07-14 09:30 UTC" in english


# --- the error pages -------------------------------------------------------------------------


def test_the_error_pages_speak_the_readers_language(client):
    from django.template import loader

    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert "<h1>Страница не найдена</h1>" in response.content.decode()
    with translation.override("ru"):
        html = loader.get_template("500.html").render()
    assert '<html lang="ru"' in html and "<h1>Что-то пошло не так</h1>" in html
    with translation.override("en"):
        html = loader.get_template("500.html").render()
    assert '<html lang="en"' in html and "<h1>Something went wrong</h1>" in html
