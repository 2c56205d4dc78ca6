"""When events happened, as a reader of the article would say: dates relative to the article
and its dateline, times and zones (the UTC day), several events in one sentence, former
targets, and background facts about other flights. Every sentence here is written for
these tests; none is copied from a real article."""

import datetime as dt

import pytest

from tracker.news.extraction.times import find_times
from tracker.news.extraction.when import find_dateline
from tracker.news.services import MIN_TIMED_CONFIDENCE

from .test_news_extract import events, only_event

FRIDAY = dt.date(2025, 6, 6)  # a Friday


def dated(event) -> tuple:
    return (event.type, event.mission, event.date_iso, event.time, event.happened)


# --- 1. dates relative to the article and its dateline -------------------------------------


def test_a_tass_dateline_names_the_day_the_story_speaks_from():
    text = "BAIKONUR, June 5. /TASS/. The crew of Soyuz MS-27 is in good health."
    assert find_dateline(text, FRIDAY) == dt.date(2025, 6, 5)


def test_a_reuters_dateline_with_a_state_names_the_day():
    text = "CAPE CANAVERAL, Fla., May 2 (Reuters) - SpaceX said on Friday that all was well."
    assert find_dateline(text, dt.date(2025, 5, 3)) == dt.date(2025, 5, 2)


def test_a_russian_dateline_names_the_day():
    assert find_dateline("МОСКВА, 5 июня. /ТАСС/. Экипаж чувствует себя хорошо.", FRIDAY) == dt.date(2025, 6, 5)


def test_an_ordinary_first_sentence_is_no_dateline():
    assert find_dateline("NASA said on June 5 that the crew was well.", FRIDAY) is None


def test_yesterday_counts_from_the_dateline_not_from_publication():
    text = "HOUSTON, June 4. /TASS/. Soyuz MS-27 landed yesterday in Kazakhstan."
    assert dated(only_event(text, "landing", published=FRIDAY)) == ("landing", "Soyuz MS-27", "2025-06-03", None, True)


def test_the_first_undated_report_of_a_wire_story_happened_on_its_dateline_day():
    text = (
        "KOROLYOV, June 5. /TASS/. The Soyuz MS-27 spacecraft has touched down in Kazakhstan with three crew aboard.\n"
        "Search teams reached the capsule within minutes."
    )
    assert dated(only_event(text, "landing", published=FRIDAY))[:3] == ("landing", "Soyuz MS-27", "2025-06-05")


def test_without_a_dateline_an_undated_lead_report_is_the_publication_day_but_too_unsure_to_propose():
    text = "The Soyuz MS-27 spacecraft has touched down in Kazakhstan with three crew aboard."
    event = only_event(text, "landing", published=FRIDAY)
    assert event.date_iso == "2025-06-06" and event.confidence < MIN_TIMED_CONFIDENCE


def test_without_a_dateline_an_undated_report_after_the_lead_stays_undated():
    text = (
        "Three cosmonauts are well. Doctors examined them. They walked to the tent. They rested. "
        "Earlier, the Soyuz MS-27 spacecraft had touched down in Kazakhstan."
    )
    assert only_event(text, "landing", published=FRIDAY).date is None


def test_a_dated_wire_report_is_confident_enough_to_propose():
    text = "KOROLYOV, June 5. /TASS/. The Soyuz MS-27 spacecraft has touched down in Kazakhstan."
    assert only_event(text, "landing", published=FRIDAY).confidence >= MIN_TIMED_CONFIDENCE


def test_on_tuesday_is_the_last_tuesday_for_a_landing_that_happened():
    event = only_event("Crew-10 splashed down off California on Tuesday.", "landing", published=FRIDAY)
    assert event.date_iso == "2025-06-03"


def test_vo_vtornik_is_the_last_tuesday_for_a_russian_landing():
    event = only_event("«Союз МС-27» приземлился во вторник.", "landing", published=FRIDAY, language="ru")
    assert event.date_iso == "2025-06-03"


def test_the_same_day_counts_from_the_date_before_it():
    text = "Soyuz MS-27 lifted off on April 8. Soyuz MS-27 docked with the station later the same day."
    assert only_event(text, "docking", published=FRIDAY).date_iso == "2025-04-08"


def test_togo_zhe_dnya_counts_from_the_date_before_it():
    text = "«Союз МС-27» стартовал 8 апреля. «Союз МС-27» пристыковался к МКС в 11:58 того же дня."
    assert only_event(text, "docking", published=FRIDAY, language="ru").date_iso == "2025-04-08"


def test_the_next_day_is_one_day_after_the_date_before_it():
    text = "Crew-11 launched on July 31. Crew-11 docked with the station the next day."
    assert only_event(text, "docking", published=dt.date(2025, 8, 2)).date_iso == "2025-08-01"


