"""The corpus's script payloads, stored through the real poll path, rendered in real Chromium
on every page that shows news: the dashboard's "Latest news", a mission's news, the public
news page (every page of it, turned through htmx), and the admin (article list and change
views, the proposals the payload articles support, and the source rows whose error text
carries markup).

No script of theirs may run. The payloads set `window.__pwned` and call alert(); the tab
records every dialog, console message and page error; and after each page a scan of the DOM
looks for what an injection would leave even where the Content-Security-Policy blocked it:
an inline script, an on* handler, a javascript:/data: link, an iframe, object or embed.
Screenshots go to test-artifacts/.
"""

import os
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM calls around it are
# plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.hostile.corpus import JS, PAYLOAD_CASES, mount  # noqa: E402
from tests.http_server import Route  # noqa: E402
from tracker.news.fetch import FetchError  # noqa: E402
from tracker.news.models import Article, NewsSource, ProposedUpdate  # noqa: E402
from tracker.news.parse import ParseError  # noqa: E402
from tracker.news.services import poll  # noqa: E402

pytestmark = [pytest.mark.hostile, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# What each page is scanned for: anything an injection leaves in the DOM, run or not.
SCAN = """() => {
  const found = [];
  const scheme = (value) => value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${tag} ${name}="${attr.value.slice(0, 60)}"`);
      if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"].includes(name)
          && /^(javascript|vbscript|data):/.test(scheme(attr.value)))
        found.push(`${tag} ${name}="${attr.value.slice(0, 60)}"`);
    }
    if (tag === "script" && !(el.src && new URL(el.src).origin === location.origin))
      found.push(`script ${el.src || el.textContent.slice(0, 60)}`);
    if (["iframe", "object", "embed", "frame", "base"].includes(tag)) found.push(tag);
    if (tag === "meta" && (el.httpEquiv || "").toLowerCase() === "refresh") found.push("meta refresh");
  }
  return found;
}"""


class Watch:
    """Everything a tab reports that a page of ours never should."""

    def __init__(self, tab):
        self.tab = tab
        self.problems: list[str] = []
        tab.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        tab.on("console", self.console)
        tab.on("dialog", self.dialog)
        tab.on(
            "response",
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and self.problems.append(f"HTTP {response.status}: {response.url}")
            ),
        )

    def console(self, message):
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the admin has none: harmless
        # An error or warning (a blocked inline script is one), or any word from a payload.
        if message.type in ("error", "warning") or "PWNED" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def dialog(self, dialog):
        self.problems.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str, *, shot: str | None = None):
        response = self.tab.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        self.check(path, shot=shot)

    def check(self, where: str, *, shot: str | None = None):
        self.tab.wait_for_load_state("load")
        assert self.tab.evaluate("() => window.__pwned") is None, f"a payload ran on {where}"
        assert self.tab.evaluate(SCAN) == [], f"injected markup on {where}"
        assert self.problems == [], f"{where}: " + "; ".join(self.problems)
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            self.tab.screenshot(path=str(ARTIFACTS / f"hostile-{shot}.png"), full_page=True)


@pytest.fixture
def payloads(record, corpus_server):
    """Every payload case polled through the service (the title payloads last, so that they
    are the newest on the dashboard), and two sources whose errors quote hostile markup."""
    for case in sorted(PAYLOAD_CASES, key=lambda case: case.name == "payload-title"):
        url = mount(corpus_server, case)
        source = NewsSource.objects.create(
            name=f"Hostile {case.name}", url=url, kind=case.kind, allow_private_network=True, fetch_linked_pages=False
        )
        poll(source)
    quoting = {
        "markup-in-body": Route(body=f'{{"a":"<script>{JS}</script>"}}'.encode()),
        "javascript-redirect": Route(status=302, headers={"Location": f"javascript:{JS}"}),
    }
    for name, route in quoting.items():
        source = NewsSource.objects.create(
            name=f'<img src=x onerror="{JS}"> {name}',
            url=corpus_server.route(f"/errors/{name}", route),
            allow_private_network=True,
        )
        with pytest.raises((FetchError, ParseError)):
            poll(source)
    return {source.name: source for source in NewsSource.objects.all()}


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def news_titles(tab, selector: str) -> list[str]:
    return [" ".join(text.split()) for text in tab.locator(selector).all_inner_texts()]


def test_payloads_run_nowhere_on_the_public_pages(payloads, tab):
    watch = Watch(tab)
    total = Article.objects.count()
    assert total > 100  # every payload case stored its entries

    watch.visit("/", shot="dashboard")
    latest = news_titles(tab, "#latest-news .news-title")
    # The newest: the title payloads (polled last), and the payload page (dated by its text).
    assert len(latest) == 6 and sum(title.startswith("Payload title") for title in latest) >= 5, latest

    watch.visit("/missions/soyuz-ms-29/", shot="mission")
    assert len(news_titles(tab, ".news-title")) == 10

    # The news page, every page of it, the later ones swapped in by htmx (which runs any
    # script in what it swaps in, were there one).
    watch.visit(reverse("news:list"), shot="news")
    seen = news_titles(tab, "#news-list .news-title")
    while (older := tab.locator("#news-list .pager a", has_text="Older")).count():
        first = tab.locator("#news-list .news-title").first
        shown = first.inner_text()
        older.click()
        expect(first).not_to_have_text(shown)
        watch.check(f"{tab.url} (swapped in by htmx)")
        seen += news_titles(tab, "#news-list .news-title")
    assert len(seen) == total
    assert "?page=" in tab.url  # htmx pushed each page's URL


def test_payloads_run_nowhere_in_the_admin(payloads, tab, live_server):
    user = User.objects.create_superuser("root", password="correct horse battery")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    watch = Watch(tab)

    watch.visit("/admin/news/article/", shot="admin-articles")
    assert tab.locator("#result_list tbody tr").count() == min(Article.objects.count(), 100)
    watch.visit("/admin/news/article/?q=Payload")
    for case in PAYLOAD_CASES:
        article = Article.objects.filter(source__name=f"Hostile {case.name}").order_by("pk").first()
        watch.visit(f"/admin/news/article/{article.pk}/change/", shot=f"admin-{case.name}" if case.payload else None)
        assert article.title in tab.inner_text("main")

    proposals = list(ProposedUpdate.objects.all())
    assert proposals, "the payload articles support a proposal (Soyuz MS-29's launch date)"
    for proposal in proposals:
        watch.visit(f"/admin/news/proposedupdate/{proposal.pk}/change/", shot="admin-proposal")
        assert tab.locator(".inline-related tbody tr, .tabular tbody tr").count() >= 1

    watch.visit("/admin/news/newssource/", shot="admin-sources")
    for source in payloads.values():
        if source.last_error:
            watch.visit(f"/admin/news/newssource/{source.pk}/change/", shot="admin-source-error")
            shown = " ".join(tab.inner_text("main").split())
            assert " ".join(source.last_error.split())[:60] in shown  # the error is there, as text
