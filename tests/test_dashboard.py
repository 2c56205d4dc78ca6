"""The dashboard: full page, htmx fragments, sections, filters, caching, query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_cross_flights
from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import MissionStatus

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TODAY = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
PARTIALS = ["crossflights", "aboard-now", "next-crossflight"]


def section(html: str, region_id: str) -> str:
    """The HTML of one region, from its opening tag to the next region's."""
    start = html.index(f'id="{region_id}"')
    following = [
        html.find(f'id="{other}"', start + 1) for other in ("in-flight", "upcoming", "completed", "latest-news")
    ]
    ends = [index for index in following if index > start]
    return html[start : min(ends) if ends else len(html)]


def row(html: str, slug: str) -> str:
    """One mission's row of a listing."""
    return html[html.index(f'id="mission-{slug}"') :].split("</tr>", 1)[0]


def crew_entry(html: str, name: str) -> str:
    return html[html.index(f">{name}<") :].split("</li>", 1)[0]


def test_the_dashboard_is_a_full_page(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>")
    for heading in ["Aboard the ISS now", "Next cross-flight", "The agreement", "Cross-flights", "Latest news"]:
        assert heading in html
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize("target", PARTIALS)
def test_each_region_is_served_as_a_fragment_to_htmx(client, target, htmx_get):
    response = htmx_get("/", target)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(("<div", "<section")) and f'id="{target}"' in html.split(">", 1)[0]


@pytest.mark.parametrize("target", PARTIALS)
def test_no_fragment_is_served_without_the_htmx_header(client, target):
    response = client.get("/", HTTP_HX_TARGET=target)
    assert "<html" in response.content.decode()


def test_an_unknown_htmx_target_gets_the_full_page(client, htmx_get):
    assert "<html" in htmx_get("/", "no-such-region").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_ms_22_and_crew_5_are_completed_with_rubio_and_kikina_marked(client):
    completed = section(client.get("/").content.decode(), "completed")
    ms22, crew5 = row(completed, "soyuz-ms-22"), row(completed, "spacex-crew-5")
    assert "cross-flight" in crew_entry(ms22, "Francisco Rubio")
    assert "cross-flight" in crew_entry(crew5, "Anna Kikina")
    assert "cross-flight" not in crew_entry(crew5, "Koichi Wakata")
    assert "cross-flight" not in crew_entry(ms22, "Sergey Prokopyev")


@time_machine.travel(TODAY, tick=False)
def test_rubio_came_home_on_ms_23(client):
    completed = section(client.get("/").content.decode(), "completed")
    rubio_up = crew_entry(row(completed, "soyuz-ms-22"), "Francisco Rubio")
    assert "home on" in rubio_up and "Soyuz MS-23" in rubio_up
    rubio_down = crew_entry(row(completed, "soyuz-ms-23"), "Francisco Rubio")
    assert "came home on it, up on" in rubio_down and "Soyuz MS-22" in rubio_down


@time_machine.travel(TODAY, tick=False)
def test_in_flight_upcoming_and_stale_missions_are_where_they_belong(client):
    html = client.get("/").content.decode()
    in_flight, upcoming = section(html, "in-flight"), section(html, "upcoming")
    assert "Soyuz MS-28" in in_flight and "SpaceX Crew-12" in in_flight
    assert "Soyuz MS-29" in upcoming and "SpaceX Crew-13" in upcoming
    # MS-28's landing target (July 2026) has passed unconfirmed: it says so in words.
    assert ">landing overdue<" in row(in_flight, "soyuz-ms-28") and ">stale<" not in row(in_flight, "soyuz-ms-28")
    assert ">launch overdue<" in row(upcoming, "soyuz-ms-29")


@time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False)
def test_nothing_is_flagged_stale_when_the_record_was_fresh(client):
    assert ">stale<" not in client.get("/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_aboard_now_lists_the_in_flight_crews_with_cross_flight_marks(client, htmx_get):
    aboard = htmx_get("/", "aboard-now").content.decode()
    assert "Christopher Williams" in aboard and "Andrey Fedyaev" in aboard
    assert "Anil Menon" not in aboard
    williams = aboard[aboard.index("Christopher Williams") :].split("</tr>", 1)[0]
    assert "cross-flight" in williams and ">landing overdue<" in williams


def later_crew_13(mission):
    """Crew-13 (NET September 2026) out of the way, so that MS-29 is the next cross-flight."""
    crew13 = mission("SpaceX Crew-13")
    crew13.launch_at = dt.datetime(2028, 1, 1, tzinfo=UTC)
    crew13.save()


@time_machine.travel(TODAY, tick=False)
def test_the_next_cross_flight_shows_an_exact_launch_with_a_countdown(client, mission, htmx_get):
    later_crew_13(mission)
    ms29 = mission("Soyuz MS-29")
    ms29.status = MissionStatus.SCHEDULED
    ms29.launch_at, ms29.launch_precision = dt.datetime(2026, 12, 14, 9, 0, tzinfo=UTC), Precision.EXACT
    ms29.save()
    card = htmx_get("/", "next-crossflight").content.decode()
    assert "Soyuz MS-29" in card
    assert '<time class="target" datetime="2026-12-14T09:00:00+00:00">2026-12-14 09:00 UTC</time>' in card
    assert 'data-countdown="2026-12-14T09:00:00+00:00"' in card
    assert "in 18 days, 21 h" in card
    assert 'data-local="2026-12-14T09:00:00+00:00"' in card


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("precision", "text"),
    [(Precision.MONTH, "July 2027"), (Precision.QUARTER, "NET Q3 2027"), (Precision.DAY, "2027-07-14")],
)
def test_the_next_launch_is_shown_at_its_real_precision_without_a_countdown(client, mission, precision, text, htmx_get):
    later_crew_13(mission)
    ms29 = mission("Soyuz MS-29")
    ms29.launch_at, ms29.launch_precision = dt.datetime(2027, 7, 14, tzinfo=UTC), precision
    ms29.save()
    card = htmx_get("/", "next-crossflight").content.decode()
    assert f">{text}</time>" in card
    assert "data-countdown" not in card


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"family": "soyuz-ms"}, ["Soyuz MS-22", "Soyuz MS-28"], ["SpaceX Crew-5"]),
        ({"year": "2024"}, ["SpaceX Crew-8", "Soyuz MS-26"], ["Soyuz MS-22", "SpaceX Crew-11"]),
        ({"status": "in_flight"}, ["Soyuz MS-28"], ["Soyuz MS-22", "Soyuz MS-29"]),
        ({"agency": "jaxa"}, ["SpaceX Crew-5", "SpaceX Crew-11"], ["Soyuz MS-22", "SpaceX Crew-6"]),
        (
            {"family": "crew-dragon", "year": "2023"},
            ["SpaceX Crew-6", "SpaceX Crew-7"],
            ["SpaceX Crew-5", "Soyuz MS-24"],
        ),
    ],
)
def test_filters_narrow_the_cross_flight_lists(client, params, present, absent, htmx_get):
    fragment = htmx_get("/", "crossflights", **params).content.decode()
    for name in present:
        assert f">{name}</a>" in fragment, name
    for name in absent:
        assert f">{name}</a>" not in fragment, name