# --- 2. times and zones --------------------------------------------------------------------


def test_times_are_read_with_the_zone_named_after_them():
    found = find_times("at 3:40 p.m. Moscow time, or 6:02 a.m. EDT (10:02 GMT)")
    assert [(t.hour, t.minute, t.utc) for t in found] == [(15, 40, False), (6, 2, False), (10, 2, True)]


def test_a_number_with_a_dot_is_no_time_without_a_zone_or_at():
    assert find_times("The budget grew by 18.44 percent.") == []
    assert [(t.hour, t.minute) for t in find_times("Liftoff came at 18.44 Moscow time.")] == [(18, 44)]


def test_a_late_evening_eastern_time_is_the_next_utc_day():
    text = "Crew-10 is scheduled to dock with the station at 11:30 pm ET on Saturday, March 15."
    event = only_event(text, "docking", published=dt.date(2025, 3, 12))
    assert dated(event) == ("docking", "SpaceX Crew-10", "2025-03-16", "03:30", False)


def test_a_utc_time_in_brackets_wins_over_the_local_one():
    text = "Crew-11 undocked from the station at 5:05 PM EST (22:05 UTC) on January 14."
    event = only_event(text, "undocking", published=dt.date(2026, 1, 15))
    assert (event.date_iso, event.time) == ("2026-01-14", "22:05")


def test_moscow_time_after_midnight_is_the_previous_utc_day():
    text = "Soyuz MS-27 landed at 01:30 Moscow time on April 20."
    event = only_event(text, "landing", published=dt.date(2025, 4, 21))
    assert (event.date_iso, event.time) == ("2025-04-19", "22:30")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Soyuz MS-28 launched at 09:27 UTC on November 27, 2025 and docked to the Rassvet module at 12:34 UTC.", "en"),
        (
            "«Союз МС-28» стартовал 27 ноября 2025 года в 12:27 мск и пристыковался к модулю «Рассвет» в 15:34 мск.",
            "ru",
        ),
    ],
)
def test_each_event_of_a_sentence_keeps_the_time_that_follows_its_verb(text, language):
    """Two events and two times in one sentence: the launch time must not become the docking's
    because it sits as near the docking verb's start as the launch verb's end."""
    launch = only_event(text, "launch", published=dt.date(2025, 11, 28), language=language)
    docking = only_event(text, "docking", published=dt.date(2025, 11, 28), language=language)
    assert (launch.time, docking.time) == ("09:27", "12:34")


def test_po_moskovskomu_vremeni_is_moscow_time():
    text = "«Союз МС-28» стартовал 27 ноября в 12:27 по московскому времени."
    event = only_event(text, "launch", published=dt.date(2025, 11, 28), language="ru")
    assert (event.date_iso, event.time) == ("2025-11-27", "09:27")


def test_po_vostochnomu_vremeni_is_us_eastern_time():
    text = "Crew-11 приводнился 15 января в 3:41 по восточному времени."
    event = only_event(text, "landing", published=dt.date(2026, 1, 16), language="ru")
    assert (event.date_iso, event.time) == ("2026-01-15", "08:41")


def test_a_time_without_a_zone_takes_the_zone_the_story_named_before():
    text = "«Союз МС-27» стартовал 8 апреля в 08:47 мск. «Союз МС-27» пристыковался к МКС в 11:58 того же дня."
    event = only_event(text, "docking", published=FRIDAY, language="ru")
    assert (event.date_iso, event.time) == ("2025-04-08", "08:58")


def test_a_time_of_day_alone_is_the_day_of_the_story():
    text = "MOSCOW, June 5. /TASS/. Crew-11 lifted off at 18.44 Moscow time from Florida."
    event = only_event(text, "launch", published=FRIDAY)
    assert (event.date_iso, event.time) == ("2025-06-05", "15:44")


# --- 3. the words that report events ---------------------------------------------------------


def test_splashed_down_and_splashdown_are_landings():
    assert only_event("Crew-9 splashed down off Florida on March 18.", "landing", published=FRIDAY).date_iso
    assert events("Crew-9 made a successful splashdown on March 18.", "landing", published=FRIDAY)


def test_arrived_and_reached_the_station_are_dockings_but_arrived_at_baikonur_is_not():
    assert only_event("Crew-10 astronauts arrived on March 14.", "docking", published=FRIDAY).date_iso == "2025-03-14"
    assert only_event("Soyuz MS-24 reached the ISS on September 15, 2023.", "docking").date_iso == "2023-09-15"
    assert events("The Soyuz MS-27 crew arrived at Baikonur on March 20.", "docking", published=FRIDAY) == []


