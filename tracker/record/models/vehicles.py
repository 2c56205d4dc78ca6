import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .people import Agency

# The longest usual stay a vehicle may be given (the longest single flight so far is 437
# days): bounded so that `launch + typical stay` always stays a representable date.
LONGEST_TYPICAL_STAY = dt.timedelta(days=5 * 366)


class VehicleFamily(models.Model):
    """A spacecraft type: Soyuz MS, Crew Dragon, Starliner."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    operator = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="vehicle_families",
        help_text="The agency whose crew-rotation flights this vehicle flies and whose seats it assigns.",
    )
    builder = models.CharField(max_length=100, blank=True, help_text="Manufacturer: RSC Energia, SpaceX, Boeing.")
    seats = models.PositiveSmallIntegerField(help_text="Crew seats aboard.")
    typical_stay = models.DurationField(
        null=True,
        blank=True,
        validators=[MinValueValidator(dt.timedelta(days=1)), MaxValueValidator(LONGEST_TYPICAL_STAY)],
        help_text="Usual time from launch to landing; marks an in-flight mission with no "
        "planned landing as stale once this has passed.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "vehicle families"
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


class Spacecraft(models.Model):
    """One flown craft of a family: Crew Dragon Endurance, Soyuz MS-22 'K.E. Tsiolkovsky'."""

    family = models.ForeignKey(VehicleFamily, on_delete=models.PROTECT, related_name="craft")
    name = models.CharField(max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family__name", "name"]
        verbose_name_plural = "spacecraft"
        constraints = [
            models.UniqueConstraint(fields=["family", "name"], name="spacecraft_unique_in_family"),
        ]

    def __str__(self):
        return f"{self.family.name} {self.name}"
