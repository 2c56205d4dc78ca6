"""The news panels other apps' pages show: the record's pages name the news they want
(`{% linked_news %}`) and the news app reads and renders it, so the record app never
imports the news app (the record is the lower layer)."""

from django import template

from tracker.news.queries import latest_linked_articles

register = template.Library()


@register.inclusion_tag("news/_linked_articles.html")
def linked_news(mission=None, *, limit: int = 6, empty_text: str = ""):
    """The newest `limit` articles naming a mission (or `mission`), each with its missions,
    or `empty_text` when there are none."""
    return {"news": list(latest_linked_articles(limit, mission=mission)), "empty_text": empty_text}
