"""The pure extraction step: text and the names the extractor knows (KnownNames) in, mentions and events out.

No database: the known names are built straight from the reference files, the way
tracker/record/reference_data.py turns them into the record (nicknames split off into
aliases, catalog aliases added, craft named with their family)."""

import datetime as dt
import functools
import json
from pathlib import Path

import pytest

from tracker.lib.fuzzy_dates import Precision
from tracker.news.extraction import (
    Event,
    KnownNames,
    Named,
    detect_language,
    extract,
    find_publication_date,
    split_sentences,
)
from tracker.record.reference_data import REFERENCE_DIR, split_nickname

SEED = Path(__file__).resolve().parent / "data" / "seed-urdupoint-2022-09-29.txt"  # copy of the seed page
SEED_PUBLISHED = dt.date(2022, 9, 29)  # a Thursday


@functools.cache
def reference_index() -> KnownNames:
    catalog = json.loads((REFERENCE_DIR / "catalog.json").read_text())
    flights = [*catalog["extra_flights"], *json.loads((REFERENCE_DIR / "flights.json").read_text())]
    people: dict[str, list[str]] = {}
    for flight in flights:
        for seat in [*flight["crew"], *flight.get("return_crew_from_other_flights", [])]:
            name, nicknames = split_nickname(seat["name"])
            aliases = people.setdefault(name, [])
            for alias in [*nicknames, *catalog["people"].get(name, {}).get("aliases", [])]:
                if alias not in aliases:
                    aliases.append(alias)
    vehicles = [family["name"] for family in catalog["vehicle_families"]]
    for flight in flights:
        craft = f"{flight['vehicle_family']} {flight['vehicle_name']}"
        if flight["vehicle_name"] and craft not in vehicles:
            vehicles.append(craft)
    return KnownNames(
        missions=tuple(Named(flight["mission"]) for flight in flights),
        people=tuple(Named(name, tuple(aliases)) for name, aliases in people.items()),
        vehicles=tuple(Named(name) for name in vehicles),
    )


def run(text: str, published: dt.date | None = SEED_PUBLISHED, language: str = "en"):
    return extract(text, index=reference_index(), published=published, language=language)


def mentioned(text: str, kind: str | None = None, **kwargs) -> set[str]:
    return {m.name for m in run(text, **kwargs).mentions if kind is None or m.kind == kind}


def events(text: str, type: str | None = None, **kwargs) -> list[Event]:
    return [e for e in run(text, **kwargs).events if type is None or e.type == type]


def only_event(text: str, type: str, **kwargs) -> Event:
    found = events(text, type, **kwargs)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def seed():
    return run(SEED.read_text())


# --- the seed page ---------------------------------------------------------------------


def test_the_seed_page_mentions_soyuz_ms_22_and_its_crew_and_kikina(seed):
    assert {m.name for m in seed.mentions if m.kind == "mission"} == {"Soyuz MS-22"}
    assert {m.name for m in seed.mentions if m.kind == "person"} == {
        "Sergey Prokopyev",
        "Dmitry Petelin",
        "Francisco Rubio",
        "Anna Kikina",
    }


def test_the_seed_page_mentions_crew_dragon_and_soyuz_ms(seed):
    assert {m.name for m in seed.mentions if m.kind == "vehicle"} == {"Crew Dragon", "Soyuz MS"}


def test_nobody_from_the_recent_stories_headlines_is_mentioned(seed):
    evidence = " ".join(m.evidence for m in seed.mentions)
    for headline_name in ("Rizwan", "Maryam", "Safdar", "Ahsan", "Tarar", "Zakharova"):
        assert headline_name not in evidence


def test_sergei_prokopyev_is_mentioned_under_his_record_name_with_the_sentence(seed):
    mention = next(m for m in seed.mentions if m.name == "Sergey Prokopyev")
    assert "Sergei Prokopyev" in mention.evidence
    assert mention.evidence.startswith("As part of the agreement")


def test_the_seed_page_reports_the_soyuz_ms_22_launch_on_september_21(seed):
    launch = next(e for e in seed.events if e.type == "launch")
    assert (launch.mission, launch.date, launch.precision, launch.happened) == (
        "Soyuz MS-22",
        dt.date(2022, 9, 21),
        "day",
        True,
    )
    assert "September 21" in launch.evidence
    assert launch.date_iso == "2022-09-21"
    assert launch.confidence >= 0.8


def test_the_seed_page_reports_that_kikina_will_fly_on_crew_dragon(seed):
    assignment = next(e for e in seed.events if e.type == "crew_assignment")
    assert (assignment.person, assignment.mission, assignment.happened, assignment.date) == (
        "Anna Kikina",
        None,
        False,
        None,
    )
    assert "Crew Dragon" in assignment.evidence


