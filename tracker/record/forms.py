import datetime as dt

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tracker.lib.fuzzy_dates import Precision
from tracker.lib.instants import validate_in_record_range

from .models import EVENTS, Agency, Certainty, Mission, MissionStatus, VehicleFamily
from .templatetags.reader_tags import lang_attr

PHASE_STATUSES = [
    (MissionStatus.PLANNED, pgettext_lazy("mission status", "planned")),
    (MissionStatus.SCHEDULED, pgettext_lazy("mission status", "scheduled")),
    (MissionStatus.DELAYED, pgettext_lazy("mission status", "delayed")),
    (MissionStatus.IN_FLIGHT, pgettext_lazy("mission status", "in flight")),
    (MissionStatus.LANDED, pgettext_lazy("mission status", "landed")),
]


# An event's name where a sentence says "the <event> time" (Russian puts it in the genitive:
# "время запуска"; the nominative names are models.missions.EVENT_NAMES), and the labels of
# its precision and certainty fields.
EVENT_NAMES_OF = {
    "launch": pgettext_lazy("event in a sentence", "launch"),
    "docking": pgettext_lazy("event in a sentence", "docking"),
    "undocking": pgettext_lazy("event in a sentence", "undocking"),
    "landing": pgettext_lazy("event in a sentence", "landing"),
}
EVENT_PRECISION_LABELS = {
    "launch": _("Launch known to"),
    "docking": _("Docking known to"),
    "undocking": _("Undocking known to"),
    "landing": _("Landing known to"),
}
EVENT_CERTAINTY_LABELS = {
    "launch": _("Launch is"),
    "docking": _("Docking is"),
    "undocking": _("Undocking is"),
    "landing": _("Landing is"),
}


class NamedSelect(forms.Select):
    """A select whose options in Latin say so (lang="en") on a page in another language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and lang_attr(label):
            option["attrs"]["lang"] = "en"
        return option


class VehicleFamilyChoiceField(forms.ModelChoiceField):
    """Vehicle families by the name the reader's press uses ('Союз МС' on Russian pages)."""

    widget = NamedSelect

    def label_from_instance(self, obj):
        return obj.reader_name


class CrossFlightFilterForm(forms.Form):
    """The dashboard's filters: a plain GET form, so every filtered view has its own URL."""

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All agencies"),
        label=_("Agency"),
    )
    family = VehicleFamilyChoiceField(
        queryset=VehicleFamily.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All vehicles"),
        label=_("Vehicle"),
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Launch year"))
    status = forms.ChoiceField(choices=[("", _("Any status")), *PHASE_STATUSES], required=False, label=_("Status"))

    def __init__(self, *args, years: list[int], families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *[(year, str(year)) for year in years]]
        if families is not None:
            # Only the families the listing has flights of: a choice that can never match is noise.
            self.fields["family"].queryset = families

    def filters(self) -> dict:
        """The valid filters; an invalid value is dropped (and shown as an error) rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class DateAndOptionalTimeWidget(AdminSplitDateTime):
    """The admin's date and time boxes; a bare date (an instant known to the day or more
    roughly) shows an empty time box rather than a made-up 00:00."""

    def decompress(self, value):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return [value, None]
        return super().decompress(value)


class InstantField(forms.SplitDateTimeField):
    """A UTC date with an optional time: a blank time means the time of day is unknown
    (midnight is stored as the start of the day's window). Dates outside the record's
    range are refused here, at the field."""

    widget = DateAndOptionalTimeWidget
    default_validators = [validate_in_record_range]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("UTC. Leave the time blank when only the day is known."))
        super().__init__(**kwargs)

    def compress(self, data_list):
        if not data_list or all(value in self.empty_values for value in data_list):
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        return from_current_timezone(dt.datetime.combine(day, time or dt.time()))


class MissionAdminForm(forms.ModelForm):
    """A mission's form: each event a date, an optional time and a precision. A typed time
    makes the event exact; a date alone is known to the day unless a rougher precision is chosen."""

    launch_at = InstantField(label=_("Launch"))
    docking_at = InstantField(label=_("Docking"))
    undocking_at = InstantField(label=_("Undocking"))
    landing_at = InstantField(label=_("Landing"))

    class Meta:
        model = Mission
        fields = [
            "name",
            "slug",
            "status",
            "family",
            "spacecraft",
            "launch_vehicle",
            "launch_site",
            *(f"{event}_{part}" for event in EVENTS for part in ("at", "precision", "certainty")),
            "sources",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event in EVENTS:
            instant, precision = getattr(self.instance, f"{event}_at"), getattr(self.instance, f"{event}_precision")
            if instant is not None and precision and precision != Precision.EXACT:
                self.initial[f"{event}_at"] = instant.date()  # shown with an empty time box
            if f"{event}_precision" in self.fields:
                field = self.fields[f"{event}_precision"]
                field.choices = [("", _("from the time (none: day; typed: exact)")), *Precision.choices]
                field.label = EVENT_PRECISION_LABELS[event]
                field.help_text = ""
            if f"{event}_certainty" in self.fields:
                field = self.fields[f"{event}_certainty"]
                field.choices = [("", _("from the status (a target until it has happened)")), *Certainty.choices]
                field.label = EVENT_CERTAINTY_LABELS[event]
                field.help_text = ""

    def _time_typed(self, event: str) -> bool:
        name = f"{event}_at"
        values = self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        return bool(values and len(values) > 1 and (values[1] or "").strip())

    def _settle_precision(self, event: str) -> None:
        at_name, precision_name = f"{event}_at", f"{event}_precision"
        if at_name in self.errors or precision_name not in self.cleaned_data:
            return
        instant, precision = self.cleaned_data.get(at_name), self.cleaned_data[precision_name]
        if instant is None:
            self.cleaned_data[precision_name] = ""  # no date: the event is unknown
        elif self._time_typed(event):
            if precision not in ("", Precision.EXACT):
                self.add_error(
                    precision_name,
                    gettext(
                        "A time of day is typed, which makes the %(event)s exact: choose “exact time”, "
                        "or clear the time to keep “%(precision)s”."
                    )
                    % {"event": EVENT_NAMES_OF[event], "precision": Precision(precision).label},
                )
            else:
                self.cleaned_data[precision_name] = Precision.EXACT
        elif precision == Precision.EXACT:
            self.add_error(
                at_name,
                gettext("Type the %(event)s time for an exact time (00:00 for midnight), or choose “day”.")
                % {"event": EVENT_NAMES_OF[event]},
            )
        elif not precision:
            self.cleaned_data[precision_name] = Precision.DAY

    def clean(self):
        cleaned = super().clean()
        for event in EVENTS:
            self._settle_precision(event)
        return cleaned


class MissionFilterForm(CrossFlightFilterForm):
    """The missions index's filters: every status, and cross-flights only on request."""

    status = forms.ChoiceField(
        choices=[("", _("Any status")), *MissionStatus.choices], required=False, label=_("Status")
    )
    cross_flight = forms.BooleanField(required=False, label=_("Cross-flights only"))

    def filters(self) -> dict:
        # An unticked box filters nothing.
        return {name: value for name, value in super().filters().items() if value is not False}
