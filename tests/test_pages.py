"""Mission, person, vehicle, agreement and timeline pages."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine

from tests.factories import make_cross_flights
from tests.pages import page_html

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TODAY = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def test_a_mission_page_shows_its_timeline_seats_by_leg_agreement_and_sources(client):
    html = page_html(client, "/missions/soyuz-ms-22/")
    assert "<h1>Soyuz MS-22</h1>" in html
    assert '<time datetime="2022-09-21">2022-09-21</time>' in html
    assert "Up (ascent)" in html and "Down (descent)" in html
    assert 'home on <a href="/missions/soyuz-ms-23/">Soyuz MS-23</a>' in html
    assert "Original agreement (July 2022)" in html
    assert "https://tass.com/science/1594171" in html
    assert "Baikonur Cosmodrome" in html


def test_the_replacement_soyuz_page_shows_who_it_brought_home(client):
    html = page_html(client, "/missions/soyuz-ms-23/")
    assert "Launched with nobody aboard." in html
    assert 'up on <a href="/missions/soyuz-ms-22/">Soyuz MS-22</a>' in html


def test_unknown_facts_say_unknown(client):
    html = page_html(client, "/missions/soyuz-ms-29/")
    assert "<dt>Launch vehicle</dt><dd>unknown</dd>" in html
    # Docking, undocking and landing; the launch has a target (test_targets_pages.py).
    assert html.count('<span class="unknown">unknown</span>') >= 3


def test_a_person_page_shows_flights_days_in_space_and_cross_flights(client):
    html = page_html(client, "/people/francisco-rubio/")
    assert "<h1>Francisco Rubio</h1>" in html
    assert '<dt>Days in space</dt><dd class="big">371</dd>' in html
    assert '<dt>Cross-flights</dt><dd class="big">1</dd>' in html
    assert "Frank Rubio" in html and '<span lang="ru">Франсиско Рубио</span>' in html
    assert '<a href="/missions/soyuz-ms-23/">Soyuz MS-23</a>' in html


@time_machine.travel(TODAY, tick=False)
def test_a_person_with_two_cross_flights_counts_both(client):
    html = page_html(client, "/people/andrey-fedyaev/")
    assert '<dt>Cross-flights</dt><dd class="big">2</dd>' in html
    assert "so far" in html


def test_a_vehicle_page_lists_its_missions_and_craft(client):
    html = page_html(client, "/vehicles/crew-dragon/")
    assert "<h1>Crew Dragon</h1>" in html
    assert "<em>Endurance</em> — 3 flights" in html
    assert ">SpaceX Crew-5</a>" in html and ">Soyuz MS-22</a>" not in html


def test_the_agreement_page_lists_each_document_with_flown_and_unflown_flights(client):
    html = page_html(client, "/agreement/")
    assert 'id="document-original"' in html and 'id="document-addendum_3"' in html
    assert "<dt>Flights flown</dt><dd>7 of 7</dd>" in html
    assert "<dt>Signed</dt><dd>December 2023</dd>" in html
    assert 'Soyuz MS-29<span class="visually-hidden">: still to fly</span>' in html
    assert "Roscosmos" in html and "NASA" in html


@pytest.mark.parametrize("url", ["/missions/no-such/", "/people/nobody/", "/vehicles/warp/", "/theme/purple/"])
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_timeline_is_a_standalone_svg_with_a_bar_per_stay(client):
    response = client.get("/timeline.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    bars = root.findall(f".//{SVG}rect[@class]")
    stays = [bar for bar in bars if "bar" in bar.get("class").split()]
    # 50 stays have begun by today (the planned MS-29 and Crew-13 crews have not; MS-23 went up empty).
    assert len(stays) == 50
    cross = [bar for bar in stays if "xf" in bar.get("class").split()]
    assert len(cross) == 14
    titles = [bar.find(f"{SVG}title").text for bar in stays]
    assert any(t.startswith("Francisco Rubio (NASA): up on Soyuz MS-22, home on Soyuz MS-23, 371 days") for t in titles)
    assert root.find(f".//{SVG}g[@class='today']") is not None


def test_the_timeline_page_embeds_the_svg_and_links_the_file(client):
    html = page_html(client, "/timeline/")
    assert "<svg" in html and 'href="/timeline.svg"' in html


def test_the_theme_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/theme/light/", {"next": "/agreement/"})
    assert response.status_code == 302 and response["Location"] == "/agreement/"
    assert client.cookies["theme"].value == "light"
    assert 'data-theme="light"' in page_html(client, "/agreement/")


def test_the_theme_switch_never_redirects_off_site(client):
    response = client.get("/theme/dark/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("url", "queries"),
    # Mission and person pages: +2 for the expeditions (built once per record version); the
    # person page +1 for the flights that bring each stay home (their landing targets).
    [("/missions/soyuz-ms-22/", 8), ("/people/francisco-rubio/", 8), ("/vehicles/soyuz-ms/", 4), ("/agreement/", 6)],
)
@pytest.mark.parametrize("extra", [3, 500])
def test_detail_page_query_counts_do_not_grow_with_the_record(
    client, django_assert_max_num_queries, url, queries, extra
):
    make_cross_flights(extra)
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_health_check_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"
