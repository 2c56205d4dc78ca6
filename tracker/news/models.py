"""News: sources we poll, the articles they give, what each mentions, and the updates
to the record they propose for an editor's review."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.lib.folding import search_document
from tracker.lib.fuzzy_dates import Precision, format_instant
from tracker.record.models import Mission, Person, VehicleFamily


class SourceKind(models.TextChoices):
    FEED = "feed", "RSS/Atom feed"
    PAGE = "page", "single HTML page"
    SAMPLE = "sample", "bundled sample file (works offline)"


class NewsSourceQuerySet(models.QuerySet):
    def due(self, now: dt.datetime):
        """Enabled sources whose next poll time has come (or that were never polled)."""
        return self.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


class NewsSource(models.Model):
    name = models.CharField(max_length=200, unique=True)
    url = models.CharField(
        max_length=1000,
        help_text="http(s) URL of the feed or page; for a sample source, a file name in tracker/news/samples/.",
    )
    kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.FEED)
    enabled = models.BooleanField(default=False)
    poll_interval = models.DurationField(default=dt.timedelta(minutes=30), help_text="Time between polls.")
    fetch_linked_pages = models.BooleanField(
        default=True, help_text="For feed entries with only a short summary, fetch the linked page's main text."
    )
    allow_private_network = models.BooleanField(
        default=False,
        help_text="Allow loopback, private and link-local addresses. Only for sources you run yourself.",
    )
    auto_accept_confidence = models.FloatField(
        null=True,
        blank=True,
        help_text="Apply proposals from this source without review when their confidence is at least this "
        "(0–1). Blank: every proposal waits for an editor.",
    )
    # Health, for operators.
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    articles_found = models.PositiveIntegerField(default=0, help_text="Articles stored from this source so far.")
    # db_default: rows made by code that predates the field (a data migration's historical
    # model) get 0 too.
    entries_left = models.PositiveIntegerField(
        default=0,
        db_default=0,
        help_text="Feed entries the last poll did not read because of the cap (at most this many are new); "
        "the next poll reads them.",
    )
    max_entries_per_poll = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The most feed entries one poll stores, the newest first; the rest wait for the next poll. "
        "Blank: the NEWS_MAX_ENTRIES_PER_POLL setting.",
    )
    # Conditional GET state and scheduling.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)

    objects = NewsSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="news_source_kind_valid"),
            models.CheckConstraint(
                condition=Q(poll_interval__gte=dt.timedelta(minutes=1)), name="news_source_interval_at_least_a_minute"
            ),
            models.CheckConstraint(
                condition=Q(max_entries_per_poll__isnull=True) | Q(max_entries_per_poll__gte=1),
                name="news_source_entry_cap_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(auto_accept_confidence__isnull=True)
                | Q(auto_accept_confidence__gte=0, auto_accept_confidence__lte=1),
                name="news_source_auto_accept_between_0_and_1",
            ),
        ]
        indexes = [
            # The dispatcher's query every minute: enabled sources that are due.
            models.Index(fields=["enabled", "next_poll_at"], name="news_source_due_idx"),
        ]

    def __str__(self):
        return self.name


def _with_search_text(update_fields):
    """`update_fields` plus the search copy when title or text is among them."""
    if update_fields is not None and {"title", "text"} & set(update_fields):
        return [*update_fields, "search_text"]
    return update_fields


class NewestFirstIndex(models.Index):
    """(published_at DESC NULLS LAST, id DESC): the order of every article list.

    PostgreSQL puts NULLs first when descending, so its index must say NULLS LAST to match
    the lists' ORDER BY; SQLite's CREATE INDEX takes no NULLS clause, and needs none: it
    sorts NULLs low, so DESC already puts them last and its planner reads a plain
    descending index for "DESC NULLS LAST"."""

    def __init__(self, *, name: str):
        super().__init__(models.F("published_at").desc(nulls_last=True), models.F("id").desc(), name=name)

    def deconstruct(self):
        path, _, kwargs = super().deconstruct()
        return path, (), {"name": kwargs["name"]}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=["-published_at", "-id"], name=self.name)
        return plain.create_sql(model, schema_editor, using=using, **kwargs)


class ArticleQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): fill in the folded search text here too (the store
        # step inserts a feed's new articles this way).
        objs = list(objs)
        for article in objs:
            article.search_text = search_document(article.title, article.text)
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = _with_search_text(kwargs["update_fields"])
        return super().bulk_create(objs, *args, **kwargs)


class Article(models.Model):
    source = models.ForeignKey(NewsSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    url = models.CharField(max_length=1000, unique=True, help_text="Canonical URL, tracking parameters removed.")
    guid = models.CharField(max_length=500, blank=True, help_text="The feed's id for the entry.")
    title = models.CharField(max_length=500)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    text = models.TextField(help_text="Main text only: page boilerplate and markup removed.")
    content_hash = models.CharField(max_length=64)
    fetched_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title and text folded for search (tracker/lib/folding.py): SQLite's LIKE folds only
    # ASCII, so matching "кикина" to "Кикина" needs a folded copy on both databases. Kept
    # up to date by save() and bulk_create(); a queryset .update() of title/text must set it too.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        constraints = [
            # The same feed entry (GUID) is one article, even if its URL changes.
            models.UniqueConstraint(
                fields=["source", "guid"], condition=~Q(guid=""), name="news_article_guid_unique_per_source"
            ),
        ]
        indexes = [
            # "Same title from the same source within a day" dedupe.
            models.Index(fields=["source", "title"], name="news_article_source_title_idx"),
            # Every list of articles newest first (NEWEST_FIRST in queries.py: the news page,
            # the article API, /feeds/news.atom, the dashboard's and a mission's news, the
            # admin's changelist), the index in exactly that order so that a page is read off
            # it, not sorted from the whole table. See NewestFirstIndex for SQLite.
            NewestFirstIndex(name="news_article_newest_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "text"} & set(update_fields):
            self.search_text = search_document(self.title, self.text)
            kwargs["update_fields"] = _with_search_text(update_fields)
        super().save(*args, **kwargs)


class MentionKind(models.TextChoices):
    MISSION = "mission", "mission"
    PERSON = "person", "person"
    VEHICLE = "vehicle", "vehicle"


class Mention(models.Model):
    """One thing in the record an article names, with the sentence that names it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(max_length=10, choices=MentionKind.choices)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    vehicle = models.ForeignKey(VehicleFamily, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    evidence = models.TextField()

    class Meta:
        constraints = [
            # Exactly the foreign key its kind names is set.
            models.CheckConstraint(
                condition=Q(kind="mission", mission__isnull=False, person__isnull=True, vehicle__isnull=True)
                | Q(kind="person", mission__isnull=True, person__isnull=False, vehicle__isnull=True)
                | Q(kind="vehicle", mission__isnull=True, person__isnull=True, vehicle__isnull=False),
                name="news_mention_one_target",
            ),
            models.UniqueConstraint(fields=["article", "mission"], name="news_mention_mission_once"),
            models.UniqueConstraint(fields=["article", "person"], name="news_mention_person_once"),
            models.UniqueConstraint(fields=["article", "vehicle"], name="news_mention_vehicle_once"),
        ]

    def __str__(self):
        return f"{self.article} → {self.mission or self.person or self.vehicle}"


class ProposalKind(models.TextChoices):
    LAUNCH = "launch", "launch"
    DOCKING = "docking", "docking"
    UNDOCKING = "undocking", "undocking"
    LANDING = "landing", "landing"
    DELAY = "delay", "delay / new launch date"
    CREW_ASSIGNMENT = "crew_assignment", "crew assignment"
    AGREEMENT = "agreement", "agreement signing / extension"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "waiting for review"
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "rejected"


class ProposedUpdate(models.Model):
    """A change to the record that news reports, for an editor to accept or reject.

    One fact is one proposal however many articles report it (`fact_key` is unique);
    each article that supports it is one ProposalEvidence row."""

    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    date = models.DateField(null=True, blank=True)
    # The time of day (UTC) when the news gives one; the proposal is then exact to the minute.
    time = models.TimeField(null=True, blank=True, help_text="Time of day, UTC, when the news gives one.")
    precision = models.CharField(max_length=10, choices=Precision.choices, blank=True)
    happened = models.BooleanField(default=False)
    summary = models.CharField(max_length=300)
    fact_key = models.CharField(max_length=300, unique=True)
    confidence = models.FloatField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What accepting it changed, or why it was rejected.")
    articles = models.ManyToManyField(Article, through="ProposalEvidence", related_name="proposals")

    class Meta:
        ordering = ["status", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values), name="news_proposal_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="news_proposal_status_valid"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="news_proposal_confidence_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=True, precision="") | (Q(date__isnull=False) & ~Q(precision="")),
                name="news_proposal_precision_iff_date",
            ),
            models.CheckConstraint(
                condition=Q(time__isnull=True) | Q(date__isnull=False, precision="exact"),
                name="news_proposal_time_is_exact_on_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind="crew_assignment") | Q(person__isnull=False, mission__isnull=False),
                name="news_proposal_crew_assignment_names_person_and_mission",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["crew_assignment", "agreement"]) | Q(mission__isnull=False, date__isnull=False),
                name="news_proposal_event_names_mission_and_date",
            ),
        ]
        indexes = [
            # The admin's proposal list (its ordering, and the pk it adds to break ties),
            # read a page at a time off this index however many proposals have piled up.
            models.Index(fields=["status", "-created_at", "-id"], name="news_proposal_review_idx")
        ]

    def __str__(self):
        return self.summary

    @property
    def instant(self) -> dt.datetime | None:
        """The proposed date (and time, if any) as a UTC datetime: the start of its window."""
        if self.date is None:
            return None
        return dt.datetime.combine(self.date, self.time or dt.time(), dt.UTC)

    @property
    def date_display(self) -> str:
        return format_instant(self.instant, self.precision)


class ProposalEvidence(models.Model):
    """One article's support for a proposal: the sentence that says so."""

    proposal = models.ForeignKey(ProposedUpdate, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="evidence")
    sentence = models.TextField()
    confidence = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "article"], name="news_evidence_once_per_article")]
        verbose_name_plural = "proposal evidence"

    def __str__(self):
        return self.sentence[:80]
