"""The index pages, the agreement, the seat-swap ledger, the timeline and the expeditions in
Russian: real Russian output (plural forms, months, names in Cyrillic, the ledger's headings)
and English pages as they were."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import ngettext

from tests.pages import page_html, visible_text
from tracker.record.expeditions import Membership

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
SVG = "{http://www.w3.org/2000/svg}"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def russian(client, url: str) -> str:
    return page_html(client, url, language="ru")


def english(client, url: str) -> str:
    return page_html(client, url, language="en")


# --- Plural forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "flights", "days"),
    [
        (1, "1 полёт", "1 день"),
        (2, "2 полёта", "2 дня"),
        (3, "3 полёта", "3 дня"),
        (5, "5 полётов", "5 дней"),
        (11, "11 полётов", "11 дней"),
        (21, "21 полёт", "21 день"),
        (22, "22 полёта", "22 дня"),
    ],
)
def test_counts_take_the_russian_plural_forms(number, flights, days):
    with translation.override("ru"):
        assert ngettext("%(flights)s flight", "%(flights)s flights", number) % {"flights": number} == flights
        assert ngettext("%(days)s day", "%(days)s days", number) % {"days": number} == days


def test_the_vehicle_page_counts_each_crafts_flights_in_russian(client):
    html = russian(client, "/vehicles/crew-dragon/")
    assert '<em lang="en">Endurance</em> — 3 полёта' in html
    assert re.search(r"<dt>Обычная длительность полёта</dt><dd>245 дней</dd>", html)
    assert "<h1" in html and '<h1 lang="en">Crew Dragon</h1>' in html
    # Soyuz MS is written as the Russian press writes it.
    assert "<h1>Союз МС</h1>" in russian(client, "/vehicles/soyuz-ms/")


def test_the_missions_and_people_counts_in_russian(client):
    people = visible_text(russian(client, "/people/"))
    assert re.search(r"\b\d+ человека?, по дням в космосе · страница 1 из 2", people)
    missions = visible_text(russian(client, "/missions/?status=planned"))
    count = int(re.search(r"(\d+) мисси[яий] по этим фильтрам", missions).group(1))
    word = ngettext_ru("%(counter)s mission", "%(counter)s missions", count).split(" ", 1)[1]
    assert f"{count} {word} по этим фильтрам" in missions


def ngettext_ru(singular: str, plural: str, number: int) -> str:
    with translation.override("ru"):
        return ngettext(singular, plural, number) % {"counter": number}


@time_machine.travel(TODAY, tick=False)
def test_the_timeline_says_days_and_months_in_russian(client):
    svg = russian(client, "/timeline.svg")
    root = ET.fromstring(svg.encode())
    today = root.find(f".//{SVG}g[@class='today']/{SVG}text")
    assert today.text == "сегодня, 25 ноября 2026"
    titles = ["".join(title.itertext()) for title in root.iter(f"{SVG}title")]
    # Rubio: 371 days, up on Soyuz MS-22 and home on MS-23.
    assert "Фрэнк Рубио (NASA): туда — Союз МС-22, обратно — Союз МС-23, 371 день" in titles
    assert any(re.search(r"\(Roscosmos\): корабль SpaceX Crew-5, 158 дней$", t) for t in titles)
    # Names the Russian press keeps in Latin say they are English.
    assert '<tspan lang="en">SpaceX Crew-5</tspan>' in svg
    # The key is in Russian and its items do not run into each other.
    legend = root.find(f".//{SVG}g[@class='legend']")
    labels = [(float(text.get("x")), text.text) for text in legend.iter(f"{SVG}text")]
    assert [label for _, label in labels][:2] == ["полёт", "перекрёстный полёт"]
    starts = [x for x, _ in labels]
    assert starts == sorted(starts)
    for (x, label), (next_x, _) in zip(labels, labels[1:], strict=False):
        assert x + 6 * len(label) < next_x - 18, label


@time_machine.travel(TODAY, tick=False)
def test_the_timeline_page_lists_stays_with_russian_dates(client):
    html = russian(client, "/timeline/")
    assert "<h1>Кто и когда был на борту</h1>" in html
    assert "Экипажи МКС по данным записи, сегодня, 25 ноября 2026 (UTC)." in html
    stays = visible_text(html)
    assert "Фрэнк Рубио" in stays
    assert re.search(r"туда: Союз МС-22, 21 сентября 2022; обратно: Союз МС-23, 27 сентября 2023: 371 день", stays)


# --- The ledger -----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_ledger_in_russian(client):
    html = russian(client, "/agreement/ledger/")
    assert "<h1>Баланс перекрёстных полётов</h1>" in html
    assert '<h2 id="ledger-total-heading">Всего на <time datetime="2026-11-25">25 ноября 2026</time></h2>' in html
    assert '<h2 id="ledger-documents-heading">По документам соглашения</h2>' in html
    assert '<h2 id="ledger-seats-heading">Все места</h2>' in html
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headings[:8] == [
        "Сторона",
        "Предоставлено мест",
        "Предоставлено человеко-дней",
        "Использовано мест",
        "Использовано человеко-дней",
        "Баланс, места",
        "Баланс, человеко-дни",
        "Предстоит: предоставить · использовать",
    ]
    assert "1549 человеко-дней" in html and "(1 ещё на орбите)" in html
    # The documents by their Russian titles; the chart's bars and rows in Russian.
    assert "Исходное соглашение (июль 2022)" in html and "Original agreement" not in html
    assert ">Корабли NASA</text>" in html and "8 мест · 1549 дней · 1 в планах" in html
    assert "Анна Кикина" in html


# --- The other pages ------------------------------------------------------------------------


def test_the_people_index_shows_names_in_cyrillic(client):
    html = russian(client, "/people/?sort=days")
    assert ">Фрэнк Рубио</a>" in html and ">Анна Кикина</a>" in html
    headings = re.findall(r'<th scope="col"[^>]*>\s*(?:<span class="sorted">|<a [^>]*>)([^<]+?)\s*<', html)
    # Soft hyphens let the long Russian words break on a phone.
    assert [heading.replace("\u00ad", "") for heading in headings] == ["Имя", "Агентство", "Дней в космосе", "Полёты"]
    # Sorted by name as the reader reads the names: Cyrillic, А to Я.
    by_name = russian(client, "/people/?sort=name")
    names = re.findall(r'<th scope="row"><a href="/people/[^"]+/">([^<]+)</a>', by_name)
    assert names[0].startswith("А") and names == sorted(names)


def test_the_agreement_and_expeditions_in_russian(client):
    html = russian(client, "/agreement/")
    assert "<h1>Соглашение о перекрёстных полётах</h1>" in html
    assert "Дополнение 2: перекрёстные полёты до конца 2025" in html
    assert "<dt>Выполнено полётов</dt><dd>7 из 7</dd>" in html
    assert 'Союз МС-29<span class="visually-hidden">: ещё предстоит</span>' in html
    assert '<span lang="en">SpaceX Crew-5</span>' in html
    expeditions = visible_text(russian(client, "/expeditions/"))
    assert "Экспедиция 68" in expeditions and "Фрэнк Рубио" in expeditions
    with translation.override("ru"):
        assert Membership((67, 68, 69)).label == "Экспедиции 67–69"
        assert Membership((75,), frozenset({75})).label == "Экспедиция 75 (ожидается)"


# --- English pages stay as they were --------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/missions/", "/people/", "/vehicles/", "/vehicles/crew-dragon/", "/agreement/", "/expeditions/"]
)
def test_english_pages_have_no_russian_and_no_added_marks(client, url):
    html = english(client, url)
    assert '<html lang="en"' in html
    body = html.split("<main", 1)[1]
    # The language switch offers Русский in the header; the page itself says nothing in Russian,
    # and marks nothing as English (it all is).
    assert not CYRILLIC.search(body), url
    assert 'lang="en"' not in body, url


@time_machine.travel(TODAY, tick=False)
def test_english_ledger_and_timeline_are_unchanged(client):
    html = english(client, "/agreement/ledger/")
    assert "<h1>The seat-swap ledger</h1>" in html
    assert "In total, <time" in html and ">2026-11-25</time>" in html
    assert '<th scope="col">Person-days given</th>' in html
    assert ">NASA vehicles</text>" in html and "8 seats · 1549 days · 1 to fly" in html
    assert 'aria-label="Francisco Rubio (NASA): up on Soyuz MS-22, home on Soyuz MS-23, 371 days"' in html
    svg = english(client, "/timeline.svg")
    root = ET.fromstring(svg.encode())
    assert root.find(f".//{SVG}g[@class='today']/{SVG}text").text == "today 2026-11-25"
    legend = [(text.get("x"), text.text) for text in root.find(f".//{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend[:2] == [("30", "flown"), ("102", "cross-flight seat")]
    assert not CYRILLIC.search(svg)
    people = english(client, "/people/")
    assert ">Francisco Rubio</a>" in people
    assert re.search(r"\d+ people, by days in space · page 1 of 2", people)
