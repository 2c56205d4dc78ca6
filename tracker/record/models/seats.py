import datetime as dt

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .agreement import covered_by_agreement
from .missions import FLOWN_STATUSES, Certainty, Mission, MissionStatus
from .people import Person


class Leg(models.TextChoices):
    ASCENT = "ascent", _("ascent (up)")
    DESCENT = "descent", _("descent (down)")


class Role(models.TextChoices):
    COMMANDER = "commander", pgettext_lazy("crew role", "commander")
    PILOT = "pilot", pgettext_lazy("crew role", "pilot")
    FLIGHT_ENGINEER = "flight_engineer", pgettext_lazy("crew role", "flight engineer")
    MISSION_SPECIALIST = "mission_specialist", pgettext_lazy("crew role", "mission specialist")
    SPACEFLIGHT_PARTICIPANT = "spaceflight_participant", pgettext_lazy("crew role", "spaceflight participant")


def cross_flight_condition() -> Q:
    """A party's crew member riding the other party's vehicle on a flight the agreement covers."""
    return Q(Exists(covered_by_agreement())) & ~Q(person__agency_id=F("mission__family__operator_id"))


def return_seat_for_ascent():
    """The descent seat that ends the stay begun by the outer ascent seat: the same person's
    first descent that lands after this launch (or has not landed yet), or the descent on the
    same mission when the launch date is still unknown."""
    return (
        Seat.objects.filter(person=OuterRef("person_id"), leg=Leg.DESCENT)
        .filter(
            Q(mission=OuterRef("mission_id"))
            | Q(mission__landing_at__gte=OuterRef("mission__launch_at"))
            | Q(mission__landing_at__isnull=True)
        )
        .order_by(F("mission__landing_at").asc(nulls_last=True), "mission__name")
    )


def launch_seat_for_descent():
    """The ascent seat that began the stay ended by the outer descent seat: the person's
    latest launch before this landing. A launch with no date yet only qualifies on the
    same mission, and then it is the one (nulls first)."""
    far_future = models.Value(dt.datetime(9999, 1, 1, tzinfo=dt.UTC))
    return (
        Seat.objects.filter(person=OuterRef("person_id"), leg=Leg.ASCENT)
        .filter(
            Q(mission=OuterRef("mission_id"))
            | Q(mission__launch_at__lte=Coalesce(OuterRef("mission__landing_at"), far_future))
        )
        .order_by(F("mission__launch_at").desc(nulls_first=True))
    )


def _happened(event: str) -> Case:
    """The mission's `event` time when it happened, NULL when it is unknown or a target."""
    return Case(
        When(**{f"mission__{event}_certainty": Certainty.CONFIRMED}, then=F(f"mission__{event}_at")),
        default=None,
        output_field=models.DateTimeField(),
    )


