from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .queries import missions_with_article_counts


class MissionSelect(forms.Select):
    """A select of missions: a name in another script than the page's ('SpaceX Crew-5' on
    a Russian page) is marked with its language."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        label = str(option["label"])
        script = "ru" if any("\u0400" <= char <= "\u04ff" for char in label) else "en"
        if option["value"] and script != (translation.get_language() or "en").split("-")[0]:
            option["attrs"]["lang"] = script
        return option


class NewsFilterForm(forms.Form):
    """The news page's filters: a plain GET form, so every filtered list has its own URL."""

    mission = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All missions"),
        label=_("Mission"),
        widget=MissionSelect,
    )
    linked = forms.BooleanField(required=False, label=_("Only articles linked to a mission"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = self.data.get("mission") or None
        field = self.fields["mission"]
        # Only missions some article names, but a link to any mission's news still works.
        field.queryset = missions_with_article_counts(include_slug=selected)
        field.label_from_instance = lambda mission: f"{mission.reader_name} ({mission.article_count})"

    def filters(self) -> dict:
        """The valid filters; an invalid value is dropped (and shown as an error) rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
