from django import forms

from .queries import missions_with_article_counts


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
        field.label_from_instance = lambda mission: f"{mission.name} ({mission.article_count})"

    def filters(self) -> dict:
        """The valid filters; an invalid value is dropped (and shown as an error) rather than failing the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}