def test_brought_the_crew_to_the_station_is_a_docking():
    text = "Soyuz MS-24 had brought Kononenko and Chub to the ISS on September 15, 2023."
    assert only_event(text, "docking").date_iso == "2023-09-15"


def test_reached_orbit_and_left_baikonur_for_the_station_are_launches():
    assert only_event("Crew-5 has reached orbit after a flawless ascent.", "launch").happened
    text = "Soyuz MS-22 left Baikonur cosmodrome for the ISS on September 21."
    assert only_event(text, "launch").date_iso == "2022-09-21"


def test_due_back_on_earth_is_a_planned_landing():
    event = only_event("Soyuz MS-23 is due back on Earth on September 27.", "landing", published=dt.date(2023, 9, 16))
    assert (event.date_iso, event.happened) == ("2023-09-27", False)


def test_russian_landing_words_sel_privodnenie_and_vozvrashchenie():
    ru = {"language": "ru", "published": FRIDAY}
    assert only_event("Спускаемый аппарат «Союза МС-27» сел 3 июня.", "landing", **ru).date_iso == "2025-06-03"
    assert only_event("Приводнение Crew-10 состоялось 3 июня.", "landing", **ru).date_iso == "2025-06-03"
    event = only_event("Возвращение «Союза МС-27» на Землю запланировано на 9 декабря.", "landing", **ru)
    assert (event.date_iso, event.happened) == ("2025-12-09", False)


def test_dostig_orbity_is_a_russian_launch():
    text = "«Союз МС-26» достиг околоземной орбиты 11 сентября."
    assert only_event(text, "launch", published=FRIDAY, language="ru").date_iso == "2024-09-11"


def test_undocked_then_landed_are_two_events_each_with_its_own_time():
    text = "Soyuz MS-26 undocked at 09:05 UTC on April 19 and landed at 12:20 UTC."
    found = sorted(dated(e) for e in events(text, published=dt.date(2025, 4, 20)))
    assert found == [
        ("landing", "Soyuz MS-26", "2025-04-19", "12:20", True),
        ("undocking", "Soyuz MS-26", "2025-04-19", "09:05", True),
    ]


# --- 4. planned, happened and former targets ------------------------------------------------


def test_a_date_that_had_been_scheduled_is_not_the_landing_date():
    text = "Soyuz MS-25 landed on Monday; the landing had been scheduled for May 2."
    found = events(text, "landing", published=FRIDAY)
    assert [e.date_iso for e in found] == ["2025-06-02"]


def test_a_target_that_was_the_original_goal_gives_no_launch():
    text = "A Thursday takeoff of Crew-11 had been the original goal."
    assert events(text, "launch", published=FRIDAY) == []


def test_a_russian_former_target_is_not_the_date():
    text = "Запуск «Союза МС-28», который первоначально планировался на 20 ноября, состоялся 27 ноября."
    event = only_event(text, "launch", published=dt.date(2025, 11, 28), language="ru")
    assert event.date_iso == "2025-11-27"


def test_next_february_is_the_first_february_after_publication():
    text = "NASA decided the two would fly home next February with Crew-9."
    event = only_event(text, "landing", published=dt.date(2024, 8, 24))
    assert (event.date_iso, event.happened) == ("2025-02", False)


def test_a_plan_retold_a_month_later_keeps_the_year_of_publication():
    text = "Roscosmos chose to dispatch Soyuz MS-23 as a replacement on February 24."
    assert only_event(text, "launch", published=dt.date(2023, 3, 29)).date_iso == "2023-02-24"


def test_a_plan_for_a_month_long_past_is_next_years():
    text = "Soyuz MS-29 will launch on January 10."
    assert only_event(text, "launch", published=dt.date(2025, 11, 20)).date_iso == "2026-01-10"


def test_a_flight_to_the_station_on_a_day_is_also_a_launch():
    text = "Andrey Fedyaev is due to fly to the ISS on March 2 aboard Crew Dragon (Crew-6 mission)."
    event = only_event(text, "launch", published=dt.date(2023, 2, 20))
    assert dated(event) == ("launch", "SpaceX Crew-6", "2023-03-02", None, False)
    assert events(text, "crew_assignment", published=dt.date(2023, 2, 20))


def test_a_russian_flight_to_the_station_on_a_day_is_also_a_launch():
    text = "Олег Платонов полетит к МКС на Crew-11 31 июля."
    event = only_event(text, "launch", published=dt.date(2025, 7, 1), language="ru")
    assert (event.mission, event.date_iso, event.happened) == ("SpaceX Crew-11", "2025-07-31", False)


def test_a_flight_to_the_station_without_a_date_is_no_launch():
    assert events("Andrey Fedyaev will fly to the ISS aboard Crew-6.", "launch", published=FRIDAY) == []


