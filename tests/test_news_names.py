"""Missions and people under the other names the press gives them (issue 10, classes 6 and 7).

Every sentence here is written for the test; the index is the reference record's, as in
test_news_extract.py."""

import datetime as dt
import functools
import json
from dataclasses import replace

import pytest

from tests.test_news_extract import mentioned, reference_index, run
from tracker.news.extraction import KnownNames, Named, extract
from tracker.news.extraction.missions import Flight, infer_mission
from tracker.news.parse import parse_text
from tracker.record.reference_data import REFERENCE_DIR, split_nickname

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
    "text",
    ["Олег Валерьевич Кононенко вернулся.", "Поздравили Олега Валерьевича Кононенко.", "С Анной Юрьевной Кикиной."],
)
def test_a_russian_name_with_a_patronymic_inside(text):
    assert len(mentioned(text, "person", language="ru")) == 1


def test_a_surname_or_given_name_after_a_patronymic_is_still_the_person():
    text = "Олег Кононенко вернулся. Командир Олег Валерьевич рассказал, что Кононенко устал."
    assert mentioned(text, "person", language="ru") == {"Oleg Kononenko"}
    text = "Кононенко устал. Олег Валерьевич Кононенко вернулся."
    assert person_evidence(text, language="ru") == {"Oleg Kononenko": "Кононенко устал."}
    text = "Сергей Валерьевич Кононенко устал. Олег Кононенко вернулся."
    assert person_evidence(text, language="ru") == {"Oleg Kononenko": "Олег Кононенко вернулся."}


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


# --- the mission when it is not named -------------------------------------------------------

ENDEAVOUR, ENDURANCE = "Crew Dragon Endeavour", "Crew Dragon Endurance"
FLIGHTS = (
    Flight(
        "Soyuz A", "Soyuz MS", None, frozenset({"Ann Orbit", "Ivan Orbit"}), dt.date(2030, 3, 1), dt.date(2030, 9, 1)
    ),
    Flight("Soyuz B", "Soyuz MS", None, frozenset({"Petr Orbit"}), dt.date(2030, 9, 1), dt.date(2031, 3, 1)),
    Flight("Crew A", "Crew Dragon", ENDEAVOUR, frozenset({"Ann Orbit"}), dt.date(2030, 2, 1), dt.date(2030, 8, 1)),
    Flight("Crew B", "Crew Dragon", ENDURANCE, frozenset({"Bob Orbit"}), dt.date(2030, 8, 1), dt.date(2031, 2, 1)),
    Flight("Crew C", "Crew Dragon", ENDEAVOUR, frozenset({"Cy Orbit"}), dt.date(2032, 1, 1), None),
)


def test_the_crew_named_picks_their_flight_of_the_vehicle_named():
    assert infer_mission(FLIGHTS, family="Crew Dragon", people={"Ann Orbit"}) == "Crew A"
    assert infer_mission(FLIGHTS, family="Soyuz MS", people={"Ann Orbit"}) == "Soyuz A"


def test_a_soyuz_word_never_yields_a_crew_dragon_mission():
    assert infer_mission(FLIGHTS, family="Soyuz MS", people={"Bob Orbit"}) is None
    assert infer_mission(FLIGHTS, family="Soyuz MS", craft=ENDURANCE) is None


def test_a_vehicle_alone_or_nothing_at_all_is_no_mission():
    assert infer_mission(FLIGHTS, family="Crew Dragon") is None
    assert infer_mission(FLIGHTS, family=None, people={"Ann Orbit"}) is None


def test_a_craft_and_the_day_pick_the_flight_it_was_flying():
    assert infer_mission(FLIGHTS, family="Crew Dragon", craft=ENDEAVOUR, day=dt.date(2030, 7, 20)) == "Crew A"
    assert infer_mission(FLIGHTS, family="Crew Dragon", craft=ENDEAVOUR, day=dt.date(2032, 3, 1)) == "Crew C"
    assert infer_mission(FLIGHTS, family="Crew Dragon", craft=ENDURANCE) == "Crew B"  # it flew only once


