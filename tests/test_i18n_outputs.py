"""The outputs in both languages: the Atom and calendar feeds and the API put their words in
the language of `?lang=` (which wins) or Accept-Language, keep their data (UIDs, ids, dates,
links, categories, codes) the same in every language, and never serve one language's cached
copy to the other; search and the news page show people and missions as a Russian reader
writes them."""

import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from tracker.news.models import ProposedUpdate
from tracker.news.proposals import accept_proposal
from tracker.news.services import poll_sources_now

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CALENDAR = "/feeds/crew-events.ics?mission=soyuz-ms-22"


@pytest.fixture
def newsroom(db, editor):
    """The sample news read, and one of its proposals accepted: articles and an update."""
    poll_sources_now(name="Sample news (offline)")
    accept_proposal(proposal=ProposedUpdate.objects.filter(kind="launch").first(), user=editor)


def atom(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.content)


def feed_title(feed: ET.Element) -> str:
    return feed.find(f"{ATOM}title").text


def entry_data(feed: ET.Element) -> list[tuple]:
    """What a feed reader keys and files entries by: ids, links, dates, categories."""
    return [
        (
            entry.find(f"{ATOM}id").text,
            [link.get("href") for link in entry.findall(f"{ATOM}link")],
            entry.find(f"{ATOM}updated").text,
            [category.get("term") for category in entry.findall(f"{ATOM}category")],
        )
        for entry in feed.findall(f"{ATOM}entry")
    ]


# --- Atom -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "english", "russian"),
    [
        ("/feeds/news.atom", "ISS crew rotations: news", "Смена экипажей МКС: новости"),
        ("/feeds/updates.atom", "ISS crew rotations: updates to the record", "Смена экипажей МКС: изменения в записи"),
    ],
)
def test_an_atom_feed_is_titled_in_russian_with_lang_ru_or_accept_language_ru(client, newsroom, url, english, russian):
    english_feed = atom(client.get(url))
    by_parameter = atom(client.get(f"{url}?lang=ru"))
    by_header = atom(client.get(url, HTTP_ACCEPT_LANGUAGE="ru"))
    assert feed_title(english_feed) == english
    assert feed_title(by_parameter) == russian and feed_title(by_header) == russian
    assert by_parameter.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert "Трекер смены экипажей МКС" in by_parameter.find(f"{ATOM}author").find(f"{ATOM}name").text
    # The entries are the same entries in both languages.
    assert entry_data(english_feed) and entry_data(by_parameter) == entry_data(english_feed)
    assert entry_data(by_header) == entry_data(english_feed)


def test_a_missions_news_feed_names_the_mission_as_a_russian_reader_writes_it(client, newsroom):
    feed = atom(client.get("/feeds/news.atom?mission=soyuz-ms-22&lang=ru"))
    assert feed_title(feed) == "Смена экипажей МКС: новости о миссии Союз МС-22"


def test_an_explicit_lang_wins_over_accept_language_and_an_unknown_one_is_english(client, newsroom):
    assert feed_title(atom(client.get("/feeds/news.atom?lang=en", HTTP_ACCEPT_LANGUAGE="ru"))) == (
        "ISS crew rotations: news"
    )
    assert feed_title(atom(client.get("/feeds/news.atom?lang=de", HTTP_ACCEPT_LANGUAGE="ru"))) == (
        "ISS crew rotations: news"
    )
    assert feed_title(atom(client.get("/feeds/news.atom?lang=RU"))) == "Смена экипажей МКС: новости"


# --- The calendar -------------------------------------------------------------------------------


def events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def event_data(event: icalendar.Event) -> tuple:
    def value(name):
        prop = event.get(name)
        return None if prop is None else prop.to_ical()

    return tuple(value(name) for name in ("DTSTART", "DTEND", "STATUS", "CATEGORIES", "URL", "SEQUENCE", "TRANSP"))