def test_last_month_gives_way_to_the_day_the_story_gives_for_the_same_launch():
    text = "Launched last month, Soyuz MS-23 was sent to rescue the crew. Roscosmos chose to dispatch Soyuz MS-23 on February 24."
    event = only_event(text, "launch", published=dt.date(2023, 3, 29))
    assert (event.date_iso, event.happened) == ("2023-02-24", True)


def test_a_rocket_delivering_the_ship_to_orbit_is_a_russian_launch():
    text = "На околоземную орбиту ракета «Союз-2.1а» доставила «Союз МС-26» 11 сентября."
    assert only_event(text, "launch", published=dt.date(2024, 9, 11), language="ru").date_iso == "2024-09-11"


def test_a_launch_called_off_or_cancelled_is_a_delay():
    assert only_event("The launch of Soyuz MS-25 was called off at the last minute.", "delay").happened
    assert only_event("Запуск «Союза МС-25» отменен за 20 секунд до старта.", "delay", language="ru").happened


def test_an_unnamed_report_of_the_same_landing_on_the_same_day_is_one_event_with_its_time():
    text = (
        "On Saturday, Soyuz MS-24 came back to Earth. "
        "The vehicle landed on Saturday at 10:17 Moscow time (0717 GMT), bringing home Loral O'Hara."
    )
    (event,) = events(text, "landing", published=dt.date(2024, 4, 7))
    assert dated(event) == ("landing", "Soyuz MS-24", "2024-04-06", "07:17", True)


def test_a_docking_hours_after_liftoff_is_not_dated_by_the_dateline():
    text = "CAPE CANAVERAL, March 12. /TASS/. Roughly 30 hours after liftoff, the Crew-7 Dragon docked at Harmony."
    assert only_event(text, "docking", published=dt.date(2024, 3, 12)).date is None


def test_spacecraft_that_arrived_for_the_crew_are_no_docking():
    text = "During their stay, Kononenko saw 14 spacecraft that arrived for the crew of Soyuz MS-25."
    assert events(text, "docking", published=FRIDAY) == []


def test_the_abort_of_a_launch_is_a_delay_not_a_launch():
    text = "NASA said the abort of today's Soyuz MS-25 launch came at the 20-second mark."
    found = events(text, published=dt.date(2024, 3, 21))
    assert [e.type for e in found] == ["delay"]


def test_a_crew_member_alone_is_enough_of_a_subject_for_an_event():
    text = "Oleg Kononenko landed on September 23, 2024 after 374 days in orbit."
    event = only_event(text, "landing")
    assert (event.mission, event.date_iso) == (None, "2024-09-23")


# --- the mission of a sentence that names nothing -------------------------------------------


def test_a_sentence_that_names_nothing_means_the_mission_just_named_but_is_never_proposed():
    text = "Roscosmos postponed the Soyuz MS-23 flight. The capsule is now due to launch on March 5."
    event = only_event(text, "launch", published=dt.date(2023, 2, 21))
    assert (event.mission, event.date_iso, event.happened) == ("Soyuz MS-23", "2023-03-05", False)
    assert event.confidence < MIN_TIMED_CONFIDENCE


def test_a_russian_sentence_that_names_nothing_means_the_mission_just_named():
    text = "«Союз МС-27» провел на орбите восемь месяцев. Его возвращение на Землю запланировано на 9 декабря."
    event = only_event(text, "landing", published=dt.date(2025, 11, 27), language="ru")
    assert (event.mission, event.date_iso) == ("Soyuz MS-27", "2025-12-09")


def test_a_sentence_about_another_craft_does_not_take_the_story_mission():
    text = "Soyuz MS-23 waits at Baikonur. Another craft docked at the ISS on February 11 sprang a leak."
    assert events(text, "docking", published=dt.date(2023, 2, 21)) == []


def test_an_undated_liftoff_noun_does_not_take_the_story_mission():
    text = "Soyuz MS-24 carried three people. Liftoff came at 18.44 Moscow time."
    assert events(text, "launch", published=dt.date(2023, 9, 16)) == []


def test_a_sentence_after_two_missions_takes_neither():
    text = "Soyuz MS-24 and Soyuz MS-25 were both in the news. The capsule is due to launch on March 5."
    assert events(text, "launch", published=dt.date(2024, 2, 21)) == []


def test_an_event_before_that_is_not_dated_by_the_story():
    text = "KOROLYOV, April 6. /TASS/. Soyuz MS-24 landed in Kazakhstan. Before that, the Soyuz MS-24 undocked."
    assert only_event(text, "undocking", published=dt.date(2024, 4, 7)).date is None