def test_the_day_picks_among_a_crews_flights_and_a_vehicle_in_flight():
    assert infer_mission(FLIGHTS, family="Crew Dragon", day=dt.date(2030, 5, 1)) is None  # family alone
    two_trips = (*FLIGHTS, Flight("Crew D", "Crew Dragon", None, frozenset({"Ann Orbit"}), dt.date(2034, 1, 1)))
    assert infer_mission(two_trips, family="Crew Dragon", people={"Ann Orbit"}) is None
    assert infer_mission(two_trips, family="Crew Dragon", people={"Ann Orbit"}, day=dt.date(2030, 6, 1)) == "Crew A"


def test_a_crew_members_old_flight_is_not_the_one_a_later_story_means():
    assert infer_mission(FLIGHTS, family="Crew Dragon", people={"Ann Orbit"}, day=dt.date(2030, 3, 1)) == "Crew A"
    assert infer_mission(FLIGHTS, family="Crew Dragon", people={"Ann Orbit"}, day=dt.date(2036, 1, 1)) is None
    planned = (*FLIGHTS, Flight("Crew E", "Crew Dragon", None, frozenset({"Ann Orbit"})))
    assert infer_mission(planned, family="Crew Dragon", people={"Ann Orbit"}, day=dt.date(2036, 1, 1)) == "Crew E"


def test_an_undated_planned_flight_is_not_what_a_story_from_years_before_it_means():
    planned = (*FLIGHTS, Flight("Crew E", "Crew Dragon", None, frozenset({"Eve Orbit"})))
    assert infer_mission(planned, family="Crew Dragon", people={"Eve Orbit"}, day=dt.date(2031, 6, 1)) == "Crew E"
    assert infer_mission(planned, family="Crew Dragon", people={"Eve Orbit"}, day=dt.date(2029, 6, 1)) is None


def test_a_crew_assigned_to_a_vehicle_goes_on_its_next_flight_as_a_guess():
    """ "Will fly on Crew Dragon" with a crew the record has not placed: the vehicle's first
    flight after the article, believed no more than even odds; never a flight already flown."""
    index = KnownNames(
        missions=tuple(Named(flight.name) for flight in FLIGHTS),
        people=(Named("Zed Orbit"),),
        vehicles=(Named("Crew Dragon"), Named("Soyuz MS")),
        flights=FLIGHTS,
    )
    text = "NASA astronaut Zed Orbit will fly on Crew Dragon, the agency said."

    def assignment(published: dt.date):
        [event] = [e for e in extract(text, index=index, published=published).events if e.type == "crew_assignment"]
        return event

    assert assignment(dt.date(2030, 5, 1)).mission == "Crew B"
    assert assignment(dt.date(2031, 6, 1)).mission == "Crew C"
    assert 0 < assignment(dt.date(2031, 6, 1)).confidence <= 0.5
    assert assignment(dt.date(2033, 1, 1)).mission is None  # no Crew Dragon flight after it


def test_without_a_vehicle_word_the_crew_picks_among_the_missions_the_article_names():
    among = {"Soyuz A", "Crew B"}
    assert infer_mission(FLIGHTS, family=None, people={"Bob Orbit"}, among=among) == "Crew B"
    assert infer_mission(FLIGHTS, family=None, people={"Cy Orbit"}, among=among) is None


@functools.cache
def index_with_flights():
    flights = json.loads((REFERENCE_DIR / "flights.json").read_text())
    return replace(
        reference_index(),
        flights=tuple(
            Flight(
                name=f["mission"],
                family=f["vehicle_family"],
                craft=f"{f['vehicle_family']} {f['vehicle_name']}" if f["vehicle_name"] else None,
                crew=frozenset(
                    split_nickname(seat["name"])[0]
                    for other in flights
                    for seat in other["crew"]
                    if other is f or seat.get("returned_on") == f["mission"]
                ),
                launch=dt.date.fromisoformat(f["launch_date"]) if f["launch_date"] else None,
                landing=dt.date.fromisoformat(f["landing_date"]) if f["landing_date"] else None,
            )
            for f in flights
        ),
    )


