from django.apps import AppConfig


class NewsConfig(AppConfig):
    """The news: sources, articles, what they mention, and the updates they propose."""

    name = "tracker.news"
    label = "news"
    verbose_name = "News"