def test_calendar_summaries_are_russian_and_the_events_are_the_same_events(client):
    english = events(client.get(CALENDAR))
    by_parameter = events(client.get(f"{CALENDAR}&lang=ru"))
    by_header = events(client.get(CALENDAR, HTTP_ACCEPT_LANGUAGE="ru"))
    launch = "mission-%s-launch@iss-crew-tracker.invalid"
    uid = next(uid for uid in english if re.fullmatch(launch % r"\d+", uid))
    assert str(english[uid]["SUMMARY"]).startswith("Launch: Soyuz MS-22 (Rubio")
    assert str(by_parameter[uid]["SUMMARY"]).startswith("Запуск: Союз МС-22 (Рубио")
    assert str(by_header[uid]["SUMMARY"]) == str(by_parameter[uid]["SUMMARY"])
    assert "Фрэнк Рубио" in str(by_parameter[uid]["DESCRIPTION"])
    assert "Место старта:" in str(by_parameter[uid]["DESCRIPTION"])
    # The same UIDs, times, STATUS, CATEGORIES and links: a subscriber keeps the same events.
    assert set(by_parameter) == set(english) == set(by_header)
    for key, event in english.items():
        assert event_data(by_parameter[key]) == event_data(event), key
    docking = uid.replace("-launch@", "-docking@")
    assert str(by_parameter[docking]["SUMMARY"]).startswith("Стыковка: Союз МС-22")
    assert str(by_parameter[docking]["LOCATION"]) == "Международная космическая станция"


def test_the_calendars_name_is_russian_with_the_filters_in_the_readers_script(client):
    calendar = icalendar.Calendar.from_ical(client.get(f"{CALENDAR}&lang=ru").content)
    assert str(calendar["X-WR-CALNAME"]) == "Перекрёстные полёты на МКС · Союз МС-22"
    english = icalendar.Calendar.from_ical(client.get(CALENDAR).content)
    assert str(english["X-WR-CALNAME"]) == "ISS cross-flights · Soyuz MS-22"


# --- The API ----------------------------------------------------------------------------------

# The fields that put something in words; every other field is the same in every language.
HUMAN_READABLE = {"display", "summary", "by", "reason", "what", "old", "new", "detail"}


def without_words(value):
    if isinstance(value, dict):
        return {key: without_words(item) for key, item in value.items() if key not in HUMAN_READABLE}
    if isinstance(value, list):
        return [without_words(item) for item in value]
    return value


def words(value, found=None) -> list:
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key in HUMAN_READABLE and isinstance(item, str):
                found.append(item)
            else:
                words(item, found)
    elif isinstance(value, list):
        for item in value:
            words(item, found)
    return found


def test_an_api_response_in_russian_differs_from_the_english_only_in_its_words(client):
    english = client.get("/api/missions/soyuz-ms-22")
    russian = client.get("/api/missions/soyuz-ms-22?lang=ru")
    assert english["Content-Language"] == "en" and russian["Content-Language"] == "ru"
    assert "Accept-Language" in russian["Vary"]
    english, russian = english.json(), russian.json()
    assert russian["events"]["launch"]["display"] == "21 сентября 2022"
    assert english["events"]["launch"]["display"] == "2022-09-21"
    assert without_words(russian) == without_words(english)
    # Names are data: the record's spelling in every language; JSON field names unchanged.
    assert russian["name"] == "Soyuz MS-22" and set(russian) == set(english)
    assert client.get("/api/missions/soyuz-ms-22", HTTP_ACCEPT_LANGUAGE="ru").json() == russian


def test_the_api_lists_and_updates_keep_their_data_in_russian(client, newsroom):
    for url in ("/api/missions?limit=20", "/api/updates", "/api/aboard-now", "/api/people?limit=5"):
        english = client.get(url).json()
        russian = client.get(url, {"lang": "ru"} if "?" not in url else None, HTTP_ACCEPT_LANGUAGE="ru").json()
        assert without_words(russian) == without_words(english), url


