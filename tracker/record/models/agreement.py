from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker.lib.fuzzy_dates import Precision, format_instant
from tracker.lib.instants import FIRST_DAY, LAST_DAY, validate_in_record_range

from .citation import Citation
from .missions import Mission
from .people import Agency


class Agreement(models.Model):
    """An agreement under which the parties fly each other's crew (the 2022 seat swap)."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=100)
    short_name_ru = models.CharField(
        _("short name in Russian"),
        max_length=100,
        blank=True,
        help_text=_("What Russian pages call the agreement. Blank: they show the short name."),
    )
    parties = models.ManyToManyField(Agency, related_name="agreements", verbose_name=_("parties"))
    terms_summary = models.TextField(_("terms in brief"), blank=True)
    terms_summary_ru = models.TextField(
        _("terms in brief, in Russian"),
        blank=True,
        help_text=_("What Russian pages say of the terms. Blank: they show the English text."),
    )
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Citation, blank=True, related_name="agreements", verbose_name=_("sources"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("record:agreement")

    @property
    def reader_short_name(self) -> str:
        """The short name in the reader's language: the Russian one on Russian pages where the record has one."""
        return _in_reader_language(self.short_name, self.short_name_ru)

    @property
    def reader_terms_summary(self) -> str:
        """The terms in brief in the reader's language, where the record has them so."""
        return _in_reader_language(self.terms_summary, self.terms_summary_ru)


def _in_reader_language(english: str, russian: str) -> str:
    if russian and (translation.get_language() or "").startswith("ru"):
        return russian
    return english


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("original agreement")
    ADDENDUM = "addendum", _("addendum / extension")
    STATEMENT = "statement", _("statement (not a signed document)")


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

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    key = models.SlugField(_("key"), max_length=100, help_text=_("Stable identifier, e.g. 'original', 'addendum_2'."))
    title = models.CharField(_("title"), max_length=200)
    title_ru = models.CharField(
        _("title in Russian"),
        max_length=200,
        blank=True,
        help_text=_("The title Russian pages show. Blank: they show the title."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[validate_in_record_range], help_text=_("Blank when unknown.")
    )
    signed_precision = models.CharField(
        _("signing date known to"), max_length=10, choices=Precision.choices, blank=True
    )
    announced_on = models.DateField(
        _("announced on"),
        null=True,
        blank=True,
        validators=[validate_in_record_range],
        help_text=_("Blank when unknown."),
    )
    announced_precision = models.CharField(
        _("announcement date known to"), max_length=10, choices=Precision.choices, blank=True
    )
    covers = models.TextField(_("covers"), blank=True, help_text=_("What the document covers, in words."))
    crew_changes = models.TextField(_("crew changes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    missions = models.ManyToManyField(
        Mission, blank=True, related_name="agreement_documents", verbose_name=_("missions")
    )
    sources = models.ManyToManyField(
        Citation, blank=True, related_name="agreement_documents", verbose_name=_("sources")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
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
    def reader_title(self) -> str:
        """The title in the reader's language: the Russian one on Russian pages where the record has one."""
        return _in_reader_language(self.title, self.title_ru)

    @property
    def signed_display(self) -> str:
        return format_instant(self.signed_on, self.signed_precision)

    @property
    def announced_display(self) -> str:
        return format_instant(self.announced_on, self.announced_precision)


def covered_by_agreement():
    """Agreement documents that cover the outer seat's mission, where the outer seat's person
    and the mission's operator are both parties to that agreement."""
    return AgreementDocument.objects.filter(
        missions=OuterRef("mission_id"), agreement__parties=OuterRef("person__agency_id")
    ).filter(agreement__parties=OuterRef("mission__family__operator_id"))
