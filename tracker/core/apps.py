from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide plumbing with no models: management commands such as runstack."""

    name = "tracker.core"
    label = "core"
    verbose_name = "Core"
