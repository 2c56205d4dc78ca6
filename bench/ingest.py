"""Ingestion throughput benchmark (not a test): the news pipeline against feedparser alone.

    .venv/bin/python bench/ingest.py [--entries 10000] [--database sqlite|postgres]

1. Creates a fresh database (SQLite in a temporary directory, or `bench_ingest` on
   127.0.0.1:5432, dropped and recreated; not the dashboard benchmark's database, so the two
   can run side by side), migrates it and loads the shipped reference record.
2. Generates an RSS 2.0 feed of `--entries` entries from that record: unique GUIDs and links,
   article texts of 600-1500 characters in English and (about a quarter) Russian that report
   launches, dockings, landings, planned launches, delays, crew assignments and agreement news
   of the record's real missions and people, with dates (absolute, yearless and relative) and
   page-like HTML (paragraphs, links, entities). About one entry in four reports something the
   record does not say yet (a shifted date, a planned date, a new crew member, an agreement
   extension), so extraction and proposals do real work.
3. Measures on the same bytes:
   a. `feedparser.parse(body)` alone, and `tracker.news.parse.parse_feed` (feedparser plus the
      pipeline's cleanup) alone;
   b. the whole pipeline, parse -> dedup -> extract -> store -> propose: `parse_feed` then
      `services.ingest_entries(entries, source=source)` (the polling path) (a feed source with
      fetch_linked_pages off): entries/s, and its ratio to feedparser's entries/s (target >= 0.3);
      SQL statements are counted (connection.execute_wrapper) by kind and table;
   c. a second pass over the unchanged feed, the same way: time and SQL writes (target: none);
      and the real poll path: a second feed (fresh entries, as many as fit under the fetch
      step's size limit) served over loopback HTTP with an ETag, polled with
      `services.poll` three times: the first poll stores it, the second must get 304
      and write nothing but the source's health row, the third is answered 200 again by a
      server that ignores If-None-Match (the re-parse path) and must not write articles either.
   Also extraction alone (language detection + `extract`, no database) for the breakdown.
4. Prints a table and writes the results into docs/benchmarks.md (section "Ingestion", one
   subsection per database).

The page cache's record version lives in Redis (database 15 by default, as in production the
cache is Redis) under a key prefix of this run's own, so the dashboard benchmark's keys are
never touched and nothing is flushed. Loopback only; nothing here is imported by the product or
the test suite.
"""

import argparse
import contextlib
import cProfile
import datetime as dt
import email.utils
import gc
import html
import http.server
import os
import pstats
import random
import re
import shlex
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from common import (
    HOST,
    REPO,
    database_version,
    drop_database,
    fresh_database_url,
    log,
    machine,
    use_production_settings,
)

DOCS = REPO / "docs" / "benchmarks.md"
PG_DATABASE = "bench_ingest"  # bench/dashboard.py uses bench_tracker
DEFAULT_REDIS_DB = 15
TARGET_RATIO = 0.3
FEED_BASE = "https://news.bench.invalid/"


# --- the environment ---------------------------------------------------------------------------


def prepare_environment(args, workdir: Path) -> dict:
    import redis

    database_url = fresh_database_url(args.database, workdir, pg_name=PG_DATABASE)
    redis_url = f"redis://{HOST}:6379/{args.redis_db}"
    try:
        redis.Redis.from_url(redis_url, socket_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {redis_url} does not answer ({error}); the page cache needs it.") from None
    key_prefix = f"bench-ingest-{os.urandom(4).hex()}"
    # The cache under a prefix of this run's own: the record version key is ours, and no
    # other run's keys are touched.
    use_production_settings(
        workdir,
        database_url=database_url,
        redis_url=redis_url,
        settings_tail=f"CACHES = {{'default': {{'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
        f"'LOCATION': {redis_url!r}, 'KEY_PREFIX': {key_prefix!r}}}}}\n",
    )
    return {"redis_url": redis_url, "key_prefix": key_prefix}


def forget_cache_keys(redis_url: str, key_prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


# --- the feed ------------------------------------------------------------------------------------

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]  # fmt: skip
RU_MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                      "октября", "ноября", "декабря"]  # fmt: skip
RU_MONTHS_PREPOSITIONAL = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                           "октябре", "ноябре", "декабре"]  # fmt: skip
SITES = {
    "Soyuz MS": ("the Baikonur Cosmodrome in Kazakhstan", "с космодрома Байконур"),
    "Crew Dragon": ("Kennedy Space Center in Florida", "с мыса Канаверал"),
    "Starliner": ("Cape Canaveral Space Force Station", "с мыса Канаверал"),
}
LANDING_PLACES = {
    "Soyuz MS": ("on the steppe of Kazakhstan southeast of Dzhezkazgan", "в степи Казахстана"),
    "Crew Dragon": ("off the coast of Florida", "у побережья Флориды"),
    "Starliner": ("at White Sands Space Harbor in New Mexico", "в Нью-Мексико"),
}

