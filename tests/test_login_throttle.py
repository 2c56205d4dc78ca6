"""Login throttling on the editors' admin (django-axes, configured in tracker/settings.py).

Five wrong passwords for one username from one address lock that pair out for 15 minutes,
even with the right password; other usernames from that address, and that username from
other addresses, are not affected; the lockout ends on time and a success resets the count.

Logins go through the real login form. (Django's `client.login()` calls `authenticate()`
without a request, which axes refuses: tests that need a logged-in user use `force_login`.)
"""

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tests.factories import PERSONA_PASSWORD as PASSWORD
from tracker.core.admin_site import EDITOR_GROUP

pytestmark = pytest.mark.django_db


WRONG = "Tr0ub4dor&3"
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOGIN = "/admin/login/"


def log_in(client, username: str, password: str, ip: str = HOME, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip, **headers
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(client, username: str, times: int, ip: str = HOME, **headers) -> list[int]:
    return [log_in(client, username, WRONG, ip, **headers).status_code for _ in range(times)]


@pytest.fixture
def clock():
    """A frozen clock the test moves by hand (axes dates attempts with timezone.now())."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def other_editor(db):
    user = User.objects.create_user("olga", password=PASSWORD)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@contextmanager
def behind_proxy(settings, count: int = 1):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = count
    yield


# --- the lockout ---------------------------------------------------------------------------


def test_four_wrong_passwords_only_show_the_form_again(client, editor, clock):
    assert fail(client, editor.username, 4) == [200] * 4
    assert logged_in(log_in(client, editor.username, PASSWORD))


def test_the_fifth_wrong_password_locks_out_even_the_right_password(client, editor, clock):
    assert fail(client, editor.username, 5) == [200, 200, 200, 200, 429]

    response = log_in(client, editor.username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_lockout_page_says_when_to_try_again(client, editor, clock):
    fail(client, editor.username, 5)
    response = log_in(client, editor.username, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Too many login attempts</h1>" in html
    assert '<time datetime="2026-03-02T09:15:00+00:00">2026-03-02 09:15 UTC</time>' in html
    assert "“edna”" in html
    # The site's own page (base.html), so it carries the site's CSS and no inline script.
    assert 'rel="stylesheet" href="/static/record/app.css"' in html


def test_the_lockout_ends_after_fifteen_minutes(client, editor, clock):
    fail(client, editor.username, 5)
    clock.shift(dt.timedelta(minutes=14, seconds=59))
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    clock.shift(dt.timedelta(seconds=2))
    assert logged_in(log_in(client, editor.username, PASSWORD))


def test_attempts_during_the_lockout_neither_extend_it_nor_grow_its_record(client, editor, clock):
    fail(client, editor.username, 5)
    attempt = AccessAttempt.objects.get(username=editor.username)
    for _ in range(10):
        clock.shift(dt.timedelta(minutes=1))
        assert log_in(client, editor.username, WRONG).status_code == 429

    assert AccessAttempt.objects.get(pk=attempt.pk).failures_since_start == 5
    assert AccessAttempt.objects.get(pk=attempt.pk).post_data == attempt.post_data
    # Still 09:15, as the first lockout page said, although the last try was at 09:10.
    assert "2026-03-02 09:15 UTC" in log_in(client, editor.username, WRONG).content.decode()
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert logged_in(log_in(client, editor.username, PASSWORD))


def test_a_success_resets_the_count(client, editor, clock):
    assert fail(client, editor.username, 4) == [200] * 4
    assert logged_in(log_in(client, editor.username, PASSWORD))
    client.post(reverse("admin:logout"))

    assert fail(client, editor.username, 4) == [200] * 4
    assert logged_in(log_in(client, editor.username, PASSWORD))


def test_failures_spread_over_more_than_the_cool_off_do_not_add_up(client, editor, clock):
    fail(client, editor.username, 4)
    clock.shift(dt.timedelta(minutes=16))
    assert fail(client, editor.username, 4) == [200] * 4
    assert logged_in(log_in(client, editor.username, PASSWORD))


# --- who else is affected: nobody ------------------------------------------------------------


def test_another_username_from_the_same_address_may_still_log_in(client, editor, other_editor, clock):
    fail(client, editor.username, 5)
    assert logged_in(log_in(Client(), other_editor.username, PASSWORD, ip=HOME))


def test_the_same_username_from_another_address_may_still_log_in(client, editor, clock):
    """Why the lockout is keyed by username and address together: whoever guesses at an
    editor's password from one address cannot lock the editor out everywhere."""
    fail(client, editor.username, 5)
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    assert logged_in(log_in(Client(), editor.username, PASSWORD, ip=ELSEWHERE))


def test_changing_the_browser_does_not_reset_the_count(client, editor, clock):
    statuses = [log_in(client, editor.username, WRONG, HTTP_USER_AGENT=f"guesser/{n}").status_code for n in range(5)]
    assert statuses[-1] == 429
    assert log_in(client, editor.username, PASSWORD, HTTP_USER_AGENT="Firefox").status_code == 429


def test_guesses_at_an_unknown_username_are_throttled_too(client, clock):
    assert fail(client, "nobody", 5)[-1] == 429


# --- the client's address ----------------------------------------------------------------------


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, editor, clock):
    statuses = [
        log_in(client, editor.username, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)
    ]
    assert statuses[-1] == 429
    assert AccessAttempt.objects.get().ip_address == HOME


