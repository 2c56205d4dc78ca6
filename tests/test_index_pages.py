"""The index pages: /missions/ (every mission, filterable, paged), /people/ (sortable),
/vehicles/; the breadcrumbs and the header link to them. Full page, htmx fragment, no
fragment without the header, and query counts at two sizes of the record."""

import re

import pytest

from tests.factories import make_cross_flights
from tracker.record.models import Mission, MissionStatus, VehicleFamily

pytestmark = pytest.mark.django_db


def listed_missions(html: str) -> list[str]:
    return re.findall(r'<tr id="mission-([\w-]+)"', html)


def listed_people(html: str) -> list[str]:
    return re.findall(r'<tr id="person-([\w-]+)"', html)


def options(html: str, name: str) -> list[str]:
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


# --- /missions/ ----------------------------------------------------------------------------------


def test_the_missions_index_is_a_full_page_with_every_mission(client):
    response = client.get("/missions/")
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<!DOCTYPE html>")
    assert "<h1>Missions</h1>" in html
    assert set(listed_missions(html)) == set(Mission.objects.values_list("slug", flat=True))
    # Not only cross-flights: Boeing's Crew Flight Test carries none.
    assert "boeing-crew-flight-test" in listed_missions(html)
    assert response["Vary"].count("HX-Request") == 1