EN_FILLERS = [
    "{p} and {q} will spend about six months aboard the orbital laboratory, where the crew is to carry out more "
    "than {n} experiments in biology, physics, materials science and Earth observation.",
    "Mission controllers in Houston and in Korolyov near Moscow said all systems were operating normally and that "
    "the crew had reported feeling well after the first days on orbit.",
    "“It is a privilege to be part of this expedition and to work side by side with colleagues from several "
    "agencies,” {p} said at a news conference held a few weeks earlier.",
    "The cross-flight arrangement between Roscosmos and NASA is meant to ensure that each segment of the station "
    "always has at least one crew member trained to operate its systems in an emergency.",
    "Among the planned investigations are studies of muscle and bone loss, of plant growth in microgravity, and of "
    "new materials that could one day shield spacecraft on missions beyond low Earth orbit.",
    "Flight surgeons will follow the crew's health closely, and the expedition's schedule includes {k} spacewalks "
    "to install new solar arrays and to replace an ageing pump on the station's cooling loop.",
    "The International Space Station has been continuously occupied for more than two decades, and agency officials "
    "have repeatedly said they expect to operate it until at least the end of the decade.",
    "Engineers spent the previous week loading cargo, checking the spacecraft's thrusters and rehearsing the "
    "rendezvous procedures with the crew in the simulators at the training centre.",
    "Roscosmos officials said the next crew rotation would follow the usual pattern, with a handover period of "
    "about a week during which both crews share the station.",
    "The station's orbit, roughly {h} kilometres above the Earth, is raised regularly by the engines of docked "
    "cargo ships to compensate for the drag of the thin upper atmosphere.",
    "For {p}, who trained for several years for the flight, it is the {nth} stay aboard the outpost, and {q} "
    "joined the agency's astronaut corps only a few years ago.",
    "Analysts at several space policy institutes noted that cooperation on the station has continued even while "
    "relations between Moscow and Washington remained strained on other fronts.",
    'Read more in our <a href="' + FEED_BASE + 'topics/iss">space station coverage</a> and subscribe to the '
    "weekly newsletter for updates on crew rotations, cargo flights and research results.",
]
RU_FILLERS = [
    "Экипажу предстоит провести на станции около шести месяцев и выполнить более {n} научных экспериментов в "
    "области биологии, физики и материаловедения.",
    "В Центре управления полетами сообщили, что все системы работают штатно, а самочувствие экипажа хорошее.",
    "Перекрестные полеты позволяют гарантировать, что на каждом сегменте станции всегда находится хотя бы один "
    "член экипажа, умеющий управлять его системами.",
    "В программу экспедиции входят {k} выхода в открытый космос, ремонт оборудования и эксперименты с растениями в "
    "условиях невесомости.",
    "Станция летает на высоте около {h} километров, и ее орбиту регулярно поднимают двигатели пристыкованных "
    "грузовых кораблей.",
    "Специалисты отмечают, что сотрудничество на станции продолжается несмотря на сложные отношения между "
    "Москвой и Вашингтоном.",
    "Подготовка экипажа заняла несколько лет и включала тренировки на тренажерах, занятия по выживанию и изучение "
    "систем российского и американского сегментов.",
    'Подробнее о работе станции читайте в нашем <a href="' + FEED_BASE + 'ru/iss">специальном разделе</a>, '
    "где публикуются новости о смене экипажей и грузовых кораблях.",
]
NTH = ["first", "second", "third", "fourth"]


def en_date(day: dt.date, *, year: bool = True) -> str:
    return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}" if year else f"{EN_MONTHS[day.month - 1]} {day.day}"


def ru_date(day: dt.date, *, year: bool = True) -> str:
    return f"{day.day} {RU_MONTHS_GENITIVE[day.month - 1]}" + (f" {day.year} года" if year else "")


def load_record_for_feed() -> dict:
    """The reference record as the feed generator needs it: missions with dates and crews, people
    with a Russian spelling, the agreement documents' months."""
    from tracker.news.extraction.spellings import russian
    from tracker.record.models import AgreementDocument, Mission, Person, Seat

    crews: dict[str, list[str]] = {}
    for mission_name, person_name in Seat.objects.filter(leg="ascent").values_list("mission__name", "person__name"):
        crews.setdefault(mission_name, []).append(person_name)
    missions = []
    for mission in Mission.objects.select_related("family").order_by("name"):
        dates = {}
        for event in ("launch", "docking", "landing"):
            value = getattr(mission, f"{event}_at")
            dates[event] = value.date() if value else None
        missions.append(
            {
                "name": mission.name,
                "ru": russian(mission.name) or mission.name,
                "family": mission.family.name,
                "status": mission.status,
                "dates": dates,
                "crew": crews.get(mission.name, []),
            }
        )
    people = {}
    for person in Person.objects.prefetch_related("aliases").select_related("agency"):
        cyrillic = [a.alias for a in person.aliases.all() if re.search("[а-яА-Я]", a.alias) and " " in a.alias]
        people[person.name] = {"agency": person.agency.name, "ru": cyrillic[0] if cyrillic else None}
    months = set()
    for signed, announced in AgreementDocument.objects.values_list("signed_on", "announced_on"):
        for day in (signed, announced):
            if day:
                months.add((day.year, day.month))
    return {"missions": missions, "people": people, "agreement_months": months}


