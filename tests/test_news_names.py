"""Missions and people under the other names the press gives them (issue 10, classes 6 and 7).

Every sentence here is written for the test; the index is the reference record's, as in
test_news_extract.py."""

import datetime as dt

from tests.test_news_extract import mentioned
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
