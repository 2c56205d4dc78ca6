import datetime as dt

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from tracker.lib.fuzzy_dates import Precision, format_instant, window_end, window_start
from tracker.lib.instants import END_INSTANT, FIRST_INSTANT, shifted, validate_in_record_range

from .citation import Citation
from .vehicles import LONGEST_TYPICAL_STAY, Spacecraft, VehicleFamily

# The four events of a flight, in the order they must happen.
EVENTS = ("launch", "docking", "undocking", "landing")

# An expected event is only called overdue once its whole window ended this long ago:
# news of a launch takes a while to reach the record, and a flag that flickers on for a
# few hours after every launch would teach viewers to ignore it.
STALE_GRACE = dt.timedelta(days=1)


# How the Russian press writes the start of a mission's name (see Mission.reader_name).
RUSSIAN_NAME_PREFIXES = [("Soyuz MS-", "Союз МС-"), ("Soyuz TMA-", "Союз ТМА-"), ("Soyuz ", "Союз ")]


class MissionStatus(models.TextChoices):
    PLANNED = "planned", "planned"
    SCHEDULED = "scheduled", "scheduled"
    DELAYED = "delayed", "delayed"
    IN_FLIGHT = "in_flight", "in flight"
    LANDED = "landed", "landed"
    CANCELLED = "cancelled", "cancelled"


UPCOMING_STATUSES = (MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.DELAYED)
FLOWN_STATUSES = (MissionStatus.IN_FLIGHT, MissionStatus.LANDED)
# Statuses under which no event of the flight has happened yet.
UNFLOWN_STATUSES = (*UPCOMING_STATUSES, MissionStatus.CANCELLED)


class Certainty(models.TextChoices):
    """Whether an event's recorded time is what happened or what was announced.

    A target is the latest announced time of an event that has not happened ("launch
    14 July 2026"); "no earlier than" is a target that only bounds it from below ("NET
    September 2026"). The pages show a target as a target and call it overdue once its
    window has passed with no confirmation; accepting a report that the event happened
    turns it into `confirmed`.
    """

    CONFIRMED = "confirmed", "happened"
    TARGET = "target", "target"
    NO_EARLIER_THAN = "net", "target, no earlier than"


TARGETS = (Certainty.TARGET, Certainty.NO_EARLIER_THAN)


def format_event_time(instant: dt.datetime | None, precision: str, certainty: str) -> str:
    """An event's time at its precision, a target said as one: '2022-09-21', 'target
    2026-07-14', 'NET September 2026'. No 'overdue': that depends on when it is read, and
    the record's history (tracker/record/changes.py) shows times as they were written."""
    text = format_instant(instant, precision)
    if certainty == Certainty.TARGET:
        return f"target {text}"
    if certainty == Certainty.NO_EARLIER_THAN and not text.startswith("NET "):
        return f"NET {text}"
    return text


def default_certainty(status: str, event: str) -> str:
    """What a time given with no stated certainty means under the mission's status: before
    the flight every time is a target; in flight the launch and docking have happened and
    the undocking and landing are still to come; after landing everything has happened."""
    if status in UNFLOWN_STATUSES:
        return Certainty.TARGET
    if status == MissionStatus.IN_FLIGHT and event in ("undocking", "landing"):
        return Certainty.TARGET
    return Certainty.CONFIRMED


def overdue(event: str, now: dt.datetime) -> Q:
    """Missions whose `event` is a target whose window ended (more than the grace period)
    before `now` with no confirmation in the record."""
    reference = now - STALE_GRACE
    condition = Q()
    for precision in Precision.values:
        # The window ended before `reference` exactly when it started before the window
        # that contains `reference`: one index-friendly comparison per precision.
        condition |= Q(**{f"{event}_precision": precision, f"{event}_at__lt": window_start(reference, precision)})
    return condition & Q(**{f"{event}_certainty__in": TARGETS})


def stale_condition(now: dt.datetime) -> Q:
    """A target whose date has passed with no confirmation in the record, or a flight in
    space with no landing target that has outstayed its vehicle's usual stay."""
    reference = now - STALE_GRACE
    target_overdue = Q(status__in=(*UPCOMING_STATUSES, MissionStatus.IN_FLIGHT)) & (
        overdue("launch", now) | overdue("docking", now) | overdue("undocking", now) | overdue("landing", now)
    )
    outstayed = Q(status=MissionStatus.IN_FLIGHT, landing_at__isnull=True, expected_landing_at__lt=reference)
    return target_overdue | outstayed