def test_the_seed_page_reports_the_agreement_signed_in_july_2022(seed):
    agreement = [e for e in seed.events if e.type == "agreement"]
    assert len(agreement) == 1  # said twice on the page, one event
    assert (agreement[0].date, agreement[0].precision, agreement[0].happened) == (dt.date(2022, 7, 1), "month", True)
    assert agreement[0].date_iso == "2022-07"


def test_the_seed_page_reports_nothing_else(seed):
    assert sorted(e.type for e in seed.events) == ["agreement", "crew_assignment", "launch"]


def test_the_seed_page_says_when_it_was_published_and_is_in_english():
    text = SEED.read_text()
    assert find_publication_date(text) == SEED_PUBLISHED
    assert detect_language(text) == "en"


# --- missions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mission"),
    [
        ("Soyuz MS-22 reached orbit.", "Soyuz MS-22"),
        ("MS-22 reached orbit.", "Soyuz MS-22"),
        ("The Soyuz-MS-22 crew is aboard.", "Soyuz MS-22"),
        ("Корабль «Союз МС-22» на орбите.", "Soyuz MS-22"),
        ("Экипаж корабля Союза МС-22 на орбите.", "Soyuz MS-22"),
        ("Экипаж МС-22 на орбите.", "Soyuz MS-22"),
        ("Crew-5 is ready.", "SpaceX Crew-5"),
        ("Crew 5 is ready.", "SpaceX Crew-5"),
        ("Crew–5 is ready (an en dash).", "SpaceX Crew-5"),
        ("SpaceX Crew-5 is ready.", "SpaceX Crew-5"),
        ("NASA's SpaceX Crew-5 is ready.", "SpaceX Crew-5"),
        ("Boeing's Crew Flight Test is ready.", "Boeing Crew Flight Test"),
        ("The CFT crew is ready.", "Boeing Crew Flight Test"),
    ],
)
def test_missions_are_found_under_the_names_the_press_uses(text, mission):
    assert mentioned(text, "mission") == {mission}


def test_ms_2_is_not_found_inside_ms_22_nor_ms_22_inside_ms_2():
    index = KnownNames(missions=(Named("Soyuz MS-2"), Named("Soyuz MS-22")))
    names = [m.name for m in extract("MS-22 flew in 2022; MS-2 in 2016.", index=index, published=None).mentions]
    assert names == ["Soyuz MS-22", "Soyuz MS-2"]
    assert [
        m.name
        for m in extract("Soyuz MS-22", index=KnownNames(missions=(Named("Soyuz MS-2"),)), published=None).mentions
    ] == []


def test_crew_1_is_not_found_inside_crew_10():
    index = KnownNames(missions=(Named("SpaceX Crew-1"), Named("SpaceX Crew-10")))
    found = extract("Crew-10 docked. Crew-1 flew in 2020.", index=index, published=None)
    assert [m.name for m in found.mentions] == ["SpaceX Crew-10", "SpaceX Crew-1"]
    assert mentioned("Crew-1 flew in 2020 and Soyuz MS-2 in 2016.", "mission") == set()
    assert mentioned("Soyuz MS-2 flew in 2016.", "vehicle") == {"Soyuz MS"}  # an older Soyuz MS is still one


def test_a_mission_is_found_wherever_its_spelling_appears_first():
    found = run("Crew-6 launched in March. Later, SpaceX Crew-6 docked.").mentions
    assert [(m.kind, m.name, m.evidence) for m in found] == [("mission", "SpaceX Crew-6", "Crew-6 launched in March.")]


# --- people ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Francisco Rubio smiled.", "Francisco Rubio"),
        ("Frank Rubio smiled.", "Francisco Rubio"),
        ("Sergei Prokopyev smiled.", "Sergey Prokopyev"),
        ("Butch Wilmore smiled.", "Barry Wilmore"),
        ("Suni Williams smiled.", "Sunita Williams"),
        ("Loral O’Hara smiled.", "Loral O'Hara"),
        ("Sultan Al Neyadi smiled.", "Sultan AlNeyadi"),
        ("Pyotr Dubrov smiled.", "Pyotr Dubrov"),
        ("Пётр Дубров улыбнулся.", "Pyotr Dubrov"),
    ],
)
def test_people_are_found_under_their_aliases(text, person):
    assert mentioned(text, "person") == {person}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Анна Кикина улыбнулась.", "Anna Kikina"),
        ("Интервью с Анной Кикиной.", "Anna Kikina"),
        ("Поздравили Анну Кикину.", "Anna Kikina"),
        ("Полет Анны Кикиной.", "Anna Kikina"),
        ("Полет Сергея Прокопьева.", "Sergey Prokopyev"),
        ("Поздравили Сергея Прокопьева и Дмитрия Петелина.", "Sergey Prokopyev"),
        ("Вместе с Дмитрием Петелиным.", "Dmitry Petelin"),
        ("Слово Сергею Прокопьеву.", "Sergey Prokopyev"),
        ("Полет Алексея Зубрицкого.", "Alexey Zubritsky"),
        ("Полет Марины Василевской.", "Marina Vasilevskaya"),
        ("Полет Сергея Кудь-Сверчкова.", "Sergey Kud-Sverchkov"),
        ("Полет Петра Дуброва.", "Pyotr Dubrov"),
    ],
)
def test_russian_names_are_found_in_their_case_forms(text, person):
    assert person in mentioned(text, "person", language="ru")


