"""The editors' admin in Chromium with a Russian browser: the login, the proposal review
page and the mission form in Russian, with their screenshots (test-artifacts/) for a
person to look at."""

import os
import re

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.utils import translation  # noqa: E402

from tests.browser import browser, record, screenshot, watched_tabs  # noqa: E402, F401
from tests.factories import PERSONA_PASSWORD as PASSWORD  # noqa: E402
from tracker.news.models import ProposalStatus, ProposedUpdate  # noqa: E402
from tracker.news.services import poll_sources_now  # noqa: E402
from tracker.record.models import Mission  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def russian_editor(browser, live_server, record, editor):  # noqa: F811
    """A tab of a browser that asks for Russian, with the editor logged in through the
    login form (in Russian too)."""
    with watched_tabs(browser, live_server.url) as open_tab:
        tab = open_tab(locale="ru-RU")
        tab.goto("/admin/")
        assert tab.locator("html").get_attribute("lang") == "ru"
        assert tab.inner_text("#login-form label[for=id_password]").startswith("Пароль")
        tab.fill("#id_username", editor.username)
        tab.fill("#id_password", PASSWORD)
        tab.click("#login-form input[type=submit]")
        tab.wait_for_url(re.compile(r"/admin/$"))
        yield tab


def test_the_proposal_review_page_in_russian(russian_editor):
    tab = russian_editor
    with translation.override("en"):  # as the scheduler polls
        poll_sources_now(name="Sample news (offline)")
    waiting = ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).order_by("pk").first()
    tab.goto("/admin/")
    assert "ждут проверки" in tab.inner_text("#review-queue")
    tab.goto(f"/admin/news/proposedupdate/{waiting.pk}/change/")
    assert tab.inner_text("h1") == "Проверка предложенного изменения"
    assert tab.inner_text("#proposal-review-title") == "Что изменится после принятия"
    assert tab.input_value("input.default[formaction$='/accept/']") == "Принять и применить"
    assert tab.input_value("input.reject-proposal") == "Отклонить"
    screenshot(tab, "i18n-admin-proposal-review-ru")


def test_the_mission_form_in_russian_with_an_error_at_the_launch(russian_editor):
    tab = russian_editor
    ms22 = Mission.objects.get(name="Soyuz MS-22")
    tab.goto(f"/admin/record/mission/{ms22.pk}/change/")
    assert "Хронология (UTC; пустое время — известен только день)" in tab.inner_text("#content")
    screenshot(tab, "i18n-admin-mission-form-ru")
    # Moving MS-29's launch into Kikina's Crew-5 stay: refused at the launch, in Russian.
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    tab.goto(f"/admin/record/mission/{ms29.pk}/change/")
    tab.fill("#id_launch_at_0", "2022-11-01")
    tab.fill("#id_launch_at_1", "")
    with tab.expect_navigation():
        tab.click("input[name=_save]")
    error = tab.locator(".form-row.field-launch_at ul.errorlist, div:has(> .fieldBox.field-launch_at) > ul.errorlist")
    assert error.inner_text().startswith("Anna Kikina не может быть в двух полётах сразу: SpaceX Crew-5")
    error.scroll_into_view_if_needed()
    screenshot(tab, "i18n-admin-mission-error-ru", full_page=False)


def test_the_admin_search_box_in_russian_finds_by_a_click(russian_editor):
    """Our copy of Django's changelist search form: its button, in Russian, searches."""
    tab = russian_editor
    tab.goto("/admin/record/person/")
    tab.fill("#searchbar", "Rubio")
    with tab.expect_navigation():
        tab.click("#changelist-search input[type=submit]")
    assert "q=Rubio" in tab.url
    assert tab.get_attribute("#changelist-search input[type=submit]", "value") == "Найти"
    assert "Francisco Rubio" in tab.inner_text("#result_list")
