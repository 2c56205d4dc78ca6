"""The archive benchmark's data (bench/archive.py): `count` news articles on top of the
reference record, built in bulk rather than through the ingest pipeline, which would take
hours at 100,000.

Articles are English and (about three in ten) Russian, published over six years, and link to
the record as the pipeline links real ones: most name one to three missions and some of their
crew (a Mention row each, with the sentence that names them), some name a spacecraft, about
one in seven names nothing. The missions an article names are those flying around the time
it was published. One article in forty also backs a proposed update (ProposalEvidence).

Rows go in with the models' own `bulk_create`, so whatever the app keeps in step with an
article's title and text when the store step inserts a feed's new articles (the folded
`search_text` today, a full-text column or table tomorrow) is filled here the same way;
`archive.py` checks afterwards that search finds a word of an article's body.
"""

import datetime as dt
import hashlib
import random
import re
import time
from dataclasses import dataclass, field

from ingest import EN_FILLERS, NTH, RU_FILLERS, SITES, en_date, ru_date

ARCHIVE_HOST = "https://archive.bench.invalid/"
SOURCES = ["Archive Wire", "Orbital Daily", "Station Report", "Космические новости", "Новости орбиты"]
FIRST_PUBLISHED = dt.datetime(2020, 12, 1, tzinfo=dt.UTC)
BATCH = 2000
# Part of the cached databases' key (bench/archive_measure.py): bump it when the data changes.
BUILDER_VERSION = 2
VARIANTS = 16
ORDERS = 64
RUSSIAN_SHARE = 0.3
UNLINKED_SHARE = 0.14
UNDATED_SHARE = 0.005
PROPOSAL_EVERY = 40  # one article in this many backs a proposal
EN_PLAIN = [t for t in EN_FILLERS if "<" not in t]
RU_PLAIN = [t for t in RU_FILLERS if "<" not in t]
EN_UNLINKED_TITLES = [
    "Station crew completes week of {topic} experiments",
    "Cargo ship brings supplies and {topic} hardware to the station",
    "Agencies review the station's {topic} schedule",
]
RU_UNLINKED_TITLES = [
    "Экипаж МКС завершил неделю экспериментов: {topic}",
    "Грузовой корабль доставил на станцию оборудование: {topic}",
]
EN_TOPICS = ["biology", "materials", "plant growth", "Earth observation", "radiation", "fluid physics"]
RU_TOPICS = ["биология", "материаловедение", "растения", "наблюдение Земли", "радиация"]


@dataclass
class RecordMission:
    pk: int
    name: str
    ru: str
    family_pk: int
    family: str
    launch: dt.datetime | None
    crew: list[int] = field(default_factory=list)


@dataclass
class RecordForArchive:
    missions: list[RecordMission]  # by launch, planned ones (no date) last
    en_names: dict[int, list[str]]  # person pk -> Latin spellings
    ru_names: dict[int, str]  # person pk -> a Cyrillic "First Last"
    sources: list


def load_record() -> RecordForArchive:
    """The reference record as articles name it, and the archive's news sources (created once)."""
    from tracker.news.extraction.forms import russian
    from tracker.news.models import NewsSource
    from tracker.record.models import Mission, Person, Seat

    missions = [
        RecordMission(m.pk, m.name, russian(m.name) or m.name, m.family_id, m.family.name, m.launch_at)
        for m in Mission.objects.select_related("family")
    ]
    missions.sort(key=lambda m: (m.launch is None, m.launch or FIRST_PUBLISHED, m.name))
    by_pk = {m.pk: m for m in missions}
    for mission_id, person_id in (
        Seat.objects.filter(leg="ascent").order_by("pk").values_list("mission_id", "person_id")
    ):
        by_pk[mission_id].crew.append(person_id)
    en_names, ru_names = {}, {}
    for person in Person.objects.prefetch_related("aliases"):
        aliases = [a.alias for a in person.aliases.all() if " " in a.alias]
        latin = [a for a in aliases if not re.search("[а-яё]", a, re.I)]
        en_names[person.pk] = [re.sub(r"\s*\(.*?\)", "", person.name), *latin]
        ru_names[person.pk] = next((a for a in aliases if re.search("[а-яё]", a, re.I)), en_names[person.pk][0])
    sources = [NewsSource.objects.get_or_create(name=name, defaults={"url": ARCHIVE_HOST + str(i)})[0]
               for i, name in enumerate(SOURCES)]  # fmt: skip
    return RecordForArchive(missions, en_names, ru_names, sources)