def test_a_bare_surname_counts_once_the_article_names_the_person_in_full():
    found = run("Rubio said the view was great. Frank Rubio launched in 2022.").mentions
    assert [(m.name, m.evidence) for m in found] == [("Francisco Rubio", "Rubio said the view was great.")]


def test_a_bare_surname_alone_is_nobody():
    assert mentioned("Rubio said the view was great.") == set()
    assert mentioned("Thomas Mann wrote novels; Kim won the vote.") == set()


def test_a_unique_surname_after_a_title_counts():
    assert mentioned("Russian cosmonaut Prokopyev said the crew was ready.") == {"Sergey Prokopyev"}
    assert mentioned("NASA astronaut Rubio said so.") == {"Francisco Rubio"}
    assert mentioned("Cosmonaut Sergey Prokopiev said so.") == {"Sergey Prokopyev"}  # an unlisted spelling
    assert mentioned("Космонавт Кикина полетит.", language="ru") == {"Anna Kikina"}
    assert mentioned("Слово космонавту Прокопьеву.", language="ru") == {"Sergey Prokopyev"}


def test_williams_alone_never_picks_one_of_the_two_williamses():
    assert mentioned("Williams said the weather was fine.") == set()
    assert mentioned("Astronaut Williams will fly.") == set()


def test_williams_is_the_williams_the_article_names_in_full():
    found = run("Williams said she was ready. Suni Williams flew on Starliner.").mentions
    assert [(m.name, m.evidence) for m in found if m.kind == "person"] == [
        ("Sunita Williams", "Williams said she was ready.")
    ]


def test_williams_is_nobody_when_the_article_names_both_williamses():
    text = "Sunita Williams and Christopher Williams met. Williams will fly on Soyuz MS-28."
    assert events(text, "crew_assignment") == []


def test_an_article_without_any_crew_mentions_nobody_and_reports_nothing():
    text = "The rupee continued its upward trajectory against the US dollar on Thursday, Tarar said."
    assert run(text).mentions == ()
    assert run(text).events == ()


# --- vehicles --------------------------------------------------------------------------


def test_a_crew_dragon_craft_counts_with_its_family_but_not_by_its_own_name():
    assert mentioned("Crew Dragon Endurance docked.", "vehicle") == {"Crew Dragon Endurance", "Crew Dragon"}
    assert mentioned("Dragon Endurance docked.", "vehicle") == {"Crew Dragon Endurance", "Crew Dragon"}
    assert mentioned("Endurance and freedom are virtues. Freedom of the press.") == set()


def test_soyuz_alone_is_the_soyuz_ms_spacecraft_but_not_the_rocket_or_the_union():
    assert mentioned("The Soyuz spacecraft reached orbit.", "vehicle") == {"Soyuz MS"}
    assert mentioned("A Soyuz-2.1a rocket lifted off with a satellite.") == set()
    assert mentioned("A Soyuz rocket lifted off with a satellite.") == set()
    assert mentioned("The Soyuz was late.") == set()  # no spacecraft noun, no "Soyuz MS" on the page
    assert mentioned("Советский Союз был первым.", language="ru") == set()
    assert mentioned("Корабль «Союз» стартовал.", language="ru") == {"Soyuz MS"}


def test_soyuz_counts_once_the_page_names_a_soyuz_ms():
    found = run("The Soyuz was late. Soyuz MS-22 docked later.").mentions
    assert ("vehicle", "Soyuz MS", "The Soyuz was late.") in [(m.kind, m.name, m.evidence) for m in found]


def test_the_soyuz_ms_mention_comes_from_the_spacecraft_not_the_rocket():
    found = run("A Soyuz-2.1a rocket lifted off. Later the Soyuz spacecraft docked.").mentions
    assert [(m.name, m.evidence) for m in found] == [("Soyuz MS", "Later the Soyuz spacecraft docked.")]


def test_dragon_alone_is_crew_dragon_only_as_a_capsule_and_never_cargo_dragon():
    assert mentioned("The Dragon capsule docked.", "vehicle") == {"Crew Dragon"}
    assert mentioned("Cargo Dragon brought supplies. The dragon dance began.") == set()
    assert mentioned("Dragon arrived.") == set()


# --- events: what happened, when -------------------------------------------------------