def test_behind_the_proxy_the_address_it_appended_counts_not_the_one_the_client_wrote(client, editor, settings, clock):
    with behind_proxy(settings):
        # The client writes a new address in front each time; the proxy (REMOTE_ADDR 10.0.0.2)
        # appends the one it saw.
        statuses = [
            log_in(
                client, editor.username, WRONG, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {ELSEWHERE}"
            ).status_code
            for n in range(5)
        ]
        assert statuses[-1] == 429
        assert AccessAttempt.objects.get().ip_address == ELSEWHERE
        # Another visitor through the same proxy is not affected.
        other = log_in(Client(), editor.username, PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=HOME)
        assert logged_in(other)


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(client, editor, settings, clock):
    with behind_proxy(settings, count=2):
        log_in(client, editor.username, WRONG, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ELSEWHERE}, 10.0.0.1")
    assert AccessAttempt.objects.get().ip_address == ELSEWHERE


@pytest.mark.parametrize("header", ["", "unknown", "not-an-address, also-not", "1.2.3.4:5678"])
def test_an_unusable_forwarded_header_falls_back_to_the_connecting_address(client, editor, settings, clock, header):
    with behind_proxy(settings):
        response = log_in(client, editor.username, WRONG, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=header)
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


# --- what axes keeps, and who sees it ------------------------------------------------------------


def test_expired_attempts_are_deleted_so_the_table_does_not_grow(client, editor, clock):
    for n in range(20):
        fail(client, f"guess{n}", 1)
    assert AccessAttempt.objects.count() == 20
    clock.shift(dt.timedelta(minutes=16))
    fail(client, editor.username, 1)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [editor.username]


def test_a_successful_login_is_logged_for_the_audit_trail_and_failures_are_not(client, editor, clock):
    fail(client, editor.username, 3)
    log_in(client, editor.username, PASSWORD)
    assert list(AccessLog.objects.values_list("username", "ip_address")) == [(editor.username, HOME)]


AXES_PAGES = ["axes_accessattempt_changelist", "axes_accesslog_changelist", "axes_accessfailurelog_changelist"]


@pytest.mark.parametrize("page", AXES_PAGES)
def test_the_login_records_are_for_superusers_not_editors(client, editor, page):
    client.force_login(editor)
    assert client.get(reverse(f"admin:{page}")).status_code == 403
    assert "/admin/axes/" not in client.get("/admin/").content.decode()

    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    assert client.get(reverse(f"admin:{page}")).status_code == 200
    assert "/admin/axes/" in client.get("/admin/").content.decode()


def test_a_superuser_lifts_a_lockout_by_deleting_the_attempt(client, editor, clock):
    fail(client, editor.username, 5)
    attempt = AccessAttempt.objects.get()
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password=PASSWORD))

    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert logged_in(log_in(client, editor.username, PASSWORD))
