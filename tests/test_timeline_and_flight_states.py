"""The timeline page's tap-for-details list, and pages that tell a flight in progress or still
to fly from one that has flown (person page, agreement page)."""

import datetime as dt
import re

import pytest
import time_machine

from tests.pages import page_html, visible_text
from tracker.record.models import Seat

pytestmark = pytest.mark.django_db

# MS-28 and Crew-12 are up; MS-29 and Crew-13 are planned.
TODAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_every_bar_of_the_timeline_links_to_its_stay_in_the_list_under_the_chart(client):
    html = page_html(client, "/timeline/")
    plot = re.search(r'<svg [^>]*class="timeline".*?</svg>', html, re.S).group(0)
    targets = re.findall(r'<a id="bar-(\d+)" href="#stay-(\d+)"', plot)
    # 50 stays have begun (a solid bar each); MS-29's three and Crew-13's four are planned
    # (a hatched bar each, no solid one).
    assert len(targets) == 57
    assert plot.count('<rect class="bar') == 50 and plot.count('<rect class="plan') == 7
    for bar, stay in targets:
        assert bar == stay
        entry = re.search(rf'<li id="stay-{stay}".*?</li>', html, re.S)
        assert entry is not None and f'href="#bar-{stay}"' in entry.group(0)  # and back again
    rubio = next(
        stay for _, stay in targets if int(stay) == Seat.objects.get(person__name="Francisco Rubio", leg="ascent").pk
    )
    entry = visible_text(re.search(rf'<li id="stay-{rubio}".*?</li>', html, re.S).group(0))
    assert (
        "Francisco Rubio NASA cross-flight up on Soyuz MS-22 2022-09-21, home on Soyuz MS-23 2023-09-27: 371 days"
        in entry
    )


def test_the_timeline_lists_the_newest_flight_first_and_says_it_scrolls(client):
    html = page_html(client, "/timeline/")
    groups = re.findall(r'<details class="stay-group" id="group-([\w-]+)"', html)
    # The planned flights lead, by their launch targets; then who is up.
    assert groups[:4] == ["spacex-crew-13", "soyuz-ms-29", "spacex-crew-12", "soyuz-ms-28"]
    assert groups[-1] == "soyuz-ms-22"
    assert "scroll it sideways for earlier years" in html
    williams = visible_text(
        re.search(
            r'<li id="stay-\d+" class="stay-entry xf">\s*<a href="/people/christopher-williams/".*?</li>', html, re.S
        ).group(0)
    )
    assert "still up: 363 days so far" in williams
    assert "style=" not in html


def test_the_downloadable_svg_is_still_one_drawing_without_page_links(client):
    svg = page_html(client, "/timeline.svg")
    assert svg.startswith("<?xml") and svg.count("<svg") == 1
    assert 'href="#stay-' not in svg and "Francisco Rubio" in svg


def test_a_persons_flight_count_says_which_are_planned(client):
    html = page_html(client, "/people/anna-kikina/")
    assert '<dt>Flights</dt><dd class="big">2 <span class="of-which">(1 planned)</span></dd>' in html
    assert '<span class="status status-planned">planned</span>' in html
    # Flown first, the undated planned flight last, on every database.
    assert html.index('href="/missions/spacex-crew-5/"') < html.index('href="/missions/soyuz-ms-29/"')


def test_a_flight_in_progress_is_in_flight_not_flown(client):
    html = page_html(client, "/people/andrey-fedyaev/")
    assert '<dt>Flights</dt><dd class="big">2 <span class="of-which">(1 in flight)</span></dd>' in html
    crew12 = visible_text(
        re.search(r'<tr class="xf">\s*<th scope="row"><a href="/missions/spacex-crew-12/">.*?</tr>', html, re.S).group(
            0
        )
    )
    assert "in flight" in crew12 and "still up" in crew12 and "285 so far" in crew12
    assert "flown" not in visible_text(html)


def test_a_person_with_only_landed_flights_has_a_plain_count(client):
    assert '<dt>Flights</dt><dd class="big">1</dd>' in page_html(client, "/people/francisco-rubio/")


def test_the_agreement_page_counts_flights_in_progress_apart_from_flown_ones(client):
    html = page_html(client, "/agreement/")
    # Addendum 3: Crew-11 landed; MS-28 and Crew-12 are up; MS-29 and Crew-13 are planned.
    assert "<dt>Flights flown</dt><dd>1 of 5, 2 in flight</dd>" in html
    assert 'Soyuz MS-28<span class="visually-hidden">: in flight</span>' in html
    assert "<dt>Flights flown</dt><dd>7 of 7</dd>" in html