def test_a_docking_on_a_day_without_a_year_is_in_the_year_of_publication():
    docking = only_event("Soyuz MS-22 docked to the Rassvet module on September 21 at 17:06 UTC.", "docking")
    assert (docking.mission, docking.date, docking.happened) == ("Soyuz MS-22", dt.date(2022, 9, 21), True)


def test_an_undocking_with_a_full_date():
    undocking = only_event("The Soyuz MS-22 spacecraft undocked from the station on March 28, 2023.", "undocking")
    assert (undocking.mission, undocking.date_iso, undocking.happened) == ("Soyuz MS-22", "2023-03-28", True)


def test_a_splashdown_on_saturday_is_the_saturday_before_publication():
    landing = only_event(
        "NASA's SpaceX Crew-5 splashed down off the coast of Florida on Saturday.",
        "landing",
        published=dt.date(2023, 3, 13),
    )
    assert (landing.mission, landing.date, landing.happened) == ("SpaceX Crew-5", dt.date(2023, 3, 11), True)


def test_touched_down_and_returned_to_earth_are_landings():
    assert (
        only_event("Soyuz MS-23 touched down in Kazakhstan on September 27, 2023.", "landing").date_iso == "2023-09-27"
    )
    assert only_event("The Crew-6 astronauts returned to Earth on Sept. 4, 2023.", "landing").mission == "SpaceX Crew-6"


def test_a_delay_carries_the_new_date_and_no_launch_of_its_own():
    found = events("The launch of Soyuz MS-29 was postponed from March 14 to July 14.", published=dt.date(2026, 2, 1))
    assert [(e.type, e.mission, e.date_iso, e.happened) for e in found] == [
        ("delay", "Soyuz MS-29", "2026-07-14", True)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Soyuz MS-29 slipped to July 14.",
        "Soyuz MS-29 was rescheduled for July 14.",
        "Roscosmos pushed back Soyuz MS-29 to July 14.",
        "Soyuz MS-29 has been delayed until July 14.",
        "The Soyuz MS-29 launch, planned for March 14, was postponed to July 14.",
    ],
)
def test_delays_in_the_words_the_press_uses(sentence):
    delay = only_event(sentence, "delay", published=dt.date(2026, 2, 1))
    assert (delay.mission, delay.date_iso, delay.happened) == ("Soyuz MS-29", "2026-07-14", True)


def test_a_delay_that_may_come_is_not_one_that_happened():
    delay = only_event("Soyuz MS-29 could be delayed to July 14.", "delay", published=dt.date(2026, 2, 1))
    assert delay.happened is False


def test_a_delay_without_a_new_date_is_undated():
    delay = only_event("SpaceX Crew-13 was delayed from its March 14 date.", "delay", published=dt.date(2026, 2, 1))
    assert (delay.mission, delay.date) == ("SpaceX Crew-13", None)


def test_a_weather_delay_pushes_crew_5_to_october():
    delay = only_event(
        "NASA and SpaceX pushed back the Crew-5 launch to no earlier than October 4 because of Hurricane Ian.",
        "delay",
        published=dt.date(2022, 9, 28),
    )
    assert (delay.mission, delay.date_iso) == ("SpaceX Crew-5", "2022-10-04")


def test_a_past_launch_dated_after_publication_is_in_the_year_before():
    launch = only_event("Soyuz MS-22 launched on October 3.", "launch")
    assert (launch.date, launch.happened) == (dt.date(2021, 10, 3), True)


def test_a_planned_launch_dated_long_before_publication_is_in_the_year_after():
    launch = only_event("Soyuz MS-22 will launch on January 5.", "launch", published=dt.date(2022, 12, 20))
    assert (launch.date, launch.happened) == (dt.date(2023, 1, 5), False)


@pytest.mark.parametrize(
    ("sentence", "happened"),
    [
        ("Soyuz MS-29 launched on Thursday.", True),
        ("Soyuz MS-29 lifted off from Baikonur on Thursday.", True),
        ("Soyuz MS-29 blasted off on Thursday.", True),
        ("Soyuz MS-29 was launched on Thursday.", True),
        ("Soyuz MS-29 will launch on Thursday.", False),
        ("Soyuz MS-29 is scheduled to launch on Thursday.", False),
        ("Soyuz MS-29 is set to launch on Thursday.", False),
        ("Soyuz MS-29 will be launched on Thursday.", False),
        ("The launch of Soyuz MS-29 is planned for Thursday.", False),
    ],
)
def test_thursday_is_the_last_thursday_for_what_happened_and_the_next_for_what_is_planned(sentence, happened):
    launch = only_event(sentence, "launch", published=dt.date(2026, 7, 14))  # a Tuesday
    assert launch.happened is happened
    assert launch.date == (dt.date(2026, 7, 9) if happened else dt.date(2026, 7, 16))


