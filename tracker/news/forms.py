from django import forms

from .queries import ARTICLE_COUNT_CAP, missions_with_article_counts


def _mission_label(mission) -> str:
    count = mission.article_count
    return f"{mission.name} ({ARTICLE_COUNT_CAP}+)" if count > ARTICLE_COUNT_CAP else f"{mission.name} ({count})"


class NewsFilterForm(forms.Form):
    """The news page's filters: a plain GET form, so every filtered list has its own URL."""

    mission = forms.ModelChoiceField(
        queryset=None, to_field_name="slug", required=False, empty_label="All missions", label="Mission"
    )
    linked = forms.BooleanField(required=False, label="Only articles linked to a mission")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = self.data.get("mission") or None
        field = self.fields["mission"]
        # Only missions some article names, but a link to any mission's news still works.
        field.queryset = missions_with_article_counts(include_slug=selected)
        field.label_from_instance = _mission_label

    def filters(self) -> dict:
        """The valid filters; an invalid value is dropped (and shown as an error) rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