def test_the_filtered_page_without_htmx_is_the_full_page_with_the_form_filled_in(client):
    html = client.get("/", {"family": "soyuz-ms"}).content.decode()
    assert "<html" in html
    assert '<option value="soyuz-ms" selected>' in html
    assert ">SpaceX Crew-5</a>" not in section(html, "completed")


def test_a_bad_filter_value_is_ignored_with_a_message(client, htmx_get):
    response = htmx_get("/", "crossflights", family="warp-drive", year="soon")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters were not understood" in html
    assert ">Soyuz MS-22</a>" in html


def test_the_fragment_polls_the_same_filtered_url(client, htmx_get):
    fragment = htmx_get("/", "crossflights", family="soyuz-ms").content.decode()
    assert 'hx-get="/?family=soyuz-ms"' in fragment
    assert 'hx-trigger="every 60s, poll-now"' in fragment and "data-poll" in fragment


def test_every_page_is_plain_html_that_works_without_javascript(client):
    html = client.get("/").content.decode()
    assert '<form id="filters" class="filters" action="/" method="get"' in html
    assert '<button type="submit">Apply</button>' in html


def test_pages_carry_a_strict_content_security_policy_and_no_inline_code(client):
    for url in ["/", "/missions/soyuz-ms-22/", "/people/francisco-rubio/", "/timeline/", "/agreement/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
        html = response.content.decode()
        assert "style=" not in html, url
        assert "<script>" not in html and "<style" not in html, url
        assert "cdn" not in html.lower(), url


def test_htmx_is_served_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html or "/static/django_htmx/htmx" in html


def test_the_latest_news_panel_says_there_is_none_yet(client):
    assert "No news has been ingested yet." in section(client.get("/").content.decode(), "latest-news")


def test_an_editors_save_invalidates_the_cached_dashboard(client, mission):
    assert ">Soyuz MS-22</a>" in client.get("/").content.decode()
    with pytest.MonkeyPatch.context():
        ms22 = mission("Soyuz MS-22")
        ms22.name = "Soyuz MS-22 (renamed)"
        ms22.save()
    html = client.get("/").content.decode()
    assert ">Soyuz MS-22 (renamed)</a>" in html


def test_a_second_request_is_served_from_the_cache(client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


# Query counts: the same bound with the 17 reference flights + 3 and with + 2,000.
DASHBOARD_QUERIES = 19  # 17 for the record + latest news and its missions
FRAGMENT_QUERIES = {"crossflights": 9, "aboard-now": 4, "next-crossflight": 4}


@pytest.mark.parametrize("extra", [3, 2000])
def test_dashboard_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries, extra):
    make_cross_flights(extra)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("extra", [3, 2000])
@pytest.mark.parametrize("target", PARTIALS)
def test_fragment_query_count_does_not_grow_with_the_record(
    client, django_assert_max_num_queries, extra, target, htmx_get
):
    make_cross_flights(extra)
    make_cross_flights(extra // 10 + 1, status=MissionStatus.PLANNED)
    with django_assert_max_num_queries(FRAGMENT_QUERIES[target]):
        assert htmx_get("/", target, page="2").status_code == 200


def test_completed_flights_are_paginated(client, htmx_get):
    make_cross_flights(30)
    html = client.get("/").content.decode()
    assert "Page 1 of 3" in section(html, "completed")
    page_2 = htmx_get("/", "crossflights", page="2").content.decode()
    assert "Page 2 of 3" in page_2


def test_the_dashboard_url_name(client):
    assert reverse("record:dashboard") == "/"


def test_a_browser_that_accepts_gzip_gets_the_cached_page_compressed(client):
    import gzip

    plain = client.get("/").content
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 3


def test_a_long_upcoming_list_shows_the_soonest_and_says_how_many_there_are(client, htmx_get):
    make_cross_flights(30, status=MissionStatus.PLANNED)
    upcoming = section(htmx_get("/", "crossflights").content.decode(), "upcoming")
    assert '<span class="count">32</span>' in upcoming  # 30 + MS-29 and Crew-13
    assert "Showing the soonest 20 of 32" in upcoming
    assert upcoming.count('<tr id="mission-') == 20


def test_the_dashboard_shows_a_documents_first_flights_and_links_the_rest(client):
    make_cross_flights(30)
    html = client.get("/").content.decode()
    agreement = html[html.index('id="agreement-progress"') : html.index('aria-labelledby="flights-heading"')]
    assert "and 25 more</a>" in agreement  # the original covers 7 + 30 flights; 12 are shown


def test_a_flight_still_up_is_marked_in_flight_not_flown_under_the_agreement(client):
    with time_machine.travel(TODAY, tick=False):
        html = client.get(reverse("record:dashboard")).content.decode()
    assert (
        'class="chip in-flight" href="/missions/soyuz-ms-28/">Soyuz MS-28<span class="visually-hidden">: in flight'
        in html
    )
    assert 'class="chip flown" href="/missions/soyuz-ms-22/">Soyuz MS-22<span class="visually-hidden">: flown' in html
    assert 'class="chip to-fly" href="/missions/soyuz-ms-29/">' in html