def test_on_thursday_in_a_thursday_article_is_that_day():
    assert only_event("Soyuz MS-22 launched on Thursday.", "launch").date == SEED_PUBLISHED
    assert only_event("Soyuz MS-22 will launch on Thursday.", "launch").date == SEED_PUBLISHED
    assert only_event("Soyuz MS-22 will launch next Thursday.", "launch").date == dt.date(2022, 10, 6)


@pytest.mark.parametrize(
    ("when", "date_iso", "precision"),
    [
        ("today", "2026-02-04", "day"),
        ("tomorrow", "2026-02-05", "day"),
        ("on February 20", "2026-02-20", "day"),
        ("on Feb. 20, 2026", "2026-02-20", "day"),
        ("on 20 February 2026", "2026-02-20", "day"),
        ("on 2026-02-20", "2026-02-20", "day"),
        ("next month", "2026-03", "month"),
        ("in July this year", "2026-07", "month"),
        ("in July 2026", "2026-07", "month"),
        ("in July", "2026-07", "month"),
        ("later this year", "2026", "year"),
        ("next year", "2027", "year"),
        ("in 2027", "2027", "year"),
        ("in the second half of 2026", "2026-H2", "half"),
        ("in the third quarter of 2026", "2026-Q3", "quarter"),
        ("in Q4 2026", "2026-Q4", "quarter"),
        ("in early 2027", "2027-H1", "half"),
        ("in late 2026", "2026-H2", "half"),
    ],
)
def test_planned_launch_dates_at_their_precision(when, date_iso, precision):
    launch = only_event(f"Soyuz MS-29 will launch {when}.", "launch", published=dt.date(2026, 2, 4))
    assert (launch.date_iso, launch.precision, launch.happened) == (date_iso, precision, False)


def test_yesterday_is_the_day_before_publication():
    launch = only_event("Soyuz MS-22 launched yesterday.", "launch", published=dt.date(2022, 9, 22))
    assert (launch.date, launch.precision) == (dt.date(2022, 9, 21), "day")


def test_next_week_is_the_smallest_window_that_holds_the_week_with_low_confidence():
    within_a_month = only_event("Crew-5 will launch next week.", "launch", published=SEED_PUBLISHED)
    assert (within_a_month.date_iso, within_a_month.precision) == ("2022-10", "month")
    across_quarters = only_event("Crew-5 will launch next week.", "launch", published=dt.date(2022, 9, 22))
    assert (across_quarters.date_iso, across_quarters.precision) == ("2022-H2", "half")  # Sep 26 – Oct 2
    assert within_a_month.confidence < 0.6


def test_relative_dates_need_a_publication_date_but_full_dates_do_not():
    assert only_event("Soyuz MS-22 launched yesterday.", "launch", published=None).date is None
    assert only_event("Soyuz MS-22 launched on 21 September 2022.", "launch", published=None).date_iso == "2022-09-21"


def test_each_event_takes_the_date_of_its_own_clause():
    text = "The launch of Crew-5 is scheduled for October 5, and docking will follow on October 6."
    found = events(text)
    assert [(e.type, e.date_iso, e.happened) for e in found] == [
        ("launch", "2022-10-05", False),
        ("docking", "2022-10-06", False),
    ]


def test_a_launch_named_only_to_time_another_event_is_not_an_event():
    assert [e.type for e in events("Crew-5 will dock with the ISS on October 6, a day after launch.")] == ["docking"]
    assert [e.type for e in events("The postponement of the Crew-5 launch to October 5 was announced.")] == ["delay"]


def test_a_landing_planned_for_march_after_a_september_article_is_next_march():
    text = "The crew of Soyuz MS-22, which launched on September 21, will land on March 28."
    assert [(e.type, e.date_iso, e.happened) for e in events(text)] == [
        ("launch", "2022-09-21", True),
        ("landing", "2023-03-28", False),
    ]


def test_a_present_tense_headline_reports_what_happened():
    landing = only_event("Crew 5 lands safely", "landing", published=dt.date(2023, 3, 12))
    assert (landing.mission, landing.happened, landing.date) == ("SpaceX Crew-5", True, None)


def test_a_launch_named_without_a_date_or_a_tense_is_not_an_event():
    assert events("Soyuz MS-22's launch was covered on TV.", "launch") == []
    assert events("Soyuz MS-29 crew targets July launch", "launch") == []


def test_an_undated_report_gives_way_to_a_dated_one_of_the_same_event():
    text = "Soyuz MS-29 to launch.\nSoyuz MS-29 is scheduled to launch on July 14, 2026 from Baikonur."
    assert [(e.type, e.date_iso) for e in events(text, published=dt.date(2026, 4, 30))] == [("launch", "2026-07-14")]


def test_a_mission_without_an_event_word_reports_nothing():
    assert events("Soyuz MS-22 carried a toy mascot.") == []