class MissionQuerySet(models.QuerySet):
    def with_stale(self, now: dt.datetime | None = None):
        """Annotate `is_stale`: an expected launch or landing has passed unconfirmed."""
        now = now or timezone.now()
        return self.alias(
            # Only rows inside the record's bounds are added up: a launch in year 9999 left
            # by an older version (or by hand in SQL) would overflow, and on SQLite that
            # error would take every page listing missions down with it.
            expected_landing_at=Case(
                When(
                    launch_at__lt=END_INSTANT,
                    family__typical_stay__lte=LONGEST_TYPICAL_STAY,
                    then=ExpressionWrapper(
                        F("launch_at") + F("family__typical_stay"), output_field=models.DateTimeField()
                    ),
                ),
                default=None,
                output_field=models.DateTimeField(),
            )
        ).annotate(
            # An unknown expected landing makes the condition NULL, not false: say "not stale".
            is_stale=Coalesce(
                ExpressionWrapper(stale_condition(now), output_field=models.BooleanField()), models.Value(False)
            )
        )

    def with_cross_flight(self):
        """Annotate `is_cross_flight`: the mission has at least one cross-flight seat."""
        from .seats import Seat

        return self.annotate(is_cross_flight=Exists(Seat.objects.cross_flight().filter(mission=OuterRef("pk"))))

    def cross_flights(self):
        return self.with_cross_flight().filter(is_cross_flight=True)

    def for_listing(self, now: dt.datetime | None = None):
        """Missions as the pages list them: family, craft, stale flag and crew lists."""
        from .seats import Seat

        return (
            self.with_stale(now)
            .select_related("family", "spacecraft")
            .prefetch_related(models.Prefetch("seats", queryset=Seat.objects.for_crew_lists()))
        )

    def upcoming(self):
        return self.filter(status__in=UPCOMING_STATUSES)

    def in_flight(self):
        return self.filter(status=MissionStatus.IN_FLIGHT)

    def completed(self):
        return self.filter(status=MissionStatus.LANDED)


def _event_constraints():
    constraints = []
    for event in EVENTS:
        # A precision is recorded exactly when the instant is: "unknown" is a null instant.
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{event}_at__isnull": True, f"{event}_precision": ""})
                | (Q(**{f"{event}_at__isnull": False}) & ~Q(**{f"{event}_precision": ""})),
                name=f"mission_{event}_precision_iff_time",
            )
        )
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{event}_precision__in": ["", *Precision.values]}),
                name=f"mission_{event}_precision_valid",
            )
        )
        # Likewise a certainty: a recorded time is either what happened or a target.
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{event}_at__isnull": True, f"{event}_certainty": ""})
                | Q(**{f"{event}_at__isnull": False, f"{event}_certainty__in": Certainty.values}),
                name=f"mission_{event}_certainty_iff_time",
                violation_error_message=f"A {event} time is either what happened or a target.",
            )
        )
        # Nothing has happened on a flight that has not flown.
        constraints.append(
            models.CheckConstraint(
                condition=~Q(status__in=UNFLOWN_STATUSES) | ~Q(**{f"{event}_certainty": Certainty.CONFIRMED}),
                name=f"mission_unflown_{event}_not_confirmed",
                violation_error_message=f"A flight that has not flown cannot have a {event} that happened.",
            )
        )
    for event in EVENTS:
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{event}_at__isnull": True})
                | Q(**{f"{event}_at__gte": FIRST_INSTANT, f"{event}_at__lt": END_INSTANT}),
                name=f"mission_{event}_in_record_range",
                violation_error_message=f"The {event} must fall between 1957-10-04 and 2100-12-31 (UTC).",
            )
        )
    ordered_pairs = [("launch", "docking"), ("docking", "undocking"), ("undocking", "landing"), ("launch", "landing")]
    for earlier, later in ordered_pairs:
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{earlier}_at__isnull": True})
                | Q(**{f"{later}_at__isnull": True})
                | Q(**{f"{later}_at__gte": F(f"{earlier}_at")}),
                name=f"mission_{later}_not_before_{earlier}",
                violation_error_message=f"The {later} cannot be before the {earlier}.",
            )
        )
    return constraints


def _instant(event: str) -> models.DateTimeField:
    return models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_in_record_range],
        help_text=f"UTC; the start of the window when the {event} is known only roughly.",
    )


def _precision() -> models.CharField:
    return models.CharField(
        max_length=10, choices=Precision.choices, blank=True, help_text="Blank when the time is unknown."
    )


def _certainty(event: str) -> models.CharField:
    return models.CharField(
        max_length=10,
        choices=Certainty.choices,
        blank=True,
        help_text=f"Whether the {event} time is what happened or an announced target. "
        "Blank: decided from the status (a target until the event is past).",
    )


