import datetime as dt

from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.lib.fuzzy_dates import Precision, format_instant, window_end, window_start
from tracker.lib.instants import END_INSTANT, FIRST_INSTANT, shifted, validate_in_record_range

from .citation import Citation
from .vehicles import LONGEST_TYPICAL_STAY, RUSSIAN_NAME_PREFIXES, Spacecraft, VehicleFamily

# The four events of a flight, in the order they must happen.
EVENTS = ("launch", "docking", "undocking", "landing")

# An expected event is only called overdue once its whole window ended this long ago:
# news of a launch takes a while to reach the record, and a flag that flickers on for a
# few hours after every launch would teach viewers to ignore it.
STALE_GRACE = dt.timedelta(days=1)


class MissionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("mission status", "planned")
    SCHEDULED = "scheduled", pgettext_lazy("mission status", "scheduled")
    DELAYED = "delayed", pgettext_lazy("mission status", "delayed")
    IN_FLIGHT = "in_flight", pgettext_lazy("mission status", "in flight")
    LANDED = "landed", pgettext_lazy("mission status", "landed")
    CANCELLED = "cancelled", pgettext_lazy("mission status", "cancelled")


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

    CONFIRMED = "confirmed", pgettext_lazy("certainty", "happened")
    TARGET = "target", pgettext_lazy("certainty", "target")
    NO_EARLIER_THAN = "net", pgettext_lazy("certainty", "target, no earlier than")


TARGETS = (Certainty.TARGET, Certainty.NO_EARLIER_THAN)

# Windows that format_instant already writes as "NET Q3 2026": no second "NET" for them.
NET_WINDOWS = (Precision.QUARTER, Precision.HALF, Precision.YEAR)

# The events' names as the pages write them (capitalised where a sentence starts with one).
EVENT_NAMES = {
    "launch": pgettext_lazy("event", "launch"),
    "docking": pgettext_lazy("event", "docking"),
    "undocking": pgettext_lazy("event", "undocking"),
    "landing": pgettext_lazy("event", "landing"),
}


def reader_mission_name(name: str) -> str:
    """A mission's name as the reader's press writes it ('Союз МС-22' on Russian pages for
    'Soyuz MS-22'), for names that come from a query rather than a Mission."""
    if name and (translation.get_language() or "").startswith("ru"):
        for latin, cyrillic in RUSSIAN_NAME_PREFIXES:
            if name.startswith(latin):
                return cyrillic + name.removeprefix(latin)
    return name


def format_net_time(instant: dt.datetime | None, precision: str) -> str:
    """The time as it reads after "NET" ("NET September 2026"): a month is said in the form
    the language puts after "no earlier than" (Russian: 'не ранее сентября 2026')."""
    if instant is not None and precision == Precision.MONTH:
        return dateformat.format(instant, pgettext("date format: no earlier than a month", "F Y"))
    return format_instant(instant, precision)