def test_the_missions_list_is_served_as_a_fragment_to_htmx(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", family="soyuz-ms").content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="missions-list"')
    assert listed_missions(html) and all(slug.startswith("soyuz") for slug in listed_missions(html))


def test_no_missions_fragment_is_served_without_the_htmx_header(client):
    assert "<html" in client.get("/missions/", HTTP_HX_TARGET="missions-list").content.decode()


def test_the_family_filter_narrows_the_missions(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", family="starliner").content.decode()
    assert listed_missions(html) == ["boeing-crew-flight-test"]
    assert "1 mission matching these filters" in html


def test_the_year_filter_narrows_the_missions(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", year="2022").content.decode()
    expected = set(Mission.objects.filter(launch_at__year=2022).values_list("slug", flat=True))
    assert {"soyuz-ms-22", "spacex-crew-5"} <= expected
    assert set(listed_missions(html)) == expected


def test_status_and_agency_filters_combine(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", status="landed", agency="jaxa").content.decode()
    expected = set(
        Mission.objects.filter(status=MissionStatus.LANDED, seats__person__agency__slug="jaxa").values_list(
            "slug", flat=True
        )
    )
    assert expected and set(listed_missions(html)) == expected


def test_cross_flights_only_leaves_out_the_others(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", cross_flight="on").content.decode()
    listed = set(listed_missions(html))
    assert listed == set(Mission.objects.cross_flights().values_list("slug", flat=True))
    assert "boeing-crew-flight-test" not in listed


def test_the_unfiltered_list_does_not_claim_to_be_filtered(client):
    html = client.get("/missions/").content.decode()
    assert f"{Mission.objects.count()} missions</p>" in html and "matching these filters" not in html


def test_the_mission_filters_offer_every_status_and_only_families_with_flights(client, mission):
    VehicleFamily.objects.create(name="Dream Chaser", slug="dream-chaser", operator_id=1, seats=7)
    html = client.get("/missions/").content.decode()
    assert "cancelled" in options(html, "status")
    assert "dream-chaser" not in options(html, "family")
    assert "starliner" in options(html, "family")


def test_a_bad_mission_filter_is_ignored_with_a_message(client, htmx_get):
    html = htmx_get("/missions/", "missions-list", family="warp-drive").content.decode()
    assert 'role="alert"' in html and len(listed_missions(html)) == Mission.objects.count()


def test_the_missions_are_paged_newest_first_and_the_pager_keeps_the_filters(client, htmx_get):
    make_cross_flights(30)
    html = htmx_get("/missions/", "missions-list", family="soyuz-ms").content.decode()
    assert len(listed_missions(html)) == 25
    # Newest launch first; a flight with no launch date yet comes before every dated one.
    launches = dict(Mission.objects.filter(family__slug="soyuz-ms").values_list("slug", "launch_at"))
    shown = [launches[slug] for slug in listed_missions(html)]
    undated = [at for at in shown if at is None]
    assert shown[: len(undated)] == undated
    assert shown[len(undated) :] == sorted(shown[len(undated) :], reverse=True)
    assert 'href="?family=soyuz-ms&amp;page=2"' in html
    page_2 = htmx_get("/missions/", "missions-list", family="soyuz-ms", page="2").content.decode()
    assert not set(listed_missions(page_2)) & set(listed_missions(html))


@pytest.mark.parametrize("extra", [3, 300])
def test_missions_index_query_count_does_not_grow_with_the_record(
    client, django_assert_max_num_queries, extra, htmx_get
):
    make_cross_flights(extra)
    with django_assert_max_num_queries(10):
        assert client.get("/missions/", {"agency": "nasa", "page": "2"}).status_code == 200
    with django_assert_max_num_queries(7):
        assert htmx_get("/missions/", "missions-list", family="soyuz-ms").status_code == 200


# --- /people/ ------------------------------------------------------------------------------------


def test_the_people_index_is_a_full_page_sorted_by_days_in_space(client):
    response = client.get("/people/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>People</h1>" in html
    days = [int(cell) for cell in re.findall(r'<td class="num days">(\d+)</td>', html)]
    assert days == sorted(days, reverse=True) and days[0] > 300
    assert 'aria-sort="descending"' in html
    assert 'href="/people/francisco-rubio/"' in html


def test_the_people_list_is_served_as_a_fragment_to_htmx(client, htmx_get):
    html = htmx_get("/people/", "people-list", sort="name").content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="people-list"')
    names = listed_people(html)
    assert names == sorted(names)


def test_no_people_fragment_is_served_without_the_htmx_header(client):
    assert "<html" in client.get("/people/", {"sort": "name"}, HTTP_HX_TARGET="people-list").content.decode()


def test_people_sort_by_agency_and_by_flights(client, htmx_get):
    by_agency = htmx_get("/people/", "people-list", sort="agency").content.decode()
    agencies = re.findall(r'<span class="agency agency-[\w-]+">([^<]+)</span>', by_agency)
    assert len(set(agencies)) > 3 and agencies == sorted(agencies)
    by_flights = htmx_get("/people/", "people-list", sort="flights").content.decode()
    assert 'aria-sort="descending"' in by_flights and ">Flights <" in by_flights
    # The other columns are links that sort by them, keeping htmx on the same region.
    assert 'href="?sort=days"' in by_flights and 'hx-target="#people-list"' in by_flights


def test_an_unknown_sort_falls_back_to_days_in_space(client):
    assert client.get("/people/", {"sort": "shoe-size"}).status_code == 200


def test_rubio_is_marked_as_a_cross_flight_with_his_days(client):
    html = client.get("/people/", {"sort": "name"}).content.decode()
    row = html.split('id="person-francisco-rubio"', 1)[1].split("</tr>", 1)[0]
    assert "cross-flight" in row and "371" in row


@pytest.mark.parametrize("extra", [3, 300])
def test_people_index_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries, extra, htmx_get):
    make_cross_flights(extra)
    with django_assert_max_num_queries(5):
        assert client.get("/people/", {"sort": "flights", "page": "2"}).status_code == 200
    with django_assert_max_num_queries(5):
        assert htmx_get("/people/", "people-list", sort="agency").status_code == 200


# --- /vehicles/ ----------------------------------------------------------------------------------


def test_the_vehicles_index_lists_each_family_with_its_flights(client):
    html = client.get("/vehicles/").content.decode()
    assert "<h1>Vehicles</h1>" in html
    for family in VehicleFamily.objects.all():
        assert f'href="{family.get_absolute_url()}"' in html
    soyuz = html.split('id="vehicle-soyuz-ms"', 1)[1].split("</tr>", 1)[0]
    flights = Mission.objects.filter(family__slug="soyuz-ms").count()
    assert f'<td class="num">{flights}</td>' in soyuz


@pytest.mark.parametrize("extra", [3, 300])
def test_vehicles_index_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries, extra):
    make_cross_flights(extra)
    with django_assert_max_num_queries(2):
        assert client.get("/vehicles/").status_code == 200


# --- links to the indexes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "index"),
    [
        ("/missions/soyuz-ms-22/", "/missions/"),
        ("/people/francisco-rubio/", "/people/"),
        ("/vehicles/soyuz-ms/", "/vehicles/"),
    ],
)
def test_the_breadcrumbs_link_to_the_index(client, page, index):
    crumbs = client.get(page).content.decode().split('<p class="crumbs">', 1)[1].split("</p>", 1)[0]
    assert f'<a href="{index}">' in crumbs


def test_the_header_links_every_index_and_marks_the_current_one(client):
    html = client.get("/people/").content.decode()
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/missions/">Missions</a>' in nav and '<a href="/vehicles/">Vehicles</a>' in nav
    assert '<a href="/people/" aria-current="page">People</a>' in nav