def read(text: str, published: dt.date, language: str = "en"):
    return extract(text, index=index_with_flights(), published=published, language=language)


def test_an_article_that_names_only_the_craft_mentions_the_mission_it_was_flying():
    text = 'The four are to come home on Sept. 2 aboard SpaceX\'s Crew Dragon "Endeavour".'
    found = read(text, dt.date(2023, 8, 20))
    assert {m.name for m in found.mentions if m.kind == "mission"} == {"SpaceX Crew-6"}
    found = read(text, dt.date(2024, 8, 20))
    assert {m.name for m in found.mentions if m.kind == "mission"} == {"SpaceX Crew-8"}


def test_a_crew_member_on_the_dragon_mentions_the_mission_that_carried_her():
    found = read("A month later Anna Kikina rode to orbit on the Crew Dragon.", dt.date(2023, 1, 10))
    assert "SpaceX Crew-5" in {m.name for m in found.mentions if m.kind == "mission"}
    found = read("Анна Кикина полетела на станцию на корабле Crew Dragon.", dt.date(2023, 1, 10), "ru")
    assert "SpaceX Crew-5" in {m.name for m in found.mentions if m.kind == "mission"}


def test_a_soyuz_sentence_about_a_dragon_flyer_names_no_mission():
    found = read("Konstantin Borisov watched the Soyuz spacecraft launch.", dt.date(2023, 9, 15))
    assert {m.name for m in found.mentions if m.kind == "mission"} == set()


def test_an_event_of_the_spacecraft_takes_the_mission_of_its_crew():
    # Petelin went up on Soyuz MS-22 and came down on MS-23: the day tells them apart.
    found = read("Dmitry Petelin landed in the Soyuz spacecraft on Wednesday.", dt.date(2023, 9, 28))
    assert [(e.type, e.mission) for e in found.events] == [("landing", "Soyuz MS-23")]
    text = "Корабль «Союз» с Алексеем Овчининым и Иваном Вагнером отстыковался от станции вчера."
    found = read(text, dt.date(2025, 4, 20), "ru")
    assert {(e.type, e.mission) for e in found.events} == {("undocking", "Soyuz MS-26")}


def test_an_event_of_the_crew_alone_takes_the_mission_the_article_names_that_carried_them():
    text = "Crew-12 is commanded by Jessica Meir. Sophie Adenot will fly to the ISS as a mission specialist."
    found = read(text, dt.date(2026, 2, 1))
    assert ("crew_assignment", "SpaceX Crew-12", "Sophie Adenot") in {
        (e.type, e.mission, e.person) for e in found.events
    }


# --- English names written in Cyrillic ---------------------------------------------------------

LATIN_ONLY = KnownNames(
    people=(
        Named("Nick Hague"),
        Named("Sunita Williams", ("Suni Williams",)),
        Named("Christopher Williams"),
        Named("Francisco Rubio", ("Frank Rubio",)),
        Named("Konstantin Borisov"),
        Named("Anne McClain"),
        Named("Loral O'Hara"),
        Named("Satoshi Furukawa"),
    )
)


def cyrillic_people(text: str) -> dict[str, str]:
    found = extract(text, index=LATIN_ONLY, published=dt.date(2025, 3, 1), language="ru")
    return {m.name: m.evidence for m in found.mentions if m.kind == "person"}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Астронавт Ник Хейг вернулся на Землю.", "Nick Hague"),
        ("Сунита Уильямс вернулась на Землю.", "Sunita Williams"),
        ("Франциско Рубио вернулся на Землю.", "Francisco Rubio"),
        ("Фрэнк Рубио вернулся на Землю.", "Francisco Rubio"),
        ("Экипаж возглавила Энн Макклейн.", "Anne McClain"),
        ("Константин Борисов вернулся на Землю.", "Konstantin Borisov"),
        ("Лорал О’Хара вернулась на Землю.", "Loral O'Hara"),
        ("Сатоси Фурукава вернулся на Землю.", "Satoshi Furukawa"),
    ],
)
def test_a_latin_name_written_in_cyrillic_is_that_person_without_a_cyrillic_alias(text, person):
    assert set(cyrillic_people(text)) == {person}


