"""Reading what the site shows in tests: a page's HTML through the test client (in a language,
when asked), a mission's template tag rendered alone, and text as a reader sees it."""

import contextlib
import datetime as dt
import re

from django.template import Context, Template
from django.utils import translation


def page_html(client, url: str, *, language: str | None = None) -> str:
    """The page at `url`, which must answer 200; in `language` (an Accept-Language) if given."""
    response = client.get(url, **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
    assert response.status_code == 200, url
    return response.content.decode()


def visible_text(html: str) -> str:
    """What a reader sees: tags gone, spaces collapsed, none before punctuation."""
    return re.sub(r" ([,;:.])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def render_mission_tag(snippet: str, mission, now: dt.datetime, language: str | None = None) -> str:
    """`snippet`, a record_tags tag on `mission` (`{% event_time mission "launch" %}`), rendered
    at `now`; in `language` if given, else in the active one."""
    template = Template("{% load record_tags %}" + snippet)
    with translation.override(language) if language else contextlib.nullcontext():
        return template.render(Context({"mission": mission, "now": now}))