class ArticleWriter:
    """Seeded articles and the mentions each should have; one call of `article(index)` each."""

    def __init__(self, record: RecordForArchive, *, count: int, seed: int, now: dt.datetime):
        self.rng = random.Random(seed)
        self.record = record
        self.count = count
        self.span = (now - FIRST_PUBLISHED).total_seconds()
        self.dated = [m for m in record.missions if m.launch]
        self.launches = [m.launch for m in self.dated]
        # Context paragraphs formatted once (VARIANTS of each, with different figures) and
        # ORDERS orders to take them in: an article then costs a few random() calls, not forty.
        self.paragraphs = {
            lang: [self.variants(t) for t in pool] for lang, pool in (("en", EN_PLAIN), ("ru", RU_PLAIN))
        }
        self.orders = {
            lang: [self.rng.sample(range(len(p)), len(p)) for _ in range(ORDERS)] for lang, p in self.paragraphs.items()
        }

    def variants(self, template: str) -> list[str]:
        rng = self.rng
        variants = []
        for _ in range(VARIANTS):
            text = template.format(
                p="the commander", q="a crewmate", n=rng.randint(40, 260), k=rng.randint(2, 4),
                h=rng.randint(400, 430), nth=rng.choice(NTH),
            )  # fmt: skip
            variants.append(text[0].upper() + text[1:])
        return variants

    def published(self) -> dt.datetime | None:
        if self.rng.random() < UNDATED_SHARE:
            return None
        return FIRST_PUBLISHED + dt.timedelta(seconds=int(self.rng.random() * self.span))

    def missions_near(self, when: dt.datetime | None, count: int) -> list[RecordMission]:
        """`count` missions flying around `when`: neighbours in launch order, now and then a planned one."""
        rng, dated = self.rng, self.dated
        if when is None or rng.random() < 0.08:
            return rng.sample(self.record.missions, count)
        at = sum(1 for launch in self.launches if launch <= when)
        window = dated[max(0, at - 3) : at + 2] or dated
        return rng.sample(window, min(count, len(window)))

    def article(self, index: int):
        """(Article fields, [(kind, target pk, evidence)]) for article number `index`."""
        rng = self.rng
        russian = rng.random() < RUSSIAN_SHARE
        when = self.published()
        links = []
        if rng.random() < UNLINKED_SHARE:
            title, lead = self.unlinked(russian)
        else:
            missions = self.missions_near(when, rng.choices((1, 2, 3), (55, 30, 15))[0])
            crew = list(dict.fromkeys(pk for m in missions for pk in m.crew))
            people = rng.sample(crew, min(len(crew), rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]))
            title, lead = (self.russian_lead if russian else self.english_lead)(missions, people, when)
            links = [("mission", m.pk, lead) for m in missions] + [("person", pk, lead) for pk in people]
            if rng.random() < 0.2:
                links.append(("vehicle", missions[0].family_pk, lead))
        text = self.body(lead, russian)
        fields = {
            "url": f"{ARCHIVE_HOST}{'ru' if russian else 'en'}/{index}",
            "guid": f"archive-{index}",
            "title": title,
            "text": text,
            "published_at": when,
            "language": "ru" if russian else "en",
            "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
            "source": self.record.sources[(3 if russian else 0) + index % (2 if russian else 3)],
        }
        return fields, links

    def unlinked(self, russian: bool) -> tuple[str, str]:
        rng = self.rng
        if russian:
            title = rng.choice(RU_UNLINKED_TITLES).format(topic=rng.choice(RU_TOPICS))
            return title, "На борту Международной космической станции продолжается работа по научной программе."
        title = rng.choice(EN_UNLINKED_TITLES).format(topic=rng.choice(EN_TOPICS))
        return title, "Work aboard the International Space Station went on this week with the research programme."

    def english_lead(self, missions, people, when) -> tuple[str, str]:
        names = [self.rng.choice(self.record.en_names[pk]) for pk in people]
        first = missions[0]
        crew = f", with {' and '.join(names)} aboard" if names else ""
        day = f" on {en_date(when.date())}" if when else ""
        others = (
            f" Flight controllers also followed {' and '.join(m.name for m in missions[1:])}." if missions[1:] else ""
        )
        site = SITES.get(first.family, ("the launch site",))[0]
        lead = f"{first.name} was the focus at {site}{day}{crew}.{others}"
        title = f"{first.name}: " + (f"{names[0]} and crew ready" if names else "mission update")
        return title, lead

    def russian_lead(self, missions, people, when) -> tuple[str, str]:
        names = [self.record.ru_names[pk] for pk in people]
        first = missions[0]
        crew = f", на борту {' и '.join(names)}" if names else ""
        day = f" {ru_date(when.date())}" if when else ""
        others = f" Специалисты также следили за {' и '.join(m.ru for m in missions[1:])}." if missions[1:] else ""
        lead = f"Корабль {first.ru}{day} в центре внимания{crew}.{others}"
        title = f"{first.ru}: " + (f"{names[0]} и экипаж готовы" if names else "новости миссии")
        return title, lead

    def body(self, lead: str, russian: bool) -> str:
        """The lead, then context paragraphs until the text is 600 to 1,500 characters long."""
        random = self.rng.random
        lang = "ru" if russian else "en"
        variants, order = self.paragraphs[lang], self.orders[lang][int(random() * ORDERS)]
        target = 600 + int(random() * 900)
        paragraphs, length = [lead], len(lead)
        for position in order:
            if length >= target:
                break
            paragraph = variants[position][int(random() * VARIANTS)]
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        return "\n\n".join(paragraphs)


