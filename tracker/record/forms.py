from django import forms

from .models import Agency, MissionStatus, VehicleFamily

PHASE_STATUSES = [
    (MissionStatus.PLANNED, "planned"),
    (MissionStatus.SCHEDULED, "scheduled"),
    (MissionStatus.DELAYED, "delayed"),
    (MissionStatus.IN_FLIGHT, "in flight"),
    (MissionStatus.LANDED, "landed"),
]


class CrossFlightFilterForm(forms.Form):
    """The dashboard's filters: a plain GET form, so every filtered view has its own URL."""

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), to_field_name="slug", required=False, empty_label="All agencies"
    )
    family = forms.ModelChoiceField(
        queryset=VehicleFamily.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All vehicles",
        label="Vehicle",
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Launch year")
    status = forms.ChoiceField(choices=[("", "Any status"), *PHASE_STATUSES], required=False)

    def __init__(self, *args, years: list[int], families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *[(year, str(year)) for year in years]]
        if families is not None:
            # Only the families the listing has flights of: a choice that can never match is noise.
            self.fields["family"].queryset = families

    def filters(self) -> dict:
        """The valid filters; an invalid value is dropped (and shown as an error) rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class MissionFilterForm(CrossFlightFilterForm):
    """The missions index's filters: every status, and cross-flights only on request."""

    status = forms.ChoiceField(choices=[("", "Any status"), *MissionStatus.choices], required=False)
    cross_flight = forms.BooleanField(required=False, label="Cross-flights only")

    def filters(self) -> dict:
        # An unticked box filters nothing.
        return {name: value for name, value in super().filters().items() if value is not False}
