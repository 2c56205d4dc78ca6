from django.db import models
from django.urls import reverse
from django.utils import translation
from simple_history.models import HistoricalRecords


class Agency(models.Model):
    """A space agency (or national programme) that crew members fly for or that operates vehicles."""

    name = models.CharField(max_length=100, unique=True, help_text="Short name the press uses: Roscosmos, NASA.")
    slug = models.SlugField(max_length=100, unique=True)
    full_name = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Person(models.Model):
    """A cosmonaut, astronaut or spaceflight participant."""

    name = models.CharField(max_length=200, unique=True, help_text="Canonical spelling, e.g. Francisco Rubio.")
    name_ru = models.CharField(
        "name in Russian",
        max_length=200,
        blank=True,
        help_text="The name in Cyrillic as Russian readers know it, e.g. Фрэнк Рубио; the Russian pages show it. "
        "Blank: they show the canonical spelling.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    nationality = models.CharField(max_length=100, blank=True, help_text="Blank when unknown.")
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

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

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "person aliases"
        constraints = [
            # One spelling names one person; matching news text to people relies on it.
            models.UniqueConstraint(fields=["alias"], name="person_alias_unique"),
        ]

    def __str__(self):
        return self.alias