class FeedWriter:
    """Deterministic (seeded) feed entries from the record. Each entry is one story: a lead
    paragraph reporting an event, then context paragraphs until the text reaches its length."""

    def __init__(self, record: dict, seed: int, prefix: str):
        self.rng = random.Random(seed)
        self.record = record
        self.prefix = prefix
        self.titles: Counter = Counter()
        self.flown = [m for m in record["missions"] if m["dates"]["launch"]]
        self.planned = [m for m in record["missions"] if not m["dates"]["launch"]]
        self.people = sorted(record["people"])
        self.people_ru = [name for name in self.people if record["people"][name]["ru"]]
        self.stats = Counter()

    # -- helpers --

    def pick_people(self, mission: dict, count: int) -> list[str]:
        crew = list(mission["crew"])
        self.rng.shuffle(crew)
        chosen = crew[:count]
        while len(chosen) < count:
            extra = self.rng.choice(self.people)
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def title_of(self, title: str) -> str:
        """Titles are unique: the pipeline folds the same title from one source within a day
        into one story, and every generated entry is meant to be a story of its own."""
        self.titles[title] += 1
        count = self.titles[title]
        return title if count == 1 else f"{title} (update {count})"

    def fillers(self, templates: list[str], people: list[str], length: int, budget: int) -> list[str]:
        rng = self.rng
        pool = list(templates)
        rng.shuffle(pool)
        paragraphs = []
        for template in pool:
            if length >= budget:
                break
            text = template.format(
                p=people[0], q=people[1] if len(people) > 1 else "a crewmate", n=rng.randint(40, 260),
                k=rng.randint(2, 4),
                h=rng.randint(400, 430), nth=rng.choice(NTH),
            )  # fmt: skip
            if length + len(text) > 1500 and length >= 600:
                continue
            paragraphs.append(text)
            length += len(text) + 1
        return paragraphs

    # -- English stories --

    def english(self) -> tuple[str, list[str], dt.datetime]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.12 and self.planned:
            return self.en_planned()
        if roll < 0.22:
            return self.en_crew()
        if roll < 0.27:
            return self.en_agreement()
        return self.en_event()

    def en_event(self):
        rng = self.rng
        mission = rng.choice(self.flown)
        events = [e for e in ("launch", "docking", "landing") if mission["dates"][e]]
        event = rng.choice(events)
        day = mission["dates"][event]
        if rng.random() < 0.10:  # a report that disagrees with the record: a proposal
            day += dt.timedelta(days=rng.choice([-3, -2, -1, 1, 2, 4]))
            self.stats["shifted date"] += 1
        published = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59)), dt.UTC)
        style = rng.random()
        if style < 0.25:
            published += dt.timedelta(days=1)
            when = "yesterday"
        elif style < 0.55:
            when = f"on {en_date(day, year=False)}"
        else:
            when = f"on {en_date(day)}"
        crew = self.pick_people(mission, 2)
        site, place = SITES[mission["family"]][0], LANDING_PLACES[mission["family"]][0]
        name = mission["name"]
        agency = self.record["people"][crew[0]]["agency"]
        title_word = "cosmonaut" if agency == "Roscosmos" else "astronaut"
        if event == "launch":
            lead = (f"{name} launched from {site} {when}, carrying {agency} {title_word} {crew[0]} and {crew[1]} to the "
                    f"International Space Station after a countdown that went without problems.")  # fmt: skip
            title = f"{name} lifts off with {crew[0]} aboard"
        elif event == "docking":
            lead = (f"{name} docked with the International Space Station {when}, a little more than a day after "
                    f"liftoff, and the crew opened the hatches about two hours later.")  # fmt: skip
            title = f"{name} reaches the space station"
        else:
            lead = (f"{name} landed {place} {when}, bringing {crew[0]} and {crew[1]} home after a long "
                    f"expedition aboard the orbital outpost.")  # fmt: skip
            title = f"{name} crew back on Earth"
        second = (f"The flight is part of the integrated crew program under which Roscosmos cosmonauts fly on "
                  f"American spacecraft and NASA astronauts on Soyuz, with <strong>{crew[0]}</strong> serving "
                  f"as a flight engineer.")  # fmt: skip
        return title, [lead, second], published

    def en_planned(self):
        rng = self.rng
        mission = rng.choice(self.planned)
        day = dt.date(2026, rng.randint(3, 12), rng.randint(1, 28))
        published = dt.datetime.combine(day - dt.timedelta(days=rng.randint(20, 120)), dt.time(9, 30), dt.UTC)
        name = mission["name"]
        crew = self.pick_people(mission, 2)
        if rng.random() < 0.5:
            lead = (f"{name} is scheduled to launch on {en_date(day)} with {crew[0]} and {crew[1]} aboard, the "
                    f"agency said in a statement on its website.")  # fmt: skip
            title = f"{name} launch date set"
        else:
            lead = (f"The launch of {name} was postponed to {en_date(day)} to give engineers more time to "
                    f"complete checks of the spacecraft.")  # fmt: skip
            title = f"{name} launch moved"
        self.stats["planned date"] += 1
        return title, [lead], published

    def en_crew(self):
        rng = self.rng
        mission = rng.choice(self.record["missions"])
        # Now and then someone who is not on that crew: a proposal.
        pool = self.people if rng.random() < 0.3 or not mission["crew"] else mission["crew"]
        person = rng.choice(pool)
        if person not in mission["crew"]:
            self.stats["new crew member"] += 1
        launch = mission["dates"]["launch"] or dt.date(2026, 9, 1)
        published = dt.datetime.combine(launch - dt.timedelta(days=rng.randint(60, 300)), dt.time(14, 0), dt.UTC)
        agency = self.record["people"][person]["agency"]
        title_word = "cosmonaut" if agency == "Roscosmos" else "astronaut"
        lead = (f"{agency} {title_word} {person} will fly to the International Space Station on {mission['name']}, "
                f"the agency announced, joining a crew that has been training together for months.")  # fmt: skip
        return f"{person} assigned to {mission['name']}", [lead], published

    def en_agreement(self):
        rng = self.rng
        year, month = rng.choice([(2022, 7), (2023, 12), (2025, 2), (2024, rng.randint(1, 12)), (2025, 10)])
        if (year, month) not in self.record["agreement_months"]:
            self.stats["agreement month"] += 1
        published = dt.datetime(year, month, rng.randint(1, 28), 11, 0, tzinfo=dt.UTC)
        lead = (f"Roscosmos and NASA signed an agreement on integrated crew flights to the ISS in "
                f"{EN_MONTHS[month - 1]} {year}, extending the exchange of seats between Soyuz and American "
                f"spacecraft.")  # fmt: skip
        return f"Seat swap agreement: {EN_MONTHS[month - 1]} {year}", [lead], published

    # -- Russian stories --

    def russian(self) -> tuple[str, list[str], dt.datetime]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.12 and self.planned:
            mission = rng.choice(self.planned)
            day = dt.date(2026, rng.randint(3, 12), rng.randint(1, 28))
            published = dt.datetime.combine(day - dt.timedelta(days=rng.randint(20, 120)), dt.time(8, 0), dt.UTC)
            lead = f"Запуск корабля «{mission['ru']}» запланирован на {ru_date(day)}, сообщили в Роскосмосе."
            self.stats["planned date"] += 1
            return f"«{mission['ru']}»: дата запуска", [lead], published
        if roll < 0.22:
            mission = rng.choice(self.record["missions"])
            candidates = [p for p in mission["crew"] if self.record["people"][p]["ru"]]
            person = rng.choice(candidates) if candidates and rng.random() > 0.3 else rng.choice(self.people_ru)
            if person not in mission["crew"]:
                self.stats["new crew member"] += 1
            launch = mission["dates"]["launch"] or dt.date(2026, 9, 1)
            published = dt.datetime.combine(launch - dt.timedelta(days=rng.randint(60, 300)), dt.time(10), dt.UTC)
            ru = self.record["people"][person]["ru"]
            title_word = "Космонавт" if self.record["people"][person]["agency"] == "Roscosmos" else "Астронавт"
            how = "на корабле" if mission["ru"] != mission["name"] else "в рамках миссии"
            lead = f"{title_word} {ru} полетит на МКС {how} «{mission['ru']}», сообщили в пресс-службе."
            return f"{ru} полетит на «{mission['ru']}»", [lead], published
        mission = rng.choice(self.flown)
        events = [e for e in ("launch", "docking", "landing") if mission["dates"][e]]
        event = rng.choice(events)
        day = mission["dates"][event]
        if rng.random() < 0.10:
            day += dt.timedelta(days=rng.choice([-2, -1, 1, 3]))
            self.stats["shifted date"] += 1
        published = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59)), dt.UTC)
        when = ru_date(day, year=rng.random() < 0.6)
        crew = [self.record["people"][p]["ru"] for p in mission["crew"] if self.record["people"][p]["ru"]][:3]
        aboard = f" На борту находятся {', '.join(crew)}." if crew else ""
        name = mission["ru"]
        # "Корабль «Союз МС-27»", but "Корабль Crew Dragon миссии «SpaceX Crew-5»".
        craft = f"Корабль «{name}»" if name != mission["name"] else f"Корабль {mission['family']} миссии «{name}»"
        if event == "launch":
            lead = f"{craft} стартовал {SITES[mission['family']][1]} {when}.{aboard}"
            title = f"«{name}» стартовал к МКС"
        elif event == "docking":
            lead = f"{craft} пристыковался к МКС {when}, через несколько часов после старта.{aboard}"
            title = f"«{name}» пристыковался к станции"
        else:
            lead = f"{craft} приземлился {LANDING_PLACES[mission['family']][1]} {when}.{aboard}"
            title = f"Экипаж «{name}» вернулся на Землю"
        return title, [lead], published

    # -- entries --

    def entry(self, index: int) -> str:
        rng = self.rng
        russian_story = rng.random() < 0.25
        title, paragraphs, published = self.russian() if russian_story else self.english()
        self.stats["russian" if russian_story else "english"] += 1
        story = " ".join(paragraphs)
        people = [name for name in self.people if name in story] or rng.sample(self.people, 2)
        budget = rng.randint(600, 1500)
        length = sum(len(p) + 1 for p in paragraphs)
        paragraphs += self.fillers(RU_FILLERS if russian_story else EN_FILLERS, people, length, budget)
        title = self.title_of(title)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"
        link = f"{FEED_BASE}{published:%Y/%m}/{slug}-{self.prefix}{index}?utm_source=rss&utm_medium=feed"
        guid = f"urn:bench:{self.prefix}:{index}"
        body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        teaser = html.escape(re.sub(r"<[^>]+>", "", paragraphs[0])[:200] + "…")
        return (
            f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
            f'<guid isPermaLink="false">{guid}</guid><pubDate>{email.utils.format_datetime(published)}</pubDate>'
            f"<description>{teaser}</description><content:encoded><![CDATA[{body}]]></content:encoded></item>\n"
        )