def test_the_api_index_and_docs_are_in_russian(client):
    index = client.get("/api/?lang=ru").json()
    assert index["title"] == "API трекера смены экипажей МКС"
    assert "перекрёстных полётах" in index["description"]
    missions = next(endpoint for endpoint in index["endpoints"] if endpoint["path"] == "/api/missions")
    assert missions["summary"] == "Список миссий"
    english = client.get("/api/").json()
    assert english["title"] == "ISS crew rotation tracker API"
    assert next(e for e in english["endpoints"] if e["path"] == "/api/missions")["summary"] == "List Missions"
    assert [e["path"] for e in english["endpoints"]] == [e["path"] for e in index["endpoints"]]
    schema = client.get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert schema["info"]["title"] == "API трекера смены экипажей МКС"
    assert "Экспедиции МКС" in schema["paths"]["/api/expeditions"]["get"]["description"]
    english_schema = client.get("/api/openapi.json").json()
    assert english_schema["info"]["title"] == "ISS crew rotation tracker API"


# --- No cached copy crosses languages -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/feeds/news.atom", "/feeds/updates.atom", CALENDAR, "/api/missions/soyuz-ms-22", "/api/", "/api/updates"],
)
def test_a_cached_copy_is_never_served_in_the_other_language(client, newsroom, url):
    """Fetched in English, then Russian, then English again (each from the cache the first
    request filled): each language gets its own copy, by header and by ?lang= alike."""
    first = client.get(url).content
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content
    again = client.get(url).content
    separator = "&" if "?" in url else "?"
    by_parameter = client.get(f"{url}{separator}lang=ru").content
    english_by_parameter = client.get(f"{url}{separator}lang=en", HTTP_ACCEPT_LANGUAGE="ru").content
    assert russian != first
    assert again == first
    assert by_parameter == russian
    assert english_by_parameter == first
    assert re.search("[а-яё]", russian.decode(), re.IGNORECASE)
    assert not re.search("Смена экипажей|Запуск:|Список миссий|сентября", again.decode())


# --- Search and the news page ------------------------------------------------------------------


def test_search_finds_kikina_and_shows_her_name_in_cyrillic_on_the_russian_page(client):
    russian = client.get("/search/?q=Кикина", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    people = russian[russian.index('id="results-people"') :].split("</section>", 1)[0]
    assert re.search(r'<a class="search-hit-title" href="/people/anna-kikina/">Анна <mark>Кикина</mark></a>', people)
    # Found by her canonical spelling too, which then shows as the other spelling.
    latin = client.get("/search/?q=Kikina", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    people = latin[latin.index('id="results-people"') :].split("</section>", 1)[0]
    assert "Анна Кикина</a>" in people and "также пишется" in people.lower()
    # The English page, asked right after, still shows her canonical name (the searchable record is per language).
    english = client.get("/search/?q=Кикина").content.decode()
    people = english[english.index('id="results-people"') :].split("</section>", 1)[0]
    assert '<a class="search-hit-title" href="/people/anna-kikina/">Anna Kikina</a>' in people


def test_search_shows_missions_and_rubio_as_a_russian_reader_writes_them(client):
    russian = client.get("/search/?q=Rubio", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Фрэнк Рубио" in russian
    dropdown = client.get(
        "/search/?q=MS-22", HTTP_ACCEPT_LANGUAGE="ru", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-suggestions"
    ).content.decode()
    assert "Союз МС-22" in dropdown
    assert "Soyuz <mark>MS-22</mark>" in client.get("/search/?q=MS-22").content.decode()


def test_the_russian_news_page_marks_each_article_with_its_language(client, newsroom):
    html = client.get("/news/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru"' in html
    articles = re.findall(r'<article aria-labelledby="article-\d+" lang="(\w+)">', html)
    assert articles and set(articles) <= {"en", "ru"}
    assert "Союз МС-" in html  # the missions' chips in the reader's script
    assert re.search(r"\d+ стат(ья|ьи|ей)", html)


def test_json_of_the_api_is_utf8_and_unescaped_in_russian(client):
    body = client.get("/api/missions/soyuz-ms-22?lang=ru").content.decode()
    assert "сентября" in body and "\\u0441" not in json.dumps(json.loads(body), ensure_ascii=False)
