"""The editors' admin in Russian says real Russian: validation errors at their field with
every placeholder filled (who, which flights, which days), the proposal review page's
headings and buttons, and counts in the right plural form (1 предложение, 2 предложения,
5 предложений). tests/test_i18n_pages.py checks that no English is left; these check what
is said instead."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import translation

from tests.pages import visible_text
from tests.test_admin import MISSION_FORM, admin_url, form_data, seat_errors, seat_rows
from tests.test_news_admin import CHANGELIST, MS29_LAUNCH, accept_url, meir_on_crew_13, messages
from tracker.lib.fuzzy_dates import Precision
from tracker.news.models import ProposalStatus, ProposedUpdate
from tracker.news.review import review_of
from tracker.news.services import poll_sources_now
from tracker.record.models import Leg, Mission, MissionStatus, Person, VehicleFamily

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


@pytest.fixture
def add_form(editor_client):
    """The add-mission form in Russian, filled with a name, a Soyuz and a status."""

    def fill(name: str, **changes) -> dict:
        data = form_data(editor_client.get(admin_url(Mission, "add"), **RU), MISSION_FORM)
        data.update(
            name=name,
            slug=name.lower().replace(" ", "-"),
            family=str(VehicleFamily.objects.get(name="Soyuz MS").pk),
            status=MissionStatus.PLANNED,
        )
        return {**data, **changes}

    return fill


@pytest.fixture
def proposals(ms29_launch_unannounced):
    """The sample source polled (with MS-29's launch not yet in the record): four proposals
    waiting, by summary."""
    with translation.override("en"):  # as the scheduler polls
        poll_sources_now(name="Sample news (offline)")
    return {proposal.summary: proposal for proposal in ProposedUpdate.objects.all()}


# --- validation messages ---------------------------------------------------------------------


def test_an_overlap_is_refused_in_russian_at_the_seat_naming_who_which_flights_and_which_days(editor_client, add_form):
    kikina = Person.objects.get(name="Anna Kikina")
    data = seat_rows(add_form("Soyuz MS-40", launch_at_0="2022-11-01", launch_at_1=""), [(kikina, Leg.ASCENT)])
    response = editor_client.post(admin_url(Mission, "add"), data, **RU)
    assert response.status_code == 200
    assert seat_errors(response)[0] == {
        "person": [
            "Anna Kikina не может быть в двух полётах сразу: SpaceX Crew-5 (5 октября 2022 – 12 марта 2023) и "
            "Soyuz MS-40 → SpaceX Crew-5 (1 ноября 2022 – 12 марта 2023) пересекаются с 1 ноября 2022 "
            "по 12 марта 2023."
        ]
    }
    # On the page, in the seat's row, at the person.
    html = response.content.decode()
    assert '<html lang="ru"' in html
    row = html[html.index('id="seats-0"') :]
    assert visible_text(row[: row.index("</tr>")]).count("не может быть в двух полётах сразу") == 1
    assert not Mission.objects.filter(name="Soyuz MS-40").exists()


def test_events_out_of_order_are_refused_in_russian_at_the_later_event(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2030-05-01", launch_at_1="", landing_at_0="2030-04-01", landing_at_1="")
    response = editor_client.post(admin_url(Mission, "add"), data, **RU)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["landing_at"] == ["Посадка (1 апреля 2030) не может быть раньше запуска (1 мая 2030)."]


def test_too_many_people_for_the_seats_is_said_with_both_counts_in_their_plural_forms(editor_client, add_form):
    four = Person.objects.filter(agency__name="Roscosmos").order_by("name")[:4]
    data = seat_rows(add_form("Soyuz MS-40", launch_at_0="2031-05-01", launch_at_1=""), [(p, Leg.ASCENT) for p in four])
    response = editor_client.post(admin_url(Mission, "add"), data, **RU)
    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert list(inline.formset.non_form_errors()) == ["В Soyuz MS 3 места, а на подъём указаны 4 человека."]


def test_the_plural_forms_of_the_validation_counts():
    from tracker.record.validation import people_text, seats_text

    with translation.override("ru"):
        assert [seats_text(n) for n in (1, 2, 5, 21)] == ["1 место", "2 места", "5 мест", "21 место"]
        assert [people_text(n) for n in (1, 3, 7, 22)] == ["1 человек", "3 человека", "7 человек", "22 человека"]
    with translation.override("en"):
        assert [seats_text(n) for n in (1, 3)] == ["1 seat", "3 seats"]


# --- the proposal review ---------------------------------------------------------------------


def test_the_review_page_of_a_waiting_proposal_in_russian(editor_client, proposals):
    proposal = proposals[MS29_LAUNCH]
    response = editor_client.get(f"{CHANGELIST}{proposal.pk}/change/", **RU)
    assert response.status_code == 200
    html = response.content.decode()
    page = visible_text(html)
    assert f"<title>{MS29_LAUNCH} | Проверка предложенного изменения | Редакция трекера экипажей</title>" in html
    assert "<h1>Проверка предложенного изменения</h1>" in html
    assert '<h2 id="proposal-review-title">Что изменится после принятия</h2>' in html
    assert '<th scope="col">Сейчас в записи</th><th scope="col">Предлагается</th>' in html
    # The row: the launch, not in the record yet, proposed as a target to the day.
    assert re.search(r"Запуск нет в записи \S+ 14 июля 2026 \(точность: день\)", page), page
    assert "<h2>Решение</h2>" in html
    assert "Принятие вносит это изменение в запись полётов одной транзакцией" in page
    assert '<label for="id_reject_reason">Причина отклонения:</label>' in html
    assert 'value="Принять и применить"' in html and 'value="Отклонить"' in html
    assert ">К предложениям</a>" in html
    # The proposal's own fields, labelled in Russian; its choices too.
    assert "Уверенность" in page and "Статус" in page and "ждёт проверки" in page
    assert "Как сообщается" in page and "запланировано" in page


def test_a_decided_proposal_says_its_status_in_russian(editor_client, proposals):
    proposal = proposals[MS29_LAUNCH]
    ProposedUpdate.objects.filter(pk=proposal.pk).update(status=ProposalStatus.REJECTED)
    html = editor_client.get(f"{CHANGELIST}{proposal.pk}/change/", **RU).content.decode()
    assert "<h1>Предложенное изменение: отклонено</h1>" in html
    assert 'value="Принять и применить"' not in html


def test_the_review_rows_and_warnings_in_russian(proposals):
    proposal = ProposedUpdate.objects.select_related("mission").get(summary=MS29_LAUNCH)
    # Reviewed after the proposed day has passed, still said to be planned: a warning.
    late = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    with translation.override("ru"):
        review = review_of(proposal, now=late)
    assert [row.label for row in review.rows] == ["запуск", "статус"]
    assert review.rows[0].now == "нет в записи"
    assert review.warnings == [
        "Предложенная дата события «запуск», 14 июля 2026, уже прошла, но в предложении оно всё ещё значится "
        "запланированным. Прежде чем принимать, проверьте, состоялось ли оно или было перенесено."
    ]


def test_a_refused_acceptance_says_why_in_russian(editor_client, proposals):
    proposal = meir_on_crew_13(proposals)
    response = editor_client.post(accept_url(proposal), follow=True, **RU)
    [message] = messages(response)
    # Both rules it breaks, each with its numbers, names and days filled in.
    assert message == (
        "«Jessica Meir: seat on SpaceX Crew-13» не принято: "
        "У SpaceX Crew-13 (Crew Dragon) 4 места, а на подъём в нём оказались бы 5 человек. "
        "Jessica Meir не может быть в двух полётах сразу: SpaceX Crew-12 (13 февраля 2026 – октябрь 2026) "
        "и SpaceX Crew-13 → SpaceX Crew-12 (1 августа 2026 – октябрь 2026) пересекаются с 1 августа 2026 "
        "по октябрь 2026."
    )
    assert proposal.__class__.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


# --- counts in their plural forms -------------------------------------------------------------


@pytest.mark.parametrize(
    ("waiting", "said"),
    [
        (1, "1 предложение ждёт проверки"),
        (2, "2 предложения ждут проверки"),
        (4, "4 предложения ждут проверки"),
    ],
)
def test_the_admin_index_counts_the_waiting_proposals_in_russian(editor_client, proposals, waiting, said):
    keep = ProposedUpdate.objects.order_by("pk").values_list("pk", flat=True)[:waiting]
    ProposedUpdate.objects.exclude(pk__in=list(keep)).update(status=ProposalStatus.REJECTED)
    html = editor_client.get("/admin/", **RU).content.decode()
    assert f">{said}</a> — изменения в записи полётов, о которых сообщают новости.</li>" in html
    assert "<h1>Запись полётов</h1>" in html  # the index title


def test_five_and_more_waiting_proposals_take_the_genitive_plural(editor_client, proposals):
    for n in range(3):
        ProposedUpdate.objects.create(
            kind="launch",
            mission=Mission.objects.get(name="Soyuz MS-29"),
            date=dt.date(2026, 9, 1 + n),
            precision=Precision.DAY,
            summary=f"Soyuz MS-29 launch: 2026-09-0{1 + n}, planned",
            fact_key=f"launch|soyuz-ms-29|2026-09-0{1 + n}|day|planned",
            confidence=0.5,
        )
    assert ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).count() == 7
    html = editor_client.get("/admin/", **RU).content.decode()
    assert ">7 предложений ждут проверки</a>" in html


def test_bulk_decisions_are_counted_in_russian(editor_client, proposals):
    pending = list(ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).values_list("pk", flat=True))
    response = editor_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": pending[:2]}, follow=True, **RU
    )
    assert messages(response) == ["Отклонено 2 предложения."]
    response = editor_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": pending[2:3]}, follow=True, **RU
    )
    assert messages(response) == ["Отклонено 1 предложение."]


# --- the site around it ----------------------------------------------------------------------------


def test_a_wrong_password_is_refused_in_russian(client, editor):
    response = client.post("/admin/login/", {"username": "edna", "password": "wrong"}, **RU)
    assert response.status_code == 200
    assert (
        "Введите правильные имя пользователя и пароль учётной записи редактора. "
        "Оба поля могут быть чувствительны к регистру." in response.content.decode()
    )


def test_the_source_list_shows_each_source_s_health_in_russian(editor_client, proposals):
    from tracker.news.models import NewsSource

    NewsSource.objects.create(name="Never polled", url="https://example.org/feed.xml")
    NewsSource.objects.create(name="Broken", url="https://example.org/b.xml", last_error="HTTP 503")
    html = editor_client.get("/admin/news/newssource/", **RU).content.decode()
    page = visible_text(html)
    assert "Последняя ошибка" in page  # the column
    assert "в порядке" in page and "ещё не опрашивался" in page
    assert '<span lang="en">HTTP 503</span>' in html  # the error as the server said it
    assert "Опросить выбранные источники сейчас" in page


def test_the_login_lockout_page_in_russian(client, editor):
    from tests.i18n import english_words, untranslated_lookups
    from tests.test_login_throttle import START, fail, log_in

    with time_machine.travel(START, tick=False):
        fail(client, editor.username, 5, HTTP_ACCEPT_LANGUAGE="ru")
        with untranslated_lookups() as missed:
            response = log_in(client, editor.username, "correct horse battery", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    html = response.content.decode()
    page = visible_text(html)
    assert "<h1>Слишком много попыток входа</h1>" in html
    assert "Вход как «edna» с этого адреса приостановлен" in page
    assert "После 5 неверных паролей подряд вход как «edna» с этого адреса приостановлен на 15 мин." in page
    assert 'Попробуйте снова после <time datetime="2026-03-02T09:15:00+00:00">2 марта 2026, 09:15 UTC</time>.' in html
    assert missed == [] and english_words(html) == []


def test_the_database_outage_page_in_russian(rf):
    from django.db import OperationalError

    from tracker.core.middleware import DatabaseUnavailableMiddleware

    with translation.override("ru"):
        response = DatabaseUnavailableMiddleware(lambda request: None).process_exception(
            rf.get("/"), OperationalError("server closed the connection")
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="ru">' in html and "<h1>Временно недоступно</h1>" in html
    assert "Трекер сейчас не может связаться со своей базой данных." in html
