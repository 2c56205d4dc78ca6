from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Agency(models.Model):
    """A space agency (or national programme) that crew members fly for or that operates vehicles."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("Short name the press uses: Roscosmos, NASA.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    history = HistoricalRecords(verbose_name=_("historical agency"), verbose_name_plural=_("historical agencies"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name


class Person(models.Model):
    """A cosmonaut, astronaut or spaceflight participant."""

    name = models.CharField(
        pgettext_lazy("a person's", "name"),
        max_length=200,
        unique=True,
        help_text=_("Canonical spelling, e.g. Francisco Rubio."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name in Cyrillic as Russian readers know it, e.g. Фрэнк Рубио; the Russian pages show it. "
            "Blank: they show the canonical spelling."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", verbose_name=_("agency"))
    nationality = models.CharField(_("nationality"), max_length=100, blank=True, help_text=_("Blank when unknown."))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(verbose_name=_("historical person"), verbose_name_plural=_("historical people"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("record:person", args=[self.slug])

    @property
    def reader_name(self) -> str:
        """The name in the reader's script: the Cyrillic name on Russian pages where the
        record has one ('Фрэнк Рубио'), else the canonical spelling."""
        if self.name_ru and (translation.get_language() or "").startswith("ru"):
            return self.name_ru
        return self.name


class PersonAlias(models.Model):
    """Another spelling of a person's name in the press: 'Frank Rubio', 'Кикина', 'Sergei Prokopyev'."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person"))
    alias = models.CharField(_("alias"), max_length=200)
    history = HistoricalRecords(
        verbose_name=_("historical person alias"), verbose_name_plural=_("historical person aliases")
    )

    class Meta:
        ordering = ["alias"]
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        constraints = [
            # One spelling names one person; matching news text to people relies on it.
            models.UniqueConstraint(fields=["alias"], name="person_alias_unique"),
        ]

    def __str__(self):
        return self.alias