def format_event_time(instant: dt.datetime | None, precision: str, certainty: str) -> str:
    """An event's time at its precision, a target said as one: '2022-09-21', 'target
    2026-07-14', 'NET September 2026' (in Russian 'цель 14 июля 2026', 'не ранее сентября
    2026'). No 'overdue': that depends on when it is read, and the record's history
    (tracker/record/changes.py) shows times as they were written."""
    if certainty == Certainty.TARGET:
        return gettext("target %(time)s") % {"time": format_instant(instant, precision)}
    if certainty == Certainty.NO_EARLIER_THAN and precision not in NET_WINDOWS:
        return gettext("NET %(time)s") % {"time": format_net_time(instant, precision)}
    return format_instant(instant, precision)


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
        seats = self.model.seats.rel.related_model.objects  # Seat (seats.py imports this module)
        return self.annotate(is_cross_flight=Exists(seats.cross_flight().filter(mission=OuterRef("pk"))))

    def cross_flights(self):
        return self.with_cross_flight().filter(is_cross_flight=True)

    def involving(self, agencies):
        """Missions an agency took part in: one of its people flew on it, or it operates the
        vehicle (the dashboard's and the missions index's agency filter, and the API's)."""
        seats = self.model.seats.rel.related_model.objects  # Seat (seats.py imports this module)
        crew = seats.filter(mission=OuterRef("pk"), person__agency__in=agencies)
        return self.filter(Q(Exists(crew)) | Q(family__operator__in=agencies))

    def carrying(self, people):
        """Missions any of `people` flew on (up or down)."""
        seats = self.model.seats.rel.related_model.objects
        return self.filter(Exists(seats.filter(mission=OuterRef("pk"), person__in=people)))

    def for_listing(self, now: dt.datetime | None = None):
        """Missions as the pages list them: family, craft, stale flag and crew lists."""
        seats = self.model.seats.rel.related_model.objects  # Seat (seats.py imports this module)
        return (
            self.with_stale(now)
            .select_related("family", "spacecraft")
            .prefetch_related(models.Prefetch("seats", queryset=seats.for_crew_lists()))
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


# Labels and help of each event's three fields, written out whole so each translates whole.
EVENT_FIELDS = {
    "launch": {
        "at": _("launch time"),
        "precision": _("launch time precision"),
        "certainty": _("launch certainty"),
        "at_help": _("UTC; the start of the window when the launch is known only roughly."),
        "certainty_help": _(
            "Whether the launch time is what happened or an announced target. "
            "Blank: decided from the status (a target until the event is past)."
        ),
    },
    "docking": {
        "at": _("docking time"),
        "precision": _("docking time precision"),
        "certainty": _("docking certainty"),
        "at_help": _("UTC; the start of the window when the docking is known only roughly."),
        "certainty_help": _(
            "Whether the docking time is what happened or an announced target. "
            "Blank: decided from the status (a target until the event is past)."
        ),
    },
    "undocking": {
        "at": _("undocking time"),
        "precision": _("undocking time precision"),
        "certainty": _("undocking certainty"),
        "at_help": _("UTC; the start of the window when the undocking is known only roughly."),
        "certainty_help": _(
            "Whether the undocking time is what happened or an announced target. "
            "Blank: decided from the status (a target until the event is past)."
        ),
    },
    "landing": {
        "at": _("landing time"),
        "precision": _("landing time precision"),
        "certainty": _("landing certainty"),
        "at_help": _("UTC; the start of the window when the landing is known only roughly."),
        "certainty_help": _(
            "Whether the landing time is what happened or an announced target. "
            "Blank: decided from the status (a target until the event is past)."
        ),
    },
}


def _instant(event: str) -> models.DateTimeField:
    return models.DateTimeField(
        EVENT_FIELDS[event]["at"],
        null=True,
        blank=True,
        validators=[validate_in_record_range],
        help_text=EVENT_FIELDS[event]["at_help"],
    )


def _precision(event: str) -> models.CharField:
    return models.CharField(
        EVENT_FIELDS[event]["precision"],
        max_length=10,
        choices=Precision.choices,
        blank=True,
        help_text=_("Blank when the time is unknown."),
    )


def _certainty(event: str) -> models.CharField:
    return models.CharField(
        EVENT_FIELDS[event]["certainty"],
        max_length=10,
        choices=Certainty.choices,
        blank=True,
        help_text=EVENT_FIELDS[event]["certainty_help"],
    )


class Mission(models.Model):
    """One flight to the ISS: Soyuz MS-22, SpaceX Crew-5."""

    name = models.CharField(pgettext_lazy("mission field", "name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    family = models.ForeignKey(
        VehicleFamily, on_delete=models.PROTECT, related_name="missions", verbose_name=_("vehicle family")
    )
    spacecraft = models.ForeignKey(
        Spacecraft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("spacecraft"),
        help_text=_("The individual craft, where it is known."),
    )
    launch_vehicle = models.CharField(
        _("launch vehicle"), max_length=100, blank=True, help_text=_("Blank when unknown.")
    )
    launch_site = models.CharField(_("launch site"), max_length=200, blank=True, help_text=_("Blank when unknown."))
    launch_at = _instant("launch")
    launch_precision = _precision("launch")
    launch_certainty = _certainty("launch")
    docking_at = _instant("docking")
    docking_precision = _precision("docking")
    docking_certainty = _certainty("docking")
    undocking_at = _instant("undocking")
    undocking_precision = _precision("docking")
    undocking_certainty = _certainty("undocking")
    landing_at = _instant("landing")
    landing_precision = _precision("landing")
    landing_certainty = _certainty("landing")
    status = models.CharField(_("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    sources = models.ManyToManyField(Citation, blank=True, related_name="missions", verbose_name=_("sources"))
    history = HistoricalRecords()

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
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
    def status_label(self) -> str:
        """The status in the reader's language; an enum lookup, unlike get_status_display(),
        which translates every choice's label on each call (see Seat.role_label)."""
        return str(MissionStatus(self.status).label)

    @property
    def reader_name(self) -> str:
        """The mission's name as the reader's press writes it: 'Союз МС-22' on Russian pages
        for 'Soyuz MS-22'. Only the vehicle's own name changes script; names the Russian press
        keeps in Latin ('SpaceX Crew-5', 'Boeing Crew Flight Test') stay as they are."""
        return reader_mission_name(self.name)

    def describe(self, event: str, now: dt.datetime | None = None, *, mark_overdue: bool = True) -> str:
        """The event's time at its real precision, a target said as one: '2022-09-21',
        'target 2026-07-14', 'NET September 2026', with ', overdue' once a target has
        passed unconfirmed; 'unknown' when the record has no time. In the active language:
        'цель 14 июля 2026', 'не ранее сентября 2026'. `mark_overdue=False` leaves the
        ', overdue' off, for a sentence that says so in its own words."""
        text = format_event_time(
            getattr(self, f"{event}_at"), getattr(self, f"{event}_precision"), getattr(self, f"{event}_certainty")
        )
        if mark_overdue and self.is_overdue(event, now):
            text = gettext("%(time)s, overdue") % {"time": text}
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
