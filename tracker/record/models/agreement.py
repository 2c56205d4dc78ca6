from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tracker.lib.fuzzy_dates import Precision, format_instant
from tracker.lib.instants import FIRST_DAY, LAST_DAY, validate_in_record_range

from .citation import Citation
from .missions import Mission
from .people import Agency


class Agreement(models.Model):
    """An agreement under which the parties fly each other's crew (the 2022 seat swap)."""

    name = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    short_name = models.CharField(max_length=100)
    parties = models.ManyToManyField(Agency, related_name="agreements")
    terms_summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Citation, blank=True, related_name="agreements")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("record:agreement")


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", "original agreement"
    ADDENDUM = "addendum", "addendum / extension"
    STATEMENT = "statement", "statement (not a signed document)"


def _date_precision_constraints(event: str):
    return [
        models.CheckConstraint(
            condition=Q(**{f"{event}_on__isnull": True, f"{event}_precision": ""})
            | (Q(**{f"{event}_on__isnull": False}) & ~Q(**{f"{event}_precision": ""})),
            name=f"agreement_document_{event}_precision_iff_date",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{event}_precision__in": ["", *Precision.values]}),
            name=f"agreement_document_{event}_precision_valid",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{event}_on__isnull": True}) | Q(**{f"{event}_on__range": (FIRST_DAY, LAST_DAY)}),
            name=f"agreement_document_{event}_in_record_range",
            violation_error_message=f"The {event} date must fall between 1957-10-04 and 2100-12-31.",
        ),
    ]


class AgreementDocument(models.Model):
    """The original agreement or one of its addenda/extensions, and the flights it covers."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    key = models.SlugField(max_length=100, help_text="Stable identifier, e.g. 'original', 'addendum_2'.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    signed_on = models.DateField(
        null=True, blank=True, validators=[validate_in_record_range], help_text="Blank when unknown."
    )
    signed_precision = models.CharField(max_length=10, choices=Precision.choices, blank=True)
    announced_on = models.DateField(
        null=True, blank=True, validators=[validate_in_record_range], help_text="Blank when unknown."
    )
    announced_precision = models.CharField(max_length=10, choices=Precision.choices, blank=True)
    covers = models.TextField(blank=True, help_text="What the document covers, in words.")
    crew_changes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    missions = models.ManyToManyField(Mission, blank=True, related_name="agreement_documents")
    sources = models.ManyToManyField(Citation, blank=True, related_name="agreement_documents")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", models.F("announced_on").asc(nulls_last=True), "key"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="agreement_document_key_unique"),
            models.UniqueConstraint(fields=["agreement", "title"], name="agreement_document_title_unique"),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="agreement_document_kind_valid"),
            *_date_precision_constraints("signed"),
            *_date_precision_constraints("announced"),
        ]

    def __str__(self):
        return self.title

    @property
    def signed_display(self) -> str:
        return format_instant(self.signed_on, self.signed_precision)

    @property
    def announced_display(self) -> str:
        return format_instant(self.announced_on, self.announced_precision)
