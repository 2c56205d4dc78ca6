"""Missions and people under the other names the press gives them (issue 10, classes 6 and 7).

Every sentence here is written for the test; the index is the reference record's, as in
test_news_extract.py."""

import datetime as dt

import pytest

from tests.test_news_extract import mentioned, run
from tracker.news.parse import parse_text

# --- articles that an excerpt breaks off ----------------------------------------------------


def test_a_paragraph_that_an_excerpt_breaks_off_is_still_part_of_the_article():
    body = "\n".join(
        [
            "The crew of the station spent the week on experiments and on maintenance of the toilet.",
            "The next crew will arrive in the autumn, bringing cosmonauts Ivan Vagner and […]",
        ]
    )
    entry, _ = parse_text(f"DATE: 2024-06-01\n\n{body}", default_url="x")
    assert "Ivan Vagner" in entry.text
    assert "Ivan Vagner" in mentioned(entry.text, "person", published=dt.date(2024, 6, 1))


def test_a_russian_paragraph_broken_off_with_three_dots_is_kept_too():
    body = "\n".join(
        [
            "Экипаж станции всю неделю проводил эксперименты и занимался обслуживанием систем.",
            "На станции работу продолжают космонавты Олег Кононенко, Николай Чуб и [...]",
        ]
    )
    entry, _ = parse_text(f"DATE: 2024-06-01\n\n{body}", default_url="x")
    assert mentioned(entry.text, "person", language="ru") == {"Oleg Kononenko", "Nikolai Chub"}


# --- people by other forms of their names ----------------------------------------------------


def person_evidence(text: str, **kwargs) -> dict[str, str]:
    return {m.name: m.evidence for m in run(text, **kwargs).mentions if m.kind == "person"}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ('Barry "Butch" Wilmore waved from the hatch.', "Barry Wilmore"),
        ("Francisco (Frank) Rubio waved from the hatch.", "Francisco Rubio"),
        ("Warren 'Woody' Hoburg waved from the hatch.", "Warren Hoburg"),
    ],
)
def test_a_nickname_between_given_name_and_surname_still_names_the_person(text, person):
    assert mentioned(text, "person") == {person}


def test_a_russian_nickname_in_guillemets_still_names_the_person():
    assert mentioned("Сунита «Суни» Уильямс помахала рукой.", "person", language="ru") == {"Sunita Williams"}


def test_a_given_name_or_nickname_alone_counts_once_the_full_name_has_appeared():
    text = "Suni Williams and Butch Wilmore waited for months. In the end Butch and Suni flew home on Dragon."
    found = person_evidence(text)
    assert set(found) == {"Sunita Williams", "Barry Wilmore"}
    assert mentioned("In the end Butch and Suni flew home.") == set()


def test_a_given_name_followed_by_another_surname_is_someone_else():
    text = "Frank Sinatra sang about the moon. Frank Rubio came home after a year."
    assert person_evidence(text) == {"Francisco Rubio": "Frank Rubio came home after a year."}
    assert mentioned("Don't wait for Don Pettit.") == {"Donald Pettit"}
    assert person_evidence("Don't count on it. Don Pettit flew.") == {"Donald Pettit": "Don Pettit flew."}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Jon Kim spoke to reporters.", "Jonathan Kim"),
        ("Jess Meir spoke to reporters.", "Jessica Meir"),
        ("Jasmine Moghbeli spoke to reporters.", "Jasmin Moghbeli"),
        ("Aleksei Ovchinin spoke to reporters.", "Alexey Ovchinin"),
        ("Sergei Mikayev spoke to reporters.", "Sergey Mikaev"),
    ],
)
def test_short_forms_and_other_latin_spellings_of_given_names(text, person):
    assert mentioned(text, "person") == {person}


def test_a_double_surname_given_in_part():
    assert mentioned("Tracy Caldwell spoke to reporters.", "person") == {"Tracy Caldwell Dyson"}
    assert mentioned("Sultan Neyadi spoke to reporters.", "person") == {"Sultan AlNeyadi"}
    text = "Sergey Kud-Sverchkov commands the ship. Sverchkov said the crew was ready."
    assert person_evidence(text) == {"Sergey Kud-Sverchkov": "Sergey Kud-Sverchkov commands the ship."}
    assert "Sverchkov said" in run("Sverchkov said so. Sergey Kud-Sverchkov commands.").mentions[0].evidence


def test_a_russian_surname_alone_in_a_case_form_after_the_full_name():
    text = "Дмитрий Петелин вернулся на Землю. Вместе с Петелиным вернулся и Прокопьев."
    assert mentioned(text, "person", language="ru") == {"Dmitry Petelin"}
    text = "Сверчкову предстоит долгий полет. Экипаж возглавит Сергей Кудь-Сверчков."
    assert person_evidence(text, language="ru") == {"Sergey Kud-Sverchkov": "Сверчкову предстоит долгий полет."}


@pytest.mark.parametrize(
    "official",
    [
        "Roscosmos chief Yuri Borisov praised the crew.",
        "The head of Roscosmos, Borisov, praised the crew.",
        "Roscosmos Director General Borisov praised the crew.",
        "Yuri Borisov praised the crew.",
    ],
)
def test_an_official_who_shares_a_surname_with_a_crew_member_is_not_that_crew_member(official):
    text = f"{official} Konstantin Borisov flew on Crew-7."
    assert person_evidence(text) == {"Konstantin Borisov": "Konstantin Borisov flew on Crew-7."}


@pytest.mark.parametrize(
    "official",
    [
        "Глава Роскосмоса Юрий Борисов похвалил экипаж.",
        "Генеральный директор Роскосмоса Борисов похвалил экипаж.",
        "Юрий Борисов похвалил экипаж.",
    ],
)
def test_a_russian_official_who_shares_a_surname_is_not_the_cosmonaut(official):
    text = f"{official} Константин Борисов полетел на Crew-7."
    assert person_evidence(text, language="ru") == {"Konstantin Borisov": "Константин Борисов полетел на Crew-7."}


def test_a_cosmonaut_named_by_title_and_surname_is_still_the_cosmonaut():
    text = "Konstantin Borisov trained for months. Cosmonaut Borisov said he was ready."
    assert mentioned(text, "person") == {"Konstantin Borisov"}
