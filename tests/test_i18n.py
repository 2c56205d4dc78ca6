"""The product in both parties' languages: how a reader gets theirs, and that the page cache
never serves one language's page to the other."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_russian_gets_the_page_in_russian(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="ru"' in html
    assert "<strong>Смена экипажей МКС</strong>" in html and "Перейти к содержанию" in html
    assert "Skip to content" not in html


def test_english_is_the_default_and_for_any_language_we_do_not_have(client):
    for header in ("", "en-US,en;q=0.9", "de-DE,de;q=0.9"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
        assert '<html lang="en"' in html, header
        assert "<strong>ISS crew rotations</strong>" in html


def test_the_switch_in_the_header_posts_to_set_language_and_names_the_other_language(client):
    html = client.get("/missions/").content.decode()
    assert '<form class="language-switch" action="/i18n/setlang/" method="post">' in html
    assert '<input type="hidden" name="next" value="/missions/">' in html
    assert 'name="language" value="ru" lang="ru"' in html and ">Русский</button>" in html
    russian = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'name="language" value="en" lang="en"' in russian and ">English</button>" in russian


def test_the_chosen_language_is_remembered_in_a_cookie_over_the_browsers_own(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/missions/"})
    assert response.status_code == 302 and response["Location"] == "/missions/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "ru" and cookie["max-age"] == 365 * 24 * 3600 and cookie["samesite"] == "Lax"
    html = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ru"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_the_switch_refuses_to_send_the_reader_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_page_cache_keeps_one_copy_per_language(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en"' in english and '<html lang="ru"' in russian
    # Both copies are now cached: each language still gets its own, whichever came first.
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ru"' in client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    client.cookies["django_language"] = "ru"
    assert '<html lang="ru"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_cached_pages_tell_shared_caches_they_vary_by_language(client):
    response = client.get("/missions/")
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_people_have_the_cyrillic_name_russian_readers_know(person):
    assert person("Francisco Rubio").name_ru == "Фрэнк Рубио"  # catalog.json says which of his two
    assert person("Anna Kikina").name_ru == "Анна Кикина"  # the first full Cyrillic name, not "Кикина"
    assert person("Koichi Wakata").name_ru == "Коити Ваката"


def test_names_follow_the_readers_language(person, mission):
    from django.utils import translation

    rubio, ms22, crew5 = person("Francisco Rubio"), mission("Soyuz MS-22"), mission("SpaceX Crew-5")
    with translation.override("ru"):
        assert (rubio.reader_name, ms22.reader_name, crew5.reader_name) == (
            "Фрэнк Рубио",
            "Союз МС-22",
            "SpaceX Crew-5",
        )
    with translation.override("en"):
        assert (rubio.reader_name, ms22.reader_name) == ("Francisco Rubio", "Soyuz MS-22")
