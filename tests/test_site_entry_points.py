"""What a visitor reaches for besides the pages: the 404 page, /api/ as the API's index,
/favicon.ico, and filters that offer only values that can match."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tracker.api.api import api
from tracker.record.models import Agency, VehicleFamily

pytestmark = pytest.mark.django_db


def test_an_unknown_page_gets_the_sites_own_404_page(client):
    response = client.get("/missions/nope/")
    html = response.content.decode()
    assert response.status_code == 404
    assert html.startswith("<!DOCTYPE html>") and "<h1>Page not found</h1>" in html
    assert '<code class="error-path">/missions/nope/</code>' in html
    assert 'href="/missions/"' in html and 'href="/people/"' in html and 'action="/search/"' in html


def test_the_404_page_escapes_the_address_it_names(client):
    html = client.get("/<script>alert(1)</script>/").content.decode()
    assert "<script>alert(1)" not in html
    assert '<code class="error-path">/%3Cscript%3Ealert%281%29%3C/script%3E/</code>' in html


def test_the_api_root_lists_every_endpoint_with_links_to_the_docs_and_schema(client):
    response = client.get("/api/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    index = response.json()
    assert index["docs"] == "http://testserver/api/docs"
    assert index["openapi"] == "http://testserver/api/openapi.json"
    schema_paths = set(api.get_openapi_schema(path_prefix="/api/")["paths"]) - {"/api/"}
    listed = {endpoint["path"] for endpoint in index["endpoints"]}
    assert listed == schema_paths and "/api/missions/{slug}" in listed
    missions = next(endpoint for endpoint in index["endpoints"] if endpoint["path"] == "/api/missions")
    assert missions["url"] == "http://testserver/api/missions" and missions["methods"] == ["GET"]
    assert missions["description"].startswith("Every mission")
    assert client.get(missions["url"]).status_code == 200


def test_the_api_root_answers_conditional_requests(client):
    etag = client.get("/api/")["ETag"]
    assert client.get("/api/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/record/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("record/favicon.svg")
    assert icon and Path(icon).read_text(encoding="utf-8").startswith("<svg")


def test_the_dashboard_offers_no_vehicle_family_without_cross_flights(client):
    VehicleFamily.objects.create(
        name="Dream Chaser", slug="dream-chaser", operator=Agency.objects.get(slug="nasa"), seats=7
    )
    html = client.get("/").content.decode()
    select = html.split('name="family"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]*)"', select)
    assert offered == ["", "crew-dragon", "soyuz-ms"]  # not Starliner (no cross-flight), nor Dream Chaser


def test_the_dashboard_offers_each_launch_year_once(client):
    html = client.get("/").content.decode()
    select = html.split('name="year"', 1)[1].split("</select>", 1)[0]
    years = re.findall(r'<option value="(\d+)"', select)
    assert years and len(years) == len(set(years))


def test_the_news_page_does_not_promise_links_it_does_not_have(client):
    html = client.get("/news/").content.decode()
    assert "Titles lead to the publisher’s page" not in html
    assert "A title shown as a link leads to the publisher’s page" in html
