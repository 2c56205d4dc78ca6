from django.apps import AppConfig


class RecordConfig(AppConfig):
    """The flight record: agencies, people, vehicles, missions, seats and the agreement."""

    name = "tracker.record"
    label = "record"
    verbose_name = "Flight record"
