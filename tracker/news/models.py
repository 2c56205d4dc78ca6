"""News: sources we poll, the articles they give, what each mentions, and the updates
to the record they propose for an editor's review."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from tracker.lib.folding import search_document
from tracker.lib.fuzzy_dates import Precision, format_instant
from tracker.record.models import Certainty, Mission, Person, VehicleFamily


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS/Atom feed")
    PAGE = "page", _("single HTML page")
    SAMPLE = "sample", _("bundled sample file (works offline)")


class NewsSourceQuerySet(models.QuerySet):
    def due(self, now: dt.datetime):
        """Enabled sources whose next poll time has come (or that were never polled)."""
        return self.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


class NewsSource(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.CharField(
        _("url"),
        max_length=1000,
        help_text=_("http(s) URL of the feed or page; for a sample source, a file name in tracker/news/samples/."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.FEED)
    enabled = models.BooleanField(_("enabled"), default=False)
    poll_interval = models.DurationField(
        _("poll interval"), default=dt.timedelta(minutes=30), help_text=_("Time between polls.")
    )
    fetch_linked_pages = models.BooleanField(
        _("fetch linked pages"),
        default=True,
        help_text=_("For feed entries with only a short summary, fetch the linked page's main text."),
    )
    allow_private_network = models.BooleanField(
        _("allow private network"),
        default=False,
        help_text=_("Allow loopback, private and link-local addresses. Only for sources you run yourself."),
    )
    auto_accept_confidence = models.FloatField(
        _("auto accept confidence"),
        null=True,
        blank=True,
        help_text=_(
            "Apply proposals from this source without review when their confidence is at least this "
            "(0–1). Blank: every proposal waits for an editor."
        ),
    )
    # Health, for operators.
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    articles_found = models.PositiveIntegerField(
        _("articles found"), default=0, help_text=_("Articles stored from this source so far.")
    )
    # db_default: rows made by code that predates the field (a data migration's historical
    # model) get 0 too.
    entries_left = models.PositiveIntegerField(
        _("entries left"),
        default=0,
        db_default=0,
        help_text=_(
            "Feed entries the last poll did not read because of the cap (at most this many are new); "
            "the next poll reads them."
        ),
    )
    max_entries_per_poll = models.PositiveIntegerField(
        _("max entries per poll"),
        null=True,
        blank=True,
        help_text=_(
            "The most feed entries one poll stores, the newest first; the rest wait for the next poll. "
            "Blank: the NEWS_MAX_ENTRIES_PER_POLL setting."
        ),
    )
    # Conditional GET state and scheduling.
    etag = models.CharField(_("etag"), max_length=500, blank=True)
    last_modified = models.CharField(_("last modified"), max_length=100, blank=True)
    next_poll_at = models.DateTimeField(_("next poll at"), null=True, blank=True)

    objects = NewsSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("news source")
        verbose_name_plural = _("news sources")
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


# Undated articles last on both databases (PostgreSQL would put NULLs first when descending).
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-pk")
# Lists show a short lead of each article (news page, Atom summaries, API excerpts): they read
# this much of its text, not the text itself, which may run to hundreds of KiB.
TEXT_START_CHARS = 600


class ArticleQuerySet(models.QuerySet):
    """The reads every list of articles is made of: the news page and the dashboard's panel
    (tracker/news/queries.py), the Atom feed, the API and search."""

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def naming_a_mission(self, mission=None):
        """Articles that name a mission, or `mission` when given."""
        linked = Mention.objects.filter(article=OuterRef("pk"), mission__isnull=False)
        if mission is not None:
            linked = linked.filter(mission=mission)
        return self.filter(Exists(linked))

    def with_missions(self):
        """With their source and, as `mission_mentions`, the missions each names (by name)."""
        mission_mentions = Mention.objects.filter(mission__isnull=False).select_related("mission")
        return self.select_related("source").prefetch_related(
            Prefetch("mentions", queryset=mission_mentions.order_by("mission__name"), to_attr="mission_mentions")
        )

    def with_text_start(self):
        """With the first TEXT_START_CHARS of the text as `text_start`; the text and its
        search copy are not read."""
        return self.defer("text", "search_text").annotate(text_start=Substr("text", 1, TEXT_START_CHARS))

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
    source = models.ForeignKey(
        NewsSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("source"),
    )
    url = models.CharField(
        _("url"), max_length=1000, unique=True, help_text=_("Canonical URL, tracking parameters removed.")
    )
    guid = models.CharField(_("guid"), max_length=500, blank=True, help_text=_("The feed's id for the entry."))
    title = models.CharField(_("title"), max_length=500)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    text = models.TextField(_("text"), help_text=_("Main text only: page boilerplate and markup removed."))
    content_hash = models.CharField(_("content hash"), max_length=64)
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Title and text folded for search (tracker/lib/folding.py): SQLite's LIKE folds only
    # ASCII, so matching "кикина" to "Кикина" needs a folded copy on both databases. Kept
    # up to date by save() and bulk_create(); a queryset .update() of title/text must set it too.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [*NEWEST_FIRST]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            # The same feed entry (GUID) is one article, even if its URL changes.
            models.UniqueConstraint(
                fields=["source", "guid"], condition=~Q(guid=""), name="news_article_guid_unique_per_source"
            ),
        ]
        indexes = [
            # "Same title from the same source within a day" dedupe.
            models.Index(fields=["source", "title"], name="news_article_source_title_idx"),
            # Latest news on the dashboard.
            models.Index(fields=["-published_at"], name="news_article_published_idx"),
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
    MISSION = "mission", _("mission")
    PERSON = "person", _("person")
    VEHICLE = "vehicle", _("vehicle")


class Mention(models.Model):
    """One thing in the record an article names, with the sentence that names it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("article"))
    kind = models.CharField(_("kind"), max_length=10, choices=MentionKind.choices)
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions", verbose_name=_("mission")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions", verbose_name=_("person")
    )
    vehicle = models.ForeignKey(
        VehicleFamily,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("vehicle"),
    )
    evidence = models.TextField(_("evidence"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
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
    LAUNCH = "launch", _("launch")
    DOCKING = "docking", _("docking")
    UNDOCKING = "undocking", _("undocking")
    LANDING = "landing", _("landing")
    DELAY = "delay", _("delay / new launch date")
    CREW_ASSIGNMENT = "crew_assignment", _("crew assignment")
    AGREEMENT = "agreement", _("agreement signing / extension")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ProposedUpdate(models.Model):
    """A change to the record that news reports, for an editor to accept or reject.

    One fact is one proposal however many articles report it (`fact_key` is unique);
    each article that supports it is one ProposalEvidence row."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals", verbose_name=_("mission")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals", verbose_name=_("person")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    # The time of day (UTC) when the news gives one; the proposal is then exact to the minute.
    time = models.TimeField(_("time"), null=True, blank=True, help_text=_("Time of day, UTC, when the news gives one."))
    precision = models.CharField(_("precision"), max_length=10, choices=Precision.choices, blank=True)
    happened = models.BooleanField(_("happened"), default=False)
    no_earlier_than = models.BooleanField(
        _("no earlier than"),
        default=False,
        help_text=_("A planned date the news gives only as a lower bound (“no earlier than”)."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    fact_key = models.CharField(_("fact key"), max_length=300, unique=True)
    confidence = models.FloatField(_("confidence"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("decided by")
    )
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What accepting it changed, or why it was rejected.")
    )
    articles = models.ManyToManyField(
        Article, through="ProposalEvidence", related_name="proposals", verbose_name=_("articles")
    )

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("proposed update")
        verbose_name_plural = _("proposed updates")
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
                condition=Q(no_earlier_than=False) | Q(happened=False, date__isnull=False),
                name="news_proposal_no_earlier_than_is_a_planned_date",
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
        indexes = [models.Index(fields=["status", "-created_at"], name="news_proposal_review_idx")]

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

    @property
    def certainty(self) -> str:
        """The certainty accepting gives the event's time (Certainty): a report that the event
        happened confirms it; a planned one sets a target, or a NET target for a lower bound."""
        if self.happened:
            return Certainty.CONFIRMED
        return Certainty.NO_EARLIER_THAN if self.no_earlier_than else Certainty.TARGET


class ProposalEvidence(models.Model):
    """One article's support for a proposal: the sentence that says so."""

    proposal = models.ForeignKey(
        ProposedUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("proposal")
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("article"))
    sentence = models.TextField(_("sentence"))
    confidence = models.FloatField(_("confidence"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "article"], name="news_evidence_once_per_article")]
        verbose_name = _("proposal evidence")
        verbose_name_plural = _("proposal evidence")

    def __str__(self):
        return self.sentence[:80]
