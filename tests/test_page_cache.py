"""The public page cache (tracker/record/page_cache.py): the key holds only the query
parameters a view reads, a page is rendered by one request at a time, and an expired page is
re-rendered by one request while the others get the stale copy."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from tracker.record import page_cache
from tracker.record.models import Mission
from tracker.record.page_cache import cached_public_page

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class CountingView:
    """A page view that counts its renders and takes `seconds` to render."""

    def __init__(self, seconds: float = 0.0, status: int = 200):
        self.renders = 0
        self.seconds = seconds
        self.status = status
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
            number = self.renders
        if self.seconds:
            time.sleep(self.seconds)
        if self.status != 200:
            return HttpResponseNotFound("gone")
        return HttpResponse(f"render {number} of {request.get_full_path()}")


def get(view, path: str = "/page/"):
    return view(RequestFactory().get(path))


def at_once(view, count: int, path: str = "/page/") -> list:
    """`count` requests started together, as concurrent visitors' would be."""
    start = threading.Barrier(count)
    responses = [None] * count

    def visit(index):
        start.wait()
        responses[index] = get(view, path)

    threads = [threading.Thread(target=visit, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def lock_of(path: str = "/page/") -> str:
    return f"{page_cache._key(RequestFactory().get(path))}:rendering"


# --- the key: only the parameters a view reads ----------------------------------------------------


def test_unknown_parameters_are_answered_from_the_cached_dashboard(client, django_assert_num_queries):
    page = client.get("/").content
    with django_assert_num_queries(0):
        response = client.get("/?utm_source=newsletter&fbclid=x1&_=1717")
    assert response.status_code == 200
    assert response.content == page


def test_random_parameters_cannot_make_every_request_a_render(client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        for n in range(20):
            assert client.get(f"/?cachebuster={n}").status_code == 200


def test_a_page_first_rendered_with_a_stray_parameter_does_not_carry_it(client):
    html = client.get("/?utm_campaign=stray-parameter").content.decode()
    assert "stray-parameter" not in html and "utm_campaign" not in html


def test_parameter_order_and_empty_values_make_no_new_page(client, django_assert_num_queries):
    filtered = client.get("/?status=landed&family=soyuz-ms").content
    with django_assert_num_queries(0):
        again = client.get("/?family=soyuz-ms&agency=&status=landed&year=")
    assert again.content == filtered


def test_the_parameters_the_dashboard_reads_still_make_their_own_page(client):
    everything = client.get("/").content.decode()
    landed = client.get("/?status=landed").content.decode()
    assert landed != everything
    assert 'value="landed" selected' in landed


def test_detail_pages_read_no_parameter(client, django_assert_num_queries):
    url = Mission.objects.get(name="Soyuz MS-22").get_absolute_url()
    page = client.get(url).content
    with django_assert_num_queries(0):
        assert client.get(f"{url}?page=2&ref=home").content == page


def test_a_view_that_does_not_say_what_it_reads_is_keyed_by_its_whole_query_string():
    view = CountingView()
    cached = cached_public_page(view)
    assert get(cached, "/page/?mission=a").content == b"render 1 of /page/?mission=a"
    assert get(cached, "/page/?mission=b").content == b"render 2 of /page/?mission=b"
    assert get(cached, "/page/?mission=a").content == b"render 1 of /page/?mission=a"


def test_a_view_that_names_its_parameters_sees_only_those():
    view = CountingView()
    cached = cached_public_page(view, query=("page",))
    assert get(cached, "/page/?x=1&page=2&y=").content == b"render 1 of /page/?page=2"
    assert get(cached, "/page/?page=2").content == b"render 1 of /page/?page=2"
    assert view.renders == 1


# --- one render at a time ----------------------------------------------------------------------


def test_concurrent_requests_for_a_missing_page_render_it_once():
    view = CountingView(seconds=0.3)
    responses = at_once(cached_public_page(view), 8)
    assert view.renders == 1
    assert {response.content for response in responses} == {b"render 1 of /page/"}


def test_after_a_record_change_concurrent_requests_render_the_new_page_once(mission):
    view = CountingView(seconds=0.3)
    cached = cached_public_page(view)
    get(cached)
    ms22 = mission("Soyuz MS-22")
    ms22.notes = "changed"
    ms22.save()  # a new record version: no stale copy may be served

    responses = at_once(cached, 8)

    assert view.renders == 2
    assert {response.content for response in responses} == {b"render 2 of /page/"}


def test_an_expired_page_is_re_rendered_by_one_request_while_the_others_get_the_stale_copy():
    view = CountingView()
    cached = cached_public_page(view)
    with time_machine.travel(START, tick=False) as clock:
        get(cached)
        clock.shift(dt.timedelta(seconds=61))
        cache.add(lock_of(), 1)  # another request is re-rendering it

        assert get(cached).content == b"render 1 of /page/"
        assert view.renders == 1

        cache.delete(lock_of())  # that render is over and stored nothing: this one renders
        assert get(cached).content == b"render 2 of /page/"
        assert get(cached).content == b"render 2 of /page/"


def test_a_stale_copy_is_kept_only_as_long_again_as_the_page_lived():
    view = CountingView()
    cached = cached_public_page(view)
    with time_machine.travel(START, tick=False) as clock:
        get(cached)
        clock.shift(dt.timedelta(seconds=121))
        cache.add(lock_of(), 1)
        page_cache.RENDER_WAIT_SECONDS, saved = 0.1, page_cache.RENDER_WAIT_SECONDS
        try:
            # No stale copy any more: it waits for the renderer, then renders it itself.
            assert get(cached).content == b"render 2 of /page/"
        finally:
            page_cache.RENDER_WAIT_SECONDS = saved


def test_pages_cached_together_do_not_all_expire_together(monkeypatch):
    view = CountingView()
    cached = cached_public_page(view)
    monkeypatch.setattr(page_cache.random, "uniform", lambda low, high: high)  # the most jitter
    with time_machine.travel(START, tick=False) as clock:
        get(cached)
        clock.shift(dt.timedelta(seconds=60 * (1 - page_cache.PAGE_JITTER) - 0.5))
        assert get(cached).content == b"render 1 of /page/"
        clock.shift(dt.timedelta(seconds=1))
        assert get(cached).content == b"render 2 of /page/"


def test_a_page_is_never_fresh_for_longer_than_page_cache_seconds(monkeypatch):
    view = CountingView()
    cached = cached_public_page(view)
    monkeypatch.setattr(page_cache.random, "uniform", lambda low, high: low)  # no jitter
    with time_machine.travel(START, tick=False) as clock:
        get(cached)
        clock.shift(dt.timedelta(seconds=59.5))
        assert view.renders == 1 and get(cached).content == b"render 1 of /page/"
        clock.shift(dt.timedelta(seconds=1))
        assert get(cached).content == b"render 2 of /page/"


def test_when_the_renderer_stores_no_page_the_waiting_requests_render_their_own():
    view = CountingView(seconds=0.3, status=404)
    started = time.monotonic()
    responses = at_once(cached_public_page(view), 4)
    assert {response.status_code for response in responses} == {404}
    assert time.monotonic() - started < page_cache.RENDER_WAIT_SECONDS


def test_a_lock_left_by_a_renderer_that_died_delays_a_request_only_briefly(monkeypatch):
    monkeypatch.setattr(page_cache, "RENDER_WAIT_SECONDS", 0.2)
    view = CountingView()
    cache.add(lock_of(), 1, timeout=None)  # never released
    started = time.monotonic()
    assert get(cached_public_page(view)).content == b"render 1 of /page/"
    assert 0.2 <= time.monotonic() - started < 2


def test_a_cache_that_cannot_take_the_lock_does_not_stop_the_page(monkeypatch):
    add = page_cache.cache.add

    def broken(key, *args, **kwargs):
        if key.endswith(":rendering"):
            raise ConnectionError("cache down")
        return add(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "add", broken)
    view = CountingView()
    assert get(cached_public_page(view)).content == b"render 1 of /page/"


def test_another_process_finds_the_page_in_the_shared_cache():
    view = CountingView()
    cached = cached_public_page(view)
    get(cached)
    page_cache._local.clear()  # as a fresh gunicorn worker would start
    assert get(cached).content == b"render 1 of /page/"
    assert view.renders == 1


def test_a_cache_that_is_down_costs_a_request_no_waiting(monkeypatch):
    """A fail-soft cache answers "not added" and "nothing there" while Redis is down: nobody
    can be rendering the page, so the request renders it at once."""
    add = page_cache.cache.add
    monkeypatch.setattr(
        page_cache.cache, "add", lambda key, *a, **kw: False if key.endswith(":rendering") else add(key, *a, **kw)
    )
    monkeypatch.setattr(page_cache.time, "sleep", lambda seconds: pytest.fail("waited for a renderer"))
    view = CountingView()
    assert get(cached_public_page(view)).content == b"render 1 of /page/"