FEED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
    f"<title>Bench orbital news</title><link>{FEED_BASE}</link>"
    "<description>Synthetic news about ISS crew rotations, for bench/ingest.py.</description>\n"
)
FEED_TAIL = "</channel>\n</rss>\n"


def generate_feed(record: dict, count: int, *, seed: int, prefix: str, max_bytes: int | None = None):
    """(feed bytes, number of entries, writer stats). With max_bytes, stops before the feed
    would exceed it."""
    writer = FeedWriter(record, seed, prefix)
    items, size = [], len(FEED_HEAD.encode()) + len(FEED_TAIL.encode())
    for index in range(count):
        item = writer.entry(index)
        item_size = len(item.encode())
        if max_bytes is not None and size + item_size > max_bytes:
            break
        items.append(item)
        size += item_size
    return (FEED_HEAD + "".join(items) + FEED_TAIL).encode(), len(items), writer.stats


# --- counting SQL --------------------------------------------------------------------------------

TABLE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I)


class SQLCounter:
    """connection.execute_wrapper: every statement by kind (SELECT, INSERT, …) and writes by table."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self):
        self.kinds: Counter = Counter()
        self.writes: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        kind = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        self.kinds[kind] += 1
        if kind in self.WRITES:
            match = TABLE.match(sql)
            self.writes[f"{kind} {match[1] if match else '?'}"] += 1
        return execute(sql, params, many, context)

    @property
    def total_writes(self) -> int:
        return sum(self.writes.values())

    def writes_excluding(self, *tables: str) -> int:
        return sum(n for key, n in self.writes.items() if key.split(" ", 1)[1] not in tables)

    def describe_writes(self) -> str:
        return ", ".join(f"{n} {key}" for key, n in sorted(self.writes.items())) or "none"


@contextlib.contextmanager
def counting():
    from django.db import connection

    counter = SQLCounter()
    with connection.execute_wrapper(counter):
        yield counter


# --- loopback feed server ------------------------------------------------------------------------


class FeedServer:
    """Serves one feed at /feed.xml with an ETag; answers 304 to a matching If-None-Match
    while `honour_etag` is set."""

    def __init__(self, body: bytes, etag: str):
        self.body, self.etag, self.honour_etag = body, etag, True
        self.answers: list[tuple[int, int]] = []  # (status, body bytes)
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                if self.path != "/feed.xml":
                    self.send_error(404)
                    return
                if owner.honour_etag and self.headers.get("If-None-Match") == owner.etag:
                    owner.answers.append((304, 0))  # before answering: the poll may finish first
                    self.send_response(304)
                    self.send_header("ETag", owner.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                owner.answers.append((200, len(owner.body)))
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", owner.etag)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_port}/feed.xml"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# --- the measurements ----------------------------------------------------------------------------


class Timer:
    def __enter__(self):
        gc.collect()
        self.loadavg = os.getloadavg()[0]
        self.cpu0, self.wall0 = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def measure_parse(body: bytes, repeats: int) -> dict:
    """feedparser alone and parse_feed alone, best of `repeats` each (interleaved)."""
    import feedparser

    from tracker.news.parse import parse_feed

    raw, cleaned, counts = [], [], {}
    for _ in range(repeats):
        with Timer() as timer:
            feed = feedparser.parse(body)
        raw.append(timer)
        counts["feedparser"] = len(feed.entries)
        del feed
        with Timer() as timer:
            entries = parse_feed(body, base_url=FEED_BASE + "feed.xml")
        cleaned.append(timer)
        counts["parse_feed"] = len(entries)
        del entries
    best_raw = min(raw, key=lambda t: t.wall)
    best_clean = min(cleaned, key=lambda t: t.wall)
    return {
        "feedparser": best_raw.wall, "feedparser_cpu": best_raw.cpu, "feedparser_runs": [t.wall for t in raw],
        "parse_feed": best_clean.wall, "parse_feed_cpu": best_clean.cpu, "parse_feed_runs": [t.wall for t in cleaned],
        "feedparser_entries": counts["feedparser"], "parse_feed_entries": counts["parse_feed"],
        "loadavg": best_raw.loadavg,
    }  # fmt: skip


def run_pipeline(body: bytes, source, *, profile: cProfile.Profile | None = None) -> dict:
    """parse_feed, then the polling path's ingest_entries; SQL counted, time split parse / ingest."""
    from tracker.news.models import ProposalEvidence, ProposedUpdate
    from tracker.news.parse import parse_feed
    from tracker.news.services import ingest_entries

    evidence_before = ProposalEvidence.objects.count()
    proposals_before = ProposedUpdate.objects.count()
    statuses: Counter = Counter()
    with_proposals = 0
    with counting() as sql, Timer() as total:
        if profile:
            profile.enable()
        with Timer() as parse_timer:
            entries = parse_feed(body, base_url=FEED_BASE + "feed.xml")
        tenth = max(1, len(entries) // 10)
        marks = [time.perf_counter()]  # after each tenth of the entries: does the cost grow with the table?
        # The polling path itself (batched transactions, one context per round), a tenth at a time.
        for start in range(0, len(entries), tenth):
            for item in ingest_entries(entries[start : start + tenth], source=source):
                statuses[item.status] += 1
                with_proposals += bool(item.proposals)
            marks.append(time.perf_counter())
        if profile:
            profile.disable()
    return {
        "entries": len(entries), "wall": total.wall, "cpu": total.cpu, "loadavg": total.loadavg,
        "parse_wall": parse_timer.wall, "ingest_wall": total.wall - parse_timer.wall,
        "statuses": dict(statuses), "with_proposals": with_proposals,
        "new_proposals": ProposedUpdate.objects.count() - proposals_before,
        "new_evidence": ProposalEvidence.objects.count() - evidence_before,
        "sql": dict(sql.kinds), "sql_total": sum(sql.kinds.values()), "writes": dict(sql.writes),
        "write_total": sql.total_writes, "writes_text": sql.describe_writes(),
        "tenths_ms": [(b - a) / tenth * 1000 for a, b in zip(marks, marks[1:], strict=False)][:10],
    }  # fmt: skip


def measure_extraction(body: bytes) -> dict:
    """Language detection and extraction alone (what ingest_entry does before the database)."""
    from tracker.news.extraction import detect_language, extract
    from tracker.news.linked_names import current_linked_names
    from tracker.news.parse import parse_feed

    entries = parse_feed(body, base_url=FEED_BASE + "feed.xml")
    index = current_linked_names().known
    mentions = events = 0
    with Timer() as timer:
        for entry in entries:
            language = detect_language(entry.text)
            published = entry.published.date() if entry.published else None
            result = extract(f"{entry.title}.\n{entry.text}", index=index, published=published, language=language)
            mentions += len(result.mentions)
            events += len(result.events)
    return {"wall": timer.wall, "cpu": timer.cpu, "entries": len(entries), "mentions": mentions, "events": events}


def measure_polls(record: dict, args, seed: int) -> dict:
    """The real poll path over loopback HTTP: first poll (200, stores), second (304), third
    (200 again from a server that ignores If-None-Match)."""
    from tracker.news import fetch as fetching
    from tracker.news import services
    from tracker.news.models import Article, NewsSource, SourceKind

    max_bytes = fetching.DEFAULT_LIMITS.max_bytes  # fetch's own default is None: "the module's limit"
    body, count, _ = generate_feed(record, args.entries, seed=seed, prefix="p", max_bytes=max_bytes)
    etag = f'"bench-{os.urandom(6).hex()}"'
    results = {"entries": count, "bytes": len(body), "max_bytes": max_bytes, "polls": []}
    with FeedServer(body, etag) as server:
        # The poll path's speed over the whole feed, not the per-poll entry cap (which has its
        # own tests): this source's cap is the feed's length, so one poll stores it all and the
        # second gets its 304.
        source = NewsSource.objects.create(
            name="Bench loopback feed", url=server.url, kind=SourceKind.FEED, enabled=True,
            allow_private_network=True, fetch_linked_pages=False, max_entries_per_poll=count,
        )  # fmt: skip
        articles_before = Article.objects.count()
        for label, honour in (("first poll", True), ("second poll of the unchanged feed", True),
                              ("third poll, server ignores If-None-Match", False)):  # fmt: skip
            server.honour_etag = honour
            source = NewsSource.objects.get(pk=source.pk)  # as the Celery task loads it
            answers_before = len(server.answers)
            with counting() as sql, Timer() as timer:
                outcome = services.poll(source)
            status, nbytes = server.answers[answers_before] if len(server.answers) > answers_before else (None, 0)
            results["polls"].append(
                {
                    "label": label, "wall": timer.wall, "cpu": timer.cpu, "http_status": status, "bytes": nbytes,
                    "not_modified": outcome.not_modified, "entries": len(outcome.articles),
                    "created": outcome.count("created"), "updated": outcome.count("updated"),
                    "unchanged": outcome.count("unchanged"),
                    "health_writes": sql.total_writes - sql.writes_excluding("news_newssource"),
                    "article_writes": sql.writes_excluding("news_newssource"),
                    "writes_text": sql.describe_writes(), "sql_total": sum(sql.kinds.values()),
                }
            )  # fmt: skip
            log(f"{label}: HTTP {status}, {len(outcome.articles)} entries, {timer.wall:.2f} s, "
                f"writes: {sql.describe_writes()}")  # fmt: skip
        results["articles_stored"] = Article.objects.count() - articles_before
    return results


# --- report --------------------------------------------------------------------------------------


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("nan")


def per_entry(seconds: float, count: int) -> str:
    return f"{seconds / count * 1000:.2f}" if count else "–"


def summarise(ctx) -> dict:
    parse, first, second, extraction = ctx["parse"], ctx["first"], ctx["second"], ctx["extraction"]
    n = first["entries"]
    feedparser_rate = rate(parse["feedparser_entries"], parse["feedparser"])
    parse_feed_rate = rate(parse["parse_feed_entries"], parse["parse_feed"])
    pipeline_rate = rate(n, first["wall"])
    return {
        "feedparser_rate": feedparser_rate,
        "parse_feed_rate": parse_feed_rate,
        "pipeline_rate": pipeline_rate,
        "ratio": pipeline_rate / feedparser_rate,
        "ratio_parse_feed": pipeline_rate / parse_feed_rate,
        "second_rate": rate(second["entries"], second["wall"]),
        "extraction_rate": rate(extraction["entries"], extraction["wall"]),
        "store_ms": (first["ingest_wall"] - extraction["wall"]) / n * 1000 if n else float("nan"),
    }


def print_table(ctx, s) -> None:
    parse, first, second, polls = ctx["parse"], ctx["first"], ctx["second"], ctx["polls"]
    rows = [
        ("feedparser.parse(body) alone", parse["feedparser_entries"], parse["feedparser"], s["feedparser_rate"], "-"),
        ("parse_feed(body) alone", parse["parse_feed_entries"], parse["parse_feed"], s["parse_feed_rate"], "-"),
        ("pipeline, first pass", first["entries"], first["wall"], s["pipeline_rate"], first["write_total"]),
        ("pipeline, second pass", second["entries"], second["wall"], s["second_rate"], second["write_total"]),
        ("extraction alone", ctx["extraction"]["entries"], ctx["extraction"]["wall"], s["extraction_rate"], "-"),
    ]
    for poll in polls["polls"]:
        rows.append((f"poll: {poll['label']}", poll["entries"], poll["wall"], rate(poll["entries"], poll["wall"]),
                     f"{poll['article_writes']} (+{poll['health_writes']} health)"))  # fmt: skip
    print()
    print(f"{'measurement':<52} {'entries':>8} {'seconds':>9} {'entries/s':>10} {'SQL writes':>18}")
    for label, count, seconds, per_second, writes in rows:
        print(f"{label:<52} {count:>8} {seconds:>9.2f} {per_second:>10.0f} {writes!s:>18}")
    verdict = "meets" if s["ratio"] >= TARGET_RATIO else "MISSES"
    print(f"\npipeline / feedparser: {s['ratio']:.2f} ({verdict} the target >= {TARGET_RATIO}); "
          f"pipeline / parse_feed: {s['ratio_parse_feed']:.2f}")  # fmt: skip
    print(
        f"first pass: {first['statuses']}, {first['with_proposals']} entries with proposals, "
        f"{first['new_proposals']} proposals, {first['new_evidence']} evidence rows; writes: {first['writes_text']}"
    )
    print(f"second pass: {second['statuses']}; writes: {second['writes_text']}")  # fmt: skip


def render_section(ctx, s) -> str:
    args, mach, parse, first, second = ctx["args"], ctx["machine"], ctx["parse"], ctx["first"], ctx["second"]
    extraction, polls, feed = ctx["extraction"], ctx["polls"], ctx["feed"]
    n = first["entries"]
    verdict = "meets" if s["ratio"] >= TARGET_RATIO else "**misses**"
    stats = feed["stats"]
    lines = [
        f"### Ingestion: {args.database}",
        "",
        f"- Date: {ctx['date']}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), Linux {mach['kernel']}, Python {mach['python']}, "
        f"Django {mach['django']}, {ctx['db_version']}, feedparser {mach['feedparser']}; Redis cache "
        f"(database {args.redis_db}); load average {parse['loadavg']:.1f} before the parse runs, "
        f"{first['loadavg']:.1f} before the first pass",
        f"- Command: `{ctx['command']}`",
        f"- Feed: {feed['entries']} RSS entries, {feed['bytes'] / 1e6:.1f} MB ({stats['english']} English, "
        f"{stats['russian']} Russian; texts 600-1500 characters in `content:encoded`, 200-character teaser in "
        f"`description`); stories built to differ from the record: {stats['shifted date']} shifted dates, "
        f"{stats['planned date']} planned or delayed launch dates, {stats['new crew member']} crew assignments "
        f"not in the record, {stats['agreement month']} agreement months the record lacks",
        "",
        "| measurement | entries | seconds | CPU s (this process) | entries/s | ms/entry | SQL statements "
        "| SQL writes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| `feedparser.parse(body)` alone (best of {args.parse_repeats}) | {parse['feedparser_entries']} | "
        f"{parse['feedparser']:.2f} | {parse['feedparser_cpu']:.2f} | {s['feedparser_rate']:.0f} | "
        f"{per_entry(parse['feedparser'], parse['feedparser_entries'])} | – | – |",
        f"| `parse_feed(body)` alone (best of {args.parse_repeats}) | {parse['parse_feed_entries']} | "
        f"{parse['parse_feed']:.2f} | {parse['parse_feed_cpu']:.2f} | {s['parse_feed_rate']:.0f} | "
        f"{per_entry(parse['parse_feed'], parse['parse_feed_entries'])} | – | – |",
        f"| **pipeline, first pass**: `parse_feed` + `ingest_entries` | {n} | {first['wall']:.2f} | "
        f"{first['cpu']:.2f} | **{s['pipeline_rate']:.0f}** | {per_entry(first['wall'], n)} | {first['sql_total']} | "
        f"{first['write_total']} |",
        f"| pipeline, second pass over the unchanged feed | {second['entries']} | {second['wall']:.2f} | "
        f"{second['cpu']:.2f} | {s['second_rate']:.0f} | {per_entry(second['wall'], second['entries'])} | "
        f"{second['sql_total']} | **{second['write_total']}** |",
        f"| extraction alone (`detect_language` + `extract`, no database) | {extraction['entries']} | "
        f"{extraction['wall']:.2f} | {extraction['cpu']:.2f} | {s['extraction_rate']:.0f} | "
        f"{per_entry(extraction['wall'], extraction['entries'])} | – | – |",
    ]
    for poll in polls["polls"]:
        status = f"HTTP {poll['http_status']}" + (", not modified" if poll["not_modified"] else "")
        lines.append(
            f"| `poll`, {poll['label']} ({status}) | {poll['entries']} | {poll['wall']:.2f} | "
            f"{poll['cpu']:.2f} | {rate(poll['entries'], poll['wall']):.0f} | "
            f"{per_entry(poll['wall'], poll['entries'])} | {poll['sql_total']} | "
            f"{poll['article_writes']} + {poll['health_writes']} source health |"
        )
    first_poll = polls["polls"][0]
    second_poll = polls["polls"][1]
    lines += [
        "",
        f"- Ratio pipeline entries/s ÷ `feedparser.parse` entries/s: **{s['ratio']:.2f}** — {verdict} the target "
        f"(≥ {TARGET_RATIO}). Pipeline ÷ `parse_feed`: {s['ratio_parse_feed']:.2f}.",
        f"- First pass split: `parse_feed` {first['parse_wall']:.2f} s, `ingest_entry` {first['ingest_wall']:.2f} s "
        f"({first['ingest_wall'] / n * 1000:.2f} ms/entry), of which extraction ≈ {extraction['wall'] / n * 1000:.2f} "
        f"ms/entry and storing, linking and proposing ≈ {s['store_ms']:.2f} ms/entry; {first['sql_total'] / n:.1f} "
        f"SQL statements per entry. CPU of this process {first['cpu']:.1f} s of {first['wall']:.1f} s wall. "
        f"`ingest_entry` ms/entry by tenth of the feed (the table growing from 0 to {n} articles): "
        f"{', '.join(f'{t:.1f}' for t in first['tenths_ms'])}.",
        f"- First pass outcome: {', '.join(f'{k} {v}' for k, v in sorted(first['statuses'].items()))}; "
        f"{first['with_proposals']} entries gave proposals: {first['new_proposals']} proposals "
        f"(one per fact), {first['new_evidence']} evidence rows. Writes: {first['writes_text']}.",
        f"- Second pass (the unchanged feed re-parsed and re-ingested, as when a source ignores ETags): "
        f"{', '.join(f'{k} {v}' for k, v in sorted(second['statuses'].items()))}; writes: {second['writes_text']}"
        f" — {'meets' if second['write_total'] == 0 else '**misses**'} the target of no writes. Statements: "
        f"{', '.join(f'{v} {k}' for k, v in sorted(second['sql'].items()))}"
        + (
            " (SQLite's BEGIN is BEGIN IMMEDIATE: each entry's transaction takes the write lock for its lookup, "
            "though it writes nothing)."
            if args.database == "sqlite" and second["sql"].get("BEGIN")
            else "."
        ),
        f"- Poll path over loopback HTTP: a second feed of {polls['entries']} fresh entries "
        f"({polls['bytes'] / 1e6:.2f} MB, the most that fits under the fetch step's {polls['max_bytes']:,}-byte "
        f"limit), served with an ETag; source with `fetch_linked_pages` off and private networks allowed. First "
        f"poll: HTTP {first_poll['http_status']}, {first_poll['created']} articles created; writes: "
        f"{first_poll['writes_text']}. Second poll: HTTP {second_poll['http_status']}"
        f"{' (not modified)' if second_poll['not_modified'] else ''} in {second_poll['wall'] * 1000:.0f} ms, "
        f"**{second_poll['article_writes']} article writes**, {second_poll['health_writes']} write to the source's "
        f"health row ({second_poll['writes_text']}) — "
        f"{'meets' if second_poll['article_writes'] == 0 and second_poll['http_status'] == 304 else '**misses**'} "
        f"the target.",
    ]
    if len(polls["polls"]) > 2:
        third = polls["polls"][2]
        lines.append(
            f"- Third poll, server ignoring If-None-Match (HTTP {third['http_status']}, {third['bytes']:,} bytes): "
            f"{third['unchanged']} unchanged of {third['entries']}, {third['article_writes']} article writes, "
            f"{third['health_writes']} health-row write, {third['wall']:.2f} s."
        )
    for note in ctx.get("notes", []):
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


SECTION_INTRO = """## Ingestion

Written by `bench/ingest.py`; each run replaces the subsection of its database. Target: the
whole news pipeline (parse → dedup → extract → store → propose) ingests at least 0.3× as many
entries per second as `feedparser.parse` parses from the same feed bytes, and re-polling an
unchanged feed writes nothing (a 304 updates only the source's health row).
"""


def write_docs(section: str, database: str) -> None:
    """Replace (or add) `### Ingestion: <database>` inside `## Ingestion`, leaving the rest of
    the file (the dashboard's sections) as it is."""
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    ingestion = re.compile(r"^## Ingestion\n.*?(?=^## |\Z)", re.S | re.M)
    match = ingestion.search(text)
    if match is None:
        text = text.rstrip("\n") + "\n\n" + SECTION_INTRO + "\n" + section
    else:
        block = match.group(0)
        sub = re.compile(rf"^### Ingestion: {re.escape(database)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
        if sub.search(block):
            block = sub.sub(lambda _: section + "\n", block, count=1)
        else:
            block = block.rstrip("\n") + "\n\n" + section + "\n"
        text = text[: match.start()] + block + text[match.end() :]
    DOCS.write_text(text.rstrip("\n") + "\n")


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10000, help="feed entries (default 10000)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--parse-repeats", type=int, default=3, help="runs of each parse-alone measurement (best)")
    parser.add_argument("--seed", type=int, default=20260214)
    parser.add_argument("--redis-db", type=int, default=DEFAULT_REDIS_DB, help="not flushed: keys carry a prefix")
    parser.add_argument("--profile", action="store_true", help="cProfile the first pass and print the top functions")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    command = ".venv/bin/python bench/ingest.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    began = time.monotonic()
    cache = None
    try:
        log(f"workdir {workdir}; database {args.database}")
        cache = prepare_environment(args, workdir)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tracker.news.models import NewsSource, SourceKind
        from tracker.record.reference_data import load_reference_data

        report = load_reference_data()
        log(f"migrated; reference record: {report.summary().splitlines()[0]}")
        record = load_record_for_feed()

        started = time.perf_counter()
        body, count, stats = generate_feed(record, args.entries, seed=args.seed, prefix="e")
        feed_path = workdir / "feed.xml"
        feed_path.write_bytes(body)
        log(f"feed: {count} entries, {len(body) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s "
            f"({dict(stats)})")  # fmt: skip
        body = feed_path.read_bytes()

        parse = measure_parse(body, args.parse_repeats)
        log(f"feedparser.parse: {parse['feedparser']:.2f} s (runs {[round(t, 2) for t in parse['feedparser_runs']]}), "
            f"parse_feed: {parse['parse_feed']:.2f} s (runs {[round(t, 2) for t in parse['parse_feed_runs']]}); "
            f"{parse['parse_feed_entries']} entries")  # fmt: skip
        if parse["parse_feed_entries"] != count:
            raise SystemExit(f"parse_feed read {parse['parse_feed_entries']} entries of {count}")

        source = NewsSource.objects.create(
            name="Bench feed", url=FEED_BASE + "feed.xml", kind=SourceKind.FEED, enabled=True,
            allow_private_network=True, fetch_linked_pages=False,
        )  # fmt: skip
        profile = cProfile.Profile() if args.profile else None
        first = run_pipeline(body, source, profile=profile)
        log(f"first pass: {first['wall']:.1f} s, {first['statuses']}, {first['with_proposals']} with proposals; "
            f"{first['sql_total']} statements, writes: {first['writes_text']}")  # fmt: skip
        if profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        if args.database == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        second = run_pipeline(body, source)
        log(f"first pass ms/entry by tenth: {[round(t, 2) for t in first['tenths_ms']]}")
        log(f"second pass: {second['wall']:.1f} s, {second['statuses']}; writes: {second['writes_text']}")
        log(f"second pass ms/entry by tenth: {[round(t, 2) for t in second['tenths_ms']]}")
        extraction = measure_extraction(body)
        log(f"extraction alone: {extraction['wall']:.1f} s, {extraction['mentions']} mentions, "
            f"{extraction['events']} events")  # fmt: skip
        polls = measure_polls(record, args, seed=args.seed + 1)

        ctx = {
            "args": args, "command": command, "machine": machine(feedparser=__import__("feedparser").__version__), "db_version": database_version(args.database),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "parse": parse, "first": first, "second": second, "extraction": extraction, "polls": polls,
            "feed": {"entries": count, "bytes": len(body), "stats": stats},
        }  # fmt: skip
        summary = summarise(ctx)
        print_table(ctx, summary)
        if not args.no_docs:
            write_docs(render_section(ctx, summary), args.database)
            log(f"wrote the {args.database} subsection of the Ingestion section of {DOCS.relative_to(REPO)}")
        log(f"done in {time.monotonic() - began:.0f} s")
        second_poll = polls["polls"][1]
        ok = second["write_total"] == 0 and second_poll["http_status"] == 304 and second_poll["article_writes"] == 0
        return 0 if ok else 1
    finally:
        if cache is not None:
            with contextlib.suppress(Exception):
                forget_cache_keys(cache["redis_url"], cache["key_prefix"])
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            drop_database(args.database, pg_name=PG_DATABASE)


if __name__ == "__main__":
    sys.exit(main())