def _speed_up_bulk_writes() -> None:
    """A throwaway benchmark database need not survive a power cut while it is filled."""
    from django.db import connection

    if connection.in_atomic_block:  # a test's transaction: SQLite refuses the PRAGMA there
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit = off")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")


# A mention has no column the app derives from others: its rows go in with one plain
# executemany, a third of the ORM's time for the 2.4 mentions an article has on average.
MENTION_COLUMNS = ("article", "kind", "mission", "person", "vehicle", "evidence")


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", rows)


def _insert_batch(writer: ArticleWriter, indexes: range) -> tuple[int, list]:
    """One batch of articles and their mentions; returns how many mentions, and the
    (article pk, mission pk, person pk) of the linked articles for proposals."""
    from tracker.news.models import Article, Mention

    planned = [writer.article(index) for index in indexes]
    # The model's own bulk_create: what the app fills in beside title and text is filled here too.
    articles = Article.objects.bulk_create([Article(**fields) for fields, _ in planned])
    mentions, linked = [], []
    for article, (_, links) in zip(articles, planned, strict=True):
        targets = {}
        for kind, pk, evidence in links:
            mentions.append(
                (article.pk, kind, *(pk if kind == other else None for other in MENTION_COLUMNS[2:5]), evidence)
            )
            targets.setdefault(kind, pk)
        if "mission" in targets:
            linked.append((article.pk, targets["mission"], targets.get("person")))
    _insert_rows(Mention, MENTION_COLUMNS, mentions)
    return len(mentions), linked


def _proposals(linked: list, rng: random.Random, names: dict[int, str]) -> int:
    """One proposal per PROPOSAL_EVERY linked articles, each backed by one to three of them."""
    from tracker.lib.fuzzy_dates import Precision
    from tracker.news.models import ProposalEvidence, ProposalKind, ProposalStatus, ProposedUpdate

    kinds = [ProposalKind.LAUNCH, ProposalKind.DOCKING, ProposalKind.LANDING, ProposalKind.DELAY]
    proposals, backing = [], []
    for number, start in enumerate(range(0, len(linked), PROPOSAL_EVERY)):
        article_pk, mission_pk, person_pk = linked[start]
        kind = ProposalKind.CREW_ASSIGNMENT if person_pk and number % 5 == 0 else kinds[number % len(kinds)]
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        dated = kind != ProposalKind.CREW_ASSIGNMENT
        proposals.append(
            ProposedUpdate(
                kind=kind, mission_id=mission_pk, person_id=person_pk if not dated else None,
                date=day if dated else None, precision=Precision.DAY if dated else "",
                summary=f"{kind.label.capitalize()}: {names[mission_pk]}, {day.isoformat()}"[:300],
                fact_key=f"archive:{number}", confidence=round(rng.uniform(0.4, 0.95), 2),
                status=rng.choices(ProposalStatus.values, (10, 60, 30))[0],
            )
        )  # fmt: skip
        backing.append([pk for pk, _, _ in linked[start : start + rng.randint(1, 3)]])
    proposals = ProposedUpdate.objects.bulk_create(proposals, batch_size=BATCH)
    evidence = [
        ProposalEvidence(proposal_id=proposal.pk, article_id=pk, sentence=proposal.summary, confidence=0.8)
        for proposal, pks in zip(proposals, backing, strict=True)
        for pk in pks
    ]
    ProposalEvidence.objects.bulk_create(evidence, batch_size=BATCH)
    return len(proposals)


def build_archive(count: int, *, seed: int = 20261204, progress=None) -> dict:
    """`count` articles with their mentions and some proposals, on the current database, in
    one transaction. The reference record must be loaded. Returns counts and timings."""
    from django.db import transaction
    from django.utils import timezone

    started, cpu = time.perf_counter(), time.process_time()
    _speed_up_bulk_writes()
    record = load_record()
    writer = ArticleWriter(record, count=count, seed=seed, now=timezone.now())
    mentions, linked = 0, []
    with transaction.atomic():
        for start in range(0, count, BATCH):
            made, batch_linked = _insert_batch(writer, range(start, min(count, start + BATCH)))
            mentions += made
            linked += batch_linked
            if progress and (start // BATCH) % 10 == 9:
                progress(f"{start + BATCH} articles, {mentions} mentions ({time.perf_counter() - started:.0f} s)")
        proposals = _proposals(linked, writer.rng, {m.pk: m.name for m in record.missions})
    return {
        "articles": count,
        "mentions": mentions,
        "linked_articles": len(linked),
        "proposals": proposals,
        "build_seconds": time.perf_counter() - started,
        # This process's CPU time: the steadier figure on a machine others share.
        "build_cpu_seconds": time.process_time() - cpu,
    }