def test_a_vehicle_and_a_crew_member_without_a_mission_still_make_a_launch():
    launch = only_event("Sergey Prokopyev launched on a Soyuz spacecraft on September 21.", "launch")
    assert (launch.mission, launch.date_iso) == (None, "2022-09-21")


def test_a_sentence_with_two_missions_takes_the_nearest_to_the_event_word():
    text = "After the Soyuz MS-22 leak, the crew returned to Earth on Soyuz MS-23 on September 27, 2023."
    landing = only_event(text, "landing", published=dt.date(2023, 9, 28))
    assert landing.mission == "Soyuz MS-23"


def test_an_exact_mission_day_and_verb_are_more_certain_than_an_inferred_one():
    certain = only_event("Soyuz MS-22 launched on 21 September 2022.", "launch")
    unsure = only_event("Prokopyev launched on a Soyuz spacecraft, astronaut Rubio said. Sergey Prokopyev.", "launch")
    assert certain.confidence > 0.85 > unsure.confidence


# --- events in Russian -----------------------------------------------------------------


def test_a_russian_launch_yesterday():
    text = "Корабль «Союз МС-22» стартовал вчера с Байконура с Сергеем Прокопьевым и Фрэнком Рубио."
    launch = only_event(text, "launch", published=dt.date(2022, 9, 22), language="ru")
    assert (launch.mission, launch.date, launch.happened) == ("Soyuz MS-22", dt.date(2022, 9, 21), True)


def test_a_russian_docking_with_a_full_date():
    docking = only_event("Корабль «Союз МС-22» пристыковался к МКС 21 сентября 2022 года.", "docking", language="ru")
    assert (docking.mission, docking.date_iso, docking.happened) == ("Soyuz MS-22", "2022-09-21", True)


def test_a_russian_undocking_today():
    text = "Корабль «Союз МС-22» отстыковался от станции сегодня."
    undocking = only_event(text, "undocking", published=dt.date(2023, 3, 28), language="ru")
    assert undocking.date == dt.date(2023, 3, 28)


def test_a_russian_landing():
    text = "Спускаемый аппарат корабля «Союз МС-23» совершил посадку в Казахстане 27 сентября."
    landing = only_event(text, "landing", published=dt.date(2023, 9, 27), language="ru")
    assert (landing.mission, landing.date_iso, landing.happened) == ("Soyuz MS-23", "2023-09-27", True)


def test_a_russian_delay_to_a_new_date():
    text = "Запуск корабля «Союз МС-29» перенесен на 14 июля."
    found = events(text, published=dt.date(2026, 2, 1), language="ru")
    assert [(e.type, e.mission, e.date_iso) for e in found] == [("delay", "Soyuz MS-29", "2026-07-14")]


def test_a_russian_delay_until_a_month():
    text = "Старт «Союза МС-29» отложен до июля."
    delay = only_event(text, "delay", published=dt.date(2026, 2, 1), language="ru")
    assert (delay.mission, delay.date_iso, delay.precision) == ("Soyuz MS-29", "2026-07", "month")


def test_a_russian_landing_on_thursday():
    text = "Экипаж «Союза МС-22» приземлился в четверг."
    landing = only_event(text, "landing", published=dt.date(2023, 9, 30), language="ru")  # a Saturday
    assert landing.date == dt.date(2023, 9, 28)


def test_a_russian_launch_planned_tomorrow_and_in_july():
    tomorrow = only_event("«Союз МС-29» стартует завтра.", "launch", published=dt.date(2026, 7, 13), language="ru")
    assert (tomorrow.date_iso, tomorrow.happened) == ("2026-07-14", False)
    text = "Запуск «Союза МС-29» запланирован в июле 2026 года."
    july = only_event(text, "launch", published=dt.date(2026, 2, 1), language="ru")
    assert (july.date_iso, july.precision, july.happened) == ("2026-07", "month", False)


def test_a_russian_year_and_half_year():
    in_2027 = only_event(
        "«Союз МС-30» и МС-29 стартует в 2027 году.", "launch", published=dt.date(2026, 2, 1), language="ru"
    )
    assert in_2027.date_iso == "2027"
    text = "Корабль «Союз МС-29» стартует во второй половине 2026 года."
    assert only_event(text, "launch", published=dt.date(2026, 2, 1), language="ru").date_iso == "2026-H2"