class Mission(models.Model):
    """One flight to the ISS: Soyuz MS-22, SpaceX Crew-5."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    family = models.ForeignKey(VehicleFamily, on_delete=models.PROTECT, related_name="missions")
    spacecraft = models.ForeignKey(
        Spacecraft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        help_text="The individual craft, where it is known.",
    )
    launch_vehicle = models.CharField(max_length=100, blank=True, help_text="Blank when unknown.")
    launch_site = models.CharField(max_length=200, blank=True, help_text="Blank when unknown.")
    launch_at = _instant("launch")
    launch_precision = _precision()
    launch_certainty = _certainty("launch")
    docking_at = _instant("docking")
    docking_precision = _precision()
    docking_certainty = _certainty("docking")
    undocking_at = _instant("undocking")
    undocking_precision = _precision()
    undocking_certainty = _certainty("undocking")
    landing_at = _instant("landing")
    landing_precision = _precision()
    landing_certainty = _certainty("landing")
    status = models.CharField(max_length=20, choices=MissionStatus.choices, default=MissionStatus.PLANNED)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Citation, blank=True, related_name="missions")
    history = HistoricalRecords()

    objects = MissionQuerySet.as_manager()

    class Meta:
        ordering = [F("launch_at").asc(nulls_last=True), "name"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MissionStatus.values), name="mission_status_valid"),
            # A flight that has flown has a launch time, even if only to the day.
            models.CheckConstraint(
                condition=~Q(status__in=FLOWN_STATUSES) | Q(launch_at__isnull=False),
                name="mission_flown_has_launch",
                violation_error_message="A mission in flight or landed needs a launch time.",
            ),
            # The status and the launch agree: a flight in space or home has launched.
            models.CheckConstraint(
                condition=~Q(status__in=FLOWN_STATUSES) | Q(launch_certainty=Certainty.CONFIRMED),
                name="mission_flown_launch_confirmed",
                violation_error_message="A mission in flight or landed has launched: its launch is not a target.",
            ),
            # ... and a landed flight's landing, if its time is known, happened.
            models.CheckConstraint(
                condition=~Q(status=MissionStatus.LANDED) | ~Q(landing_certainty__in=TARGETS),
                name="mission_landed_landing_confirmed",
                violation_error_message="A landed mission's landing is not a target.",
            ),
            *_event_constraints(),
        ]
        indexes = [
            # Dashboard sections filter on status and order by launch.
            models.Index(fields=["status", "launch_at"], name="mission_status_launch_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.settle_certainty()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("record:mission", args=[self.slug])

    @property
    def reader_name(self) -> str:
        """The mission's name as the reader's press writes it: 'Союз МС-22' on Russian pages
        for 'Soyuz MS-22'. Only the vehicle's own name changes script; names the Russian press
        keeps in Latin ('SpaceX Crew-5', 'Boeing Crew Flight Test') stay as they are."""
        if (translation.get_language() or "").startswith("ru"):
            for latin, cyrillic in RUSSIAN_NAME_PREFIXES:
                if self.name.startswith(latin):
                    return cyrillic + self.name.removeprefix(latin)
        return self.name

    def describe(self, event: str, now: dt.datetime | None = None) -> str:
        """The event's time at its real precision, a target said as one: '2022-09-21',
        'target 2026-07-14', 'NET September 2026', with ', overdue' once a target has
        passed unconfirmed; 'unknown' when the record has no time."""
        text = format_event_time(
            getattr(self, f"{event}_at"), getattr(self, f"{event}_precision"), getattr(self, f"{event}_certainty")
        )
        if self.is_overdue(event, now):
            text += ", overdue"
        return text

    def is_target(self, event: str) -> bool:
        """The event's recorded time is an announced target, not what happened."""
        return getattr(self, f"{event}_certainty") in TARGETS

    def is_overdue(self, event: str, now: dt.datetime | None = None) -> bool:
        """A target whose whole window (and the grace period) has passed unconfirmed; never
        for a cancelled flight, whose targets will not happen."""
        instant, precision = getattr(self, f"{event}_at"), getattr(self, f"{event}_precision")
        if not self.is_target(event) or instant is None or self.status == MissionStatus.CANCELLED:
            return False
        return shifted(window_end(instant, precision), STALE_GRACE) <= (now or timezone.now())

    def settle_certainty(self) -> None:
        """Make each event's certainty agree with the status, which says what has happened:
        before the flight nothing has (a time is a target), a flight in space has launched,
        a landed one has done everything. Within what the status leaves open (an in-flight
        docking or landing, a target or a NET), a stated certainty stands and a blank one
        takes the default. Code that predates targets, and an editor who leaves the field
        blank, still write a coherent row."""
        for event in EVENTS:
            certainty = getattr(self, f"{event}_certainty")
            if getattr(self, f"{event}_at") is None:
                certainty = ""
            elif self.status in UNFLOWN_STATUSES:
                certainty = certainty if certainty in TARGETS else Certainty.TARGET
            elif self.status == MissionStatus.LANDED or event == "launch":
                certainty = Certainty.CONFIRMED
            elif not certainty:
                certainty = default_certainty(self.status, event)
            setattr(self, f"{event}_certainty", certainty)

    def clean(self):
        from tracker.record.validation import validate_mission

        self.settle_certainty()  # before the CHECKs are validated
        validate_mission(self)
