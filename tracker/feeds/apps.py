from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "tracker.feeds"
    verbose_name = "Calendar and Atom feeds"