RUSSIAN_PAGE = """Главная | Новости | Наука | Космос

Корабль «Союз МС-22» стартовал к МКС с Байконура

Опубликовано: 21.09.2022 14:10

МОСКВА, 21 сентября. Ракета-носитель «Союз-2.1а» с пилотируемым кораблем «Союз МС-22» стартовала сегодня с
космодрома Байконур. На борту находятся космонавты Роскосмоса Сергей Прокопьев и Дмитрий Петелин, а также астронавт
НАСА Франсиско Рубио. Это первый полет в рамках соглашения о перекрестных полетах, которое Роскосмос и НАСА
подписали в июле этого года.

Командир экипажа Прокопьев заявил перед стартом, что экипаж готов к работе. Петелин впервые отправился в космос.

Космонавт Анна Кикина полетит на МКС на корабле Crew Dragon в составе экипажа Crew-5, запуск которого запланирован
на 3 октября. Ранее Кикиной пришлось долго ждать своего полета.

Ожидается, что экипаж «Союза МС-22» вернется на Землю в марте 2023 года.

Читайте также
Курс рубля укрепился по отношению к доллару
В Москве открылась новая станция метро

© 2022 Все права защищены.
"""


def test_a_russian_page_end_to_end():
    assert (detect_language(RUSSIAN_PAGE), find_publication_date(RUSSIAN_PAGE)) == ("ru", dt.date(2022, 9, 21))
    found = run(RUSSIAN_PAGE, published=dt.date(2022, 9, 21), language="ru")
    assert {(m.kind, m.name) for m in found.mentions} == {
        ("mission", "Soyuz MS-22"),
        ("mission", "SpaceX Crew-5"),
        ("vehicle", "Soyuz MS"),
        ("vehicle", "Crew Dragon"),
        ("person", "Sergey Prokopyev"),
        ("person", "Dmitry Petelin"),
        ("person", "Francisco Rubio"),
        ("person", "Anna Kikina"),
    }
    assert {(e.type, e.mission, e.person, e.date_iso, e.happened) for e in found.events} == {
        ("launch", "Soyuz MS-22", None, "2022-09-21", True),
        ("agreement", None, None, "2022-07", True),
        ("crew_assignment", "SpaceX Crew-5", "Anna Kikina", "2022-10-03", False),
        ("launch", "SpaceX Crew-5", None, "2022-10-03", False),
        ("landing", "Soyuz MS-22", None, "2023-03", False),
    }


# --- crew assignments ------------------------------------------------------------------


def test_everyone_assigned_to_crew_5_gets_an_assignment():
    text = "NASA assigned Nicole Mann, Josh Cassada, Koichi Wakata and Anna Kikina to Crew-5."
    found = events(text, "crew_assignment", published=dt.date(2022, 8, 1))
    assert [(e.person, e.mission, e.happened) for e in found] == [
        ("Nicole Mann", "SpaceX Crew-5", False),
        ("Josh Cassada", "SpaceX Crew-5", False),
        ("Koichi Wakata", "SpaceX Crew-5", False),
        ("Anna Kikina", "SpaceX Crew-5", False),
    ]


def test_a_cosmonaut_who_will_join_crew_6():
    found = only_event("Cosmonaut Andrey Fedyaev will join NASA's SpaceX Crew-6 mission.", "crew_assignment")
    assert (found.person, found.mission, found.happened) == ("Andrey Fedyaev", "SpaceX Crew-6", False)


def test_who_flew_on_a_mission_has_an_assignment_that_happened():
    found = only_event("Frank Rubio flew on Soyuz MS-22.", "crew_assignment")
    assert (found.person, found.mission, found.happened) == ("Francisco Rubio", "Soyuz MS-22", True)


def test_a_russian_crew_that_will_fly_in_july():
    text = "В июле 2026 года на МКС на корабле «Союз МС-29» полетят Пётр Дубров, Анна Кикина и Анил Менон."
    found = events(text, "crew_assignment", published=dt.date(2026, 2, 1), language="ru")
    assert {(e.person, e.mission, e.date_iso, e.happened) for e in found} == {
        ("Pyotr Dubrov", "Soyuz MS-29", "2026-07", False),
        ("Anna Kikina", "Soyuz MS-29", "2026-07", False),
        ("Anil Menon", "Soyuz MS-29", "2026-07", False),
    }


def test_a_russian_cosmonaut_included_in_a_crew():
    text = "Космонавт Андрей Федяев включен в основной экипаж миссии Crew-6."
    found = only_event(text, "crew_assignment", language="ru")
    assert (found.person, found.mission, found.happened) == ("Andrey Fedyaev", "SpaceX Crew-6", False)


def test_a_backup_crew_is_not_an_assignment():
    assert events("Anna Kikina was named to the backup crew of Soyuz MS-29.", "crew_assignment") == []
    assert events("Анна Кикина включена в дублирующий экипаж «Союза МС-29».", "crew_assignment", language="ru") == []


def test_flying_needs_a_mission_a_vehicle_or_the_station():
    assert events("Anna Kikina will fly home to Novosibirsk for the holidays.", "crew_assignment") == []
    assert len(events("Anna Kikina will fly to the ISS.", "crew_assignment")) == 1


# --- the agreement ---------------------------------------------------------------------