def test_a_latin_name_written_in_cyrillic_in_its_case_forms():
    assert set(cyrillic_people("Поздравили Ника Хейга и Суниту Уильямс.")) == {"Nick Hague", "Sunita Williams"}
    assert set(cyrillic_people("Вместе с Ником Хейгом и Фрэнком Рубио.")) == {"Nick Hague", "Francisco Rubio"}


def test_a_cyrillic_name_that_only_sounds_close_is_nobody():
    assert cyrillic_people("Ник Хейгер и Энн Маклауд пришли на пресс-конференцию.") == {}


def test_a_cyrillic_surname_alone_counts_after_the_full_name_and_only_for_one_person():
    assert cyrillic_people("Макклейн предстоит реабилитация.") == {}
    assert cyrillic_people("Макклейн предстоит реабилитация. Энн Макклейн вернулась.") == {
        "Anne McClain": "Макклейн предстоит реабилитация."
    }
    both = "Сунита Уильямс и Кристофер Уильямс встретились. Уильямс рассказала о полете."
    assert set(cyrillic_people(both)) == {"Sunita Williams", "Christopher Williams"}
    assert "Уильямс рассказала" not in " ".join(cyrillic_people(both).values())


def test_a_cyrillic_official_with_a_cosmonauts_surname_is_not_the_cosmonaut():
    text = "Глава Роскосмоса Юрий Борисов выступил. Константин Борисов вернулся на Землю."
    assert cyrillic_people(text) == {"Konstantin Borisov": "Константин Борисов вернулся на Землю."}


def test_a_vehicle_word_alone_means_the_one_mission_of_that_family_the_article_names():
    among = {"Soyuz A", "Crew B"}
    assert infer_mission(FLIGHTS, family="Crew Dragon", among=among) == "Crew B"
    assert infer_mission(FLIGHTS, family="Crew Dragon", among={"Soyuz A"}) is None  # never across families
    assert infer_mission(FLIGHTS, family="Crew Dragon", among={"Crew A", "Crew B"}, day=dt.date(2030, 11, 1)) == (
        "Crew B"
    )


def test_a_craft_by_its_own_name_counts_once_the_article_names_it_with_its_family():
    text = 'The crew rode the Crew Dragon "Endurance". Endurance docked to Harmony.'
    found = run(text)
    assert [m.evidence for m in found.mentions if m.name == "Crew Dragon Endurance"] == [
        'The crew rode the Crew Dragon "Endurance".'
    ]
    assert mentioned("Endurance docked to Harmony. Freedom is a virtue.") == set()
    assert mentioned("The Endurance capsule docked to Harmony.", "vehicle") == {"Crew Dragon Endurance"}


def test_an_event_of_the_dragon_takes_the_one_crew_dragon_mission_the_story_names():
    text = "A Dragon spacecraft splashed down off Florida on Tuesday. Crew-7 had spent six months in orbit."
    found = read(text, dt.date(2024, 3, 12))
    assert ("landing", "SpaceX Crew-7") in {(e.type, e.mission) for e in found.events}
    text = "Корабль «Союз» приземлился в Казахстане во вторник. Экипаж Crew-7 ждет своей очереди."
    found = read(text, dt.date(2024, 3, 12), "ru")
    assert {e.mission for e in found.events if e.type == "landing"} == {None}


def test_an_event_of_a_craft_named_alone_takes_the_flight_it_was_flying():
    text = 'SpaceX\'s Crew Dragon "Endurance" lifted off on Saturday. Endurance docked to Harmony on Sunday.'
    found = read(text, dt.date(2023, 8, 26))
    assert {(e.type, e.mission) for e in found.events} >= {("docking", "SpaceX Crew-7")}