class SeatQuerySet(models.QuerySet):
    def with_connections(self):
        """Annotate where each seat's stay began and ended when that is another mission:
        `returned_on` (for ascent seats) and `launched_on` (for descent seats), as names and slugs."""
        returning = return_seat_for_ascent()
        launching = launch_seat_for_descent()
        return self.annotate(
            returned_on=Subquery(returning.values("mission__name")[:1]),
            returned_on_slug=Subquery(returning.values("mission__slug")[:1]),
            launched_on=Subquery(launching.values("mission__name")[:1]),
            launched_on_slug=Subquery(launching.values("mission__slug")[:1]),
        )

    def for_crew_lists(self):
        """What a crew list shows: person, agency, role, leg, cross-flight flag, other mission."""
        return self.with_cross_flight().with_connections().select_related("person__agency").order_by("leg", "pk")

    def with_cross_flight(self):
        return self.annotate(
            is_cross_flight=ExpressionWrapper(cross_flight_condition(), output_field=models.BooleanField())
        )

    def cross_flight(self):
        return self.filter(cross_flight_condition())

    def with_return_cross_flight(self):
        """Annotate ascent seats with `returns_cross_flight`: the seat that brings the person
        home is a cross-flight seat (a stay that went up at home and came down on the other
        party's vehicle counts as a cross-flight on the person page and in the API)."""
        return self.annotate(returns_cross_flight=Exists(return_seat_for_ascent().filter(cross_flight_condition())))

    def stays(self, now: dt.datetime | None = None):
        """One row per stay in space: ascent seats annotated with the mission that brought
        the person home (`return_mission_id`), the stay's end (`stay_end`, null while still
        up) and its length so far (`stay_duration`)."""
        now = now or timezone.now()
        returning = return_seat_for_ascent()
        return (
            self.filter(leg=Leg.ASCENT)
            .annotate(
                return_mission_id=Subquery(returning.values("mission_id")[:1]),
                return_status=Subquery(returning.values("mission__status")[:1]),
                # Only what happened ends a stay: a landing target (even one long passed)
                # leaves the person up, and counting on to now.
                stay_end=Subquery(returning.annotate(end=_happened("landing")).values("end")[:1]),
                left_station_at=Subquery(
                    returning.annotate(left=Coalesce(_happened("undocking"), _happened("landing"))).values("left")[:1]
                ),
            )
            .annotate(
                # Time up so far as of `now`: a stay still running (or ending after `now`)
                # counts to `now`; so does one whose landing is only a target (stay_end is null).
                stay_duration=ExpressionWrapper(
                    Least(Coalesce(F("stay_end"), models.Value(now)), models.Value(now)) - F("mission__launch_at"),
                    output_field=models.DurationField(),
                )
            )
        )

    def aboard_at(self, instant: dt.datetime | None = None):
        """Stays during which the person was aboard the ISS at `instant` (default: now)."""
        instant = instant or timezone.now()
        return (
            self.stays(instant)
            .filter(mission__status__in=FLOWN_STATUSES)
            .alias(arrived_at=Coalesce("mission__docking_at", "mission__launch_at"))
            .filter(arrived_at__lte=instant)
            .filter(
                Q(left_station_at__gt=instant)
                # No departure that happened (none yet, or only a target, passed or not):
                # aboard as far as the record knows, unless the flight home has landed.
                | (Q(left_station_at__isnull=True) & ~Q(return_status=MissionStatus.LANDED))
            )
        )

    def total_days_by_person(self, now: dt.datetime | None = None):
        """Time in space per person over stays that have begun: {person_id: timedelta}."""
        now = now or timezone.now()
        rows = (
            self.stays(now)
            .filter(mission__status__in=FLOWN_STATUSES, mission__launch_at__lte=now)
            .values("person_id")
            .annotate(total=Sum("stay_duration"))
            .values_list("person_id", "total")
        )
        return dict(rows)


class Seat(models.Model):
    """One person on one leg of one mission. A person who launches on one vehicle and lands
    on another has two seats: ascent on the first, descent on the second."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="seats", verbose_name=_("mission"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seats", verbose_name=_("person"))
    leg = models.CharField(_("leg"), max_length=10, choices=Leg.choices)
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, blank=True, help_text=_("Blank when unknown.")
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["mission", "leg", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "person", "leg"], name="seat_one_per_person_mission_leg"),
            models.CheckConstraint(condition=Q(leg__in=Leg.values), name="seat_leg_valid"),
            models.CheckConstraint(condition=Q(role__in=["", *Role.values]), name="seat_role_valid"),
        ]
        indexes = [
            # Pairing an ascent with its return seat looks up a person's descents.
            models.Index(fields=["person", "leg"], name="seat_person_leg_idx"),
        ]

    def __str__(self):
        return f"{self.person} — {self.mission} ({self.get_leg_display()})"

    def clean(self):
        from tracker.record.validation import validate_seat

        validate_seat(self)

    @property
    def role_label(self) -> str:
        """The role in the reader's language ('flight engineer', 'бортинженер'); '' when unknown.
        For the pages: get_role_display() hashes every choice's lazy label, translating each,
        on every call, which on a dashboard of a hundred seats costs more than the render."""
        return str(Role(self.role).label) if self.role else ""