def test_a_russian_signing_on_a_day():
    text = "Роскосмос и НАСА подписали соглашение о перекрестных полетах 14 июля 2022 года."
    found = only_event(text, "agreement", language="ru")
    assert (found.date_iso, found.happened, found.mission) == ("2022-07-14", True, None)


def test_an_extension_is_dated_by_when_it_happened_not_by_the_end_of_its_term():
    text = "In December 2023, Roscosmos and NASA extended the agreement on cross-flights through 2025."
    assert only_event(text, "agreement", published=dt.date(2024, 1, 5)).date_iso == "2023-12"
    undated = only_event("NASA and Roscosmos extended the seat swap agreement through 2027.", "agreement")
    assert undated.date is None


def test_an_agreement_that_has_nothing_to_do_with_space_is_not_an_event():
    assert events("Pakistan signed an agreement with the IMF in July.") == []


def test_mentioning_the_agreement_without_a_signing_is_not_an_event():
    assert events("The agreement provides for two more flights of Russian and US spacecraft in 2023 and 2024.") == []


# --- the helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "top",
    [
        "Daniyal Sohail Published September 29, 2022 | 06:40 PM",
        "By Staff, 29 September 2022",
        "date 2022-09-29 UrduPoint.com",
        "Москва, 29 сентября 2022 года",
        "Опубликовано: 29.09.2022",
        "Posted on Sept. 29, 2022",
    ],
)
def test_the_publication_date_is_read_from_the_top_of_a_page(top):
    assert find_publication_date(f"Home | News\n{top}\n\nSoyuz MS-22 launched on September 21.") == SEED_PUBLISHED


def test_a_labelled_publication_date_wins_over_an_earlier_date():
    assert find_publication_date("On 21 September 2022 Soyuz launched.\nPublished: 29 September 2022") == SEED_PUBLISHED


def test_a_page_without_a_full_date_has_no_publication_date():
    assert find_publication_date("Soyuz MS-22 launched on September 21.") is None


def test_the_language_is_russian_when_most_letters_are_cyrillic():
    assert detect_language("Корабль «Союз МС-22» стартовал с Байконура, на борту Crew Dragon.") == "ru"
    assert detect_language("Soyuz MS-22 (Союз МС-22) launched from Baikonur.") == "en"
    assert detect_language("") == "en"


def test_sentences_end_at_full_stops_and_line_breaks_but_not_at_abbreviations():
    text = (
        "Russia Willing To Cooperate With US In Space\n"
        "Soyuz MS-22 launched on Sept. 21 from Baikonur. The U.S. astronaut Frank Rubio is aboard K.E. Tsiolkovsky.\n\n"
        '"We are ready," she said. Is it true? Yes!\n'
        "2 hours ago"
    )
    assert split_sentences(text) == [
        "Russia Willing To Cooperate With US In Space",
        "Soyuz MS-22 launched on Sept. 21 from Baikonur.",
        "The U.S. astronaut Frank Rubio is aboard K.E. Tsiolkovsky.",
        '"We are ready," she said.',
        "Is it true?",
        "Yes!",
        "2 hours ago",
    ]


def test_a_hard_wrapped_sentence_stays_one_sentence():
    assert split_sentences("Soyuz MS-22 launched from\nbaikonur, carrying\nthree people.") == [
        "Soyuz MS-22 launched from baikonur, carrying three people."
    ]


def test_evidence_is_at_most_300_characters_and_keeps_the_name():
    text = (
        "Filler words go here, " * 30
        + "and then Soyuz MS-22 launched on September 21 "
        + "with more filler, " * 30
        + "."
    )
    mention = run(text).mentions[0]
    assert len(mention.evidence) <= 300
    assert "Soyuz MS-22" in mention.evidence
    assert len(only_event(text, "launch").evidence) <= 300


@pytest.mark.parametrize(
    ("precision", "date_iso"),
    [("day", "2026-07-14"), ("month", "2026-07"), ("quarter", "2026-Q3"), ("half", "2026-H2"), ("year", "2026")],
)
def test_an_event_date_is_written_at_its_precision(precision, date_iso):
    event = Event("launch", "Soyuz MS-29", None, dt.date(2026, 7, 14), precision, False, "", 0.5)
    assert event.date_iso == date_iso
    assert precision in Precision.values
    assert Event("launch", None, None, None, "", False, "", 0.5).date_iso is None


def test_known_names_compile_their_matcher_once_and_compare_by_the_names():
    index = KnownNames(missions=(Named("Soyuz MS-22"),))
    assert index.matcher is index.matcher
    assert index == KnownNames(missions=(Named("Soyuz MS-22"),))
    assert hash(index) == hash(KnownNames(missions=(Named("Soyuz MS-22"),)))


def test_no_known_names_find_nothing():
    assert extract("Soyuz MS-22 launched yesterday.", index=KnownNames(), published=SEED_PUBLISHED).mentions == ()
