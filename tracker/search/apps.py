from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tracker.search"
    verbose_name = "Search"
