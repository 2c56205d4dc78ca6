import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .people import Agency

# The longest usual stay a vehicle may be given (the longest single flight so far is 437
# days): bounded so that `launch + typical stay` always stays a representable date.
LONGEST_TYPICAL_STAY = dt.timedelta(days=5 * 366)


# How the Russian press writes the start of a mission's name (see Mission.reader_name).
RUSSIAN_NAME_PREFIXES = [("Soyuz MS-", "Союз МС-"), ("Soyuz TMA-", "Союз ТМА-"), ("Soyuz ", "Союз ")]


class VehicleFamily(models.Model):
    """A spacecraft type: Soyuz MS, Crew Dragon, Starliner."""

    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    operator = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="vehicle_families",
        verbose_name=_("operator"),
        help_text=_("The agency whose crew-rotation flights this vehicle flies and whose seats it assigns."),
    )
    builder = models.CharField(
        _("builder"), max_length=100, blank=True, help_text=_("Manufacturer: RSC Energia, SpaceX, Boeing.")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), help_text=_("Crew seats aboard."))
    typical_stay = models.DurationField(
        _("usual stay"),
        null=True,
        blank=True,
        validators=[MinValueValidator(dt.timedelta(days=1)), MaxValueValidator(LONGEST_TYPICAL_STAY)],
        help_text=_(
            "Usual time from launch to landing; marks an in-flight mission with no "
            "planned landing as stale once this has passed."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vehicle family")
        verbose_name_plural = _("vehicle families")
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="vehicle_family_has_seats"),
            models.CheckConstraint(
                condition=models.Q(typical_stay__isnull=True)
                | models.Q(typical_stay__gte=dt.timedelta(days=1), typical_stay__lte=LONGEST_TYPICAL_STAY),
                name="vehicle_family_typical_stay_sane",
                violation_error_message="A usual stay runs from one day to five years.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("record:vehicle", args=[self.slug])

    @property
    def reader_name(self) -> str:
        """The family's name as the reader's press writes it: 'Союз МС' on Russian pages for
        'Soyuz MS', by the rule Mission.reader_name follows ('Союз МС-22'); names the Russian
        press keeps in Latin ('Crew Dragon', 'Starliner') stay as they are."""
        if (translation.get_language() or "").startswith("ru"):
            for latin, cyrillic in RUSSIAN_NAME_PREFIXES:
                if f"{self.name}-".startswith(latin):
                    return (cyrillic + f"{self.name}-".removeprefix(latin)).removesuffix("-")
        return self.name


class Spacecraft(models.Model):
    """One flown craft of a family: Crew Dragon Endurance, Soyuz MS-22 'K.E. Tsiolkovsky'."""

    family = models.ForeignKey(
        VehicleFamily, on_delete=models.PROTECT, related_name="craft", verbose_name=_("vehicle family")
    )
    name = models.CharField(pgettext_lazy("of a thing", "name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family__name", "name"]
        verbose_name = _("spacecraft")
        verbose_name_plural = pgettext_lazy("plural", "spacecraft")
        constraints = [
            models.UniqueConstraint(fields=["family", "name"], name="spacecraft_unique_in_family"),
        ]

    def __str__(self):
        return f"{self.family.name} {self.name}"
