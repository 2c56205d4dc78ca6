from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """The news: sources, articles, what they mention, and the updates they propose."""

    name = "tracker.news"
    label = "news"
    verbose_name = _("News")
