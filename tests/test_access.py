"""Who may reach what, and that every state-changing request needs a CSRF token.

The URLs are not listed by hand: the admin's come from every registered ModelAdmin and the
admin site itself, the rest from walking the project's URL resolver. A URL that appears and
is not classified here (read-only, or a POST endpoint with its own CSRF test) fails
`test_every_url_is_classified`, so a new endpoint cannot slip past these tests.

Personas: anonymous; `staff_non_editor` (staff flag, no editor group) and a plain user (no
flags, no group), who must both be treated as anonymous by the admin; the `editor`; and a
superuser where accounts are concerned.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import PERSONA_PASSWORD as PASSWORD
from tests.test_admin import form_data
from tracker.news.models import ProposalStatus, ProposedUpdate
from tracker.news.services import poll_sources_now
from tracker.record.models import Citation, Mission, Person, VehicleFamily

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ms29_launch_unannounced")]


LOGIN = "/admin/login/"

# --- every admin URL -------------------------------------------------------------------------

# Views of a ModelAdmin, by the suffix of their URL name ("record_mission_change" -> "change").
# Views that can change data on POST are marked; each has a CSRF test below.
MODEL_VIEWS = {
    "changelist": "post",  # bulk actions
    "add": "post",
    "change": "post",
    "delete": "post",
    "history": "read",
    "simple_history": "post",  # django-simple-history's revert form
    "accept": "post",  # ProposedUpdateAdmin's review buttons
    "reject": "post",
    "password_change": "post",  # UserAdmin: set another user's password
}
# The admin site's own views, by URL name; None names the two unnamed patterns.
SITE_VIEWS = {
    "index": "read",
    "login": "post",
    "logout": "post",
    "password_change": "post",
    "password_change_done": "read",
    "autocomplete": "read",
    "jsi18n": "read",
    "view_on_site": "read",
    "app_list": "read",
    "catch_all": "read",
}


@dataclass(frozen=True)
class AdminView:
    model: Any  # None for the site's own views
    kind: str

    @property
    def id(self) -> str:
        return f"{self.model._meta.label}:{self.kind}" if self.model else f"site:{self.kind}"


def _model_view_kind(model, pattern: URLPattern) -> str:
    if pattern.name is None and str(pattern.pattern) == "<path:object_id>/":
        return "object_redirect"  # the old change URL, redirects to /change/
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    assert pattern.name and pattern.name.startswith(prefix), f"unexpected admin URL {pattern} for {model}"
    return pattern.name.removeprefix(prefix)


def _admin_views() -> list[AdminView]:
    views = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        views += [AdminView(model, _model_view_kind(model, pattern)) for pattern in model_admin.get_urls()]
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern):
            views.append(AdminView(None, pattern.name or "catch_all"))
    return views


ADMIN_VIEWS = _admin_views()


def _is_known(view: AdminView) -> bool:
    if view.model is None:
        return view.kind in SITE_VIEWS
    return view.kind in MODEL_VIEWS or view.kind == "object_redirect"


def _is_post(view: AdminView) -> bool:
    return (SITE_VIEWS if view.model is None else MODEL_VIEWS).get(view.kind) == "post"


def _post_endpoint(view: AdminView) -> str:
    """The POST_ENDPOINTS key that covers `view`: the site's views by name, a ModelAdmin's by kind."""
    return view.id if view.model is None else view.kind


def test_every_admin_url_is_classified():
    unknown = [view.id for view in ADMIN_VIEWS if not _is_known(view)]
    assert not unknown, (
        f"New admin URLs: say in tests/test_access.py whether they change data, and test them: {unknown}"
    )


# --- data: one object of every registered model ------------------------------------------------


@pytest.fixture
def every_model_has_a_row(editor, staff_non_editor):
    """The reference record, the sample feed's articles and proposals, a login record of each kind."""
    poll_sources_now(name="Sample news (offline)")
    seen = {"username": "edna", "ip_address": "192.0.2.1", "user_agent": "test", "attempt_time": timezone.now()}
    AccessAttempt.objects.create(**seen, failures_since_start=1)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**seen)
    if not Citation.objects.exists():
        Citation.objects.create(url="https://example.org/a", title="A")
    for model in admin.site._registry:
        assert model._default_manager.exists(), model
        if hasattr(model, "history"):
            obj = model._default_manager.order_by("pk").first()
            if not obj.history.exists():
                obj.save()


def first(model):
    return model._default_manager.order_by("pk").first()


def url_of(view: AdminView) -> str:
    if view.model is None:
        return {
            "app_list": lambda: reverse("admin:app_list", kwargs={"app_label": "record"}),
            "autocomplete": lambda: (
                reverse("admin:autocomplete") + "?app_label=record&model_name=seat&field_name=person&term=Rub"
            ),
            "view_on_site": lambda: reverse(
                "admin:view_on_site", args=[ContentType.objects.get_for_model(Mission).pk, first(Mission).pk]
            ),
            "catch_all": lambda: "/admin/no-such-page/",
        }.get(view.kind, lambda: reverse(f"admin:{view.kind}"))()
    opts = view.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    obj = first(view.model)
    if view.kind in ("changelist", "add"):
        return reverse(f"{name}_{view.kind}")
    if view.kind == "object_redirect":
        return f"{reverse(f'{name}_changelist')}{quote(str(obj.pk))}/"
    if view.kind == "simple_history":
        return reverse(f"{name}_simple_history", args=[obj.pk, obj.history.latest().history_id])
    return reverse(f"{name}_{view.kind}", args=[obj.pk])


def db_state() -> dict:
    """Every row the admin could change: the record, the news, accounts, the admin's log and
    the record's history (sessions and axes' login records aside)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"record", "news", "auth", "admin"}:
            state[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return state


@pytest.fixture
def plain_user(db):
    return User.objects.create_user("ulla", password=PASSWORD)


@pytest.fixture
def outsiders(staff_non_editor, plain_user) -> dict[str, Client]:
    """Everyone who must be treated as a visitor by the admin, each with their own client."""
    clients = {"anonymous": Client()}
    for user in (staff_non_editor, plain_user):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return clients


# What a form on each admin page would post to do damage: delete, accept, apply an action.
DAMAGING_POST = {
    "post": "yes",
    "action": "delete_selected",
    "_selected_action": ["1", "2", "3"],
    "reason": "no",
    "name": "Changed",
    "title": "Changed",
    "password1": "a new password 123",
    "password2": "a new password 123",
}


def refused_as_visitor(response, url: str) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    location = response["Location"]
    # The admin's logout sends a non-editor to the index, which sends them to the login page.
    return location.startswith(f"{LOGIN}?next=") or (url == reverse("admin:logout") and location == "/admin/")


@pytest.mark.parametrize("view", [v for v in ADMIN_VIEWS if v.kind != "login"], ids=lambda v: v.id)
def test_outsiders_get_only_the_login_page(outsiders, every_model_has_a_row, view):
    url = url_of(view)
    for who, client in outsiders.items():
        response = client.get(url)
        if view.kind == "logout" and response.status_code == 405:
            continue  # Django's logout takes POST only
        assert refused_as_visitor(response, url), (who, url, response.status_code)


@pytest.mark.parametrize("view", [v for v in ADMIN_VIEWS if v.kind != "login"], ids=lambda v: v.id)
def test_outsiders_posts_are_refused_and_change_nothing(outsiders, every_model_has_a_row, view):
    url = url_of(view)
    before = db_state()
    for who, client in outsiders.items():
        response = client.post(url, DAMAGING_POST)
        assert refused_as_visitor(response, url), (who, url, response.status_code)
    assert db_state() == before


def test_the_login_page_lets_no_outsider_in(outsiders):
    for who, client in outsiders.items():
        response = client.post(LOGIN, {"username": who, "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 200, who  # the form again, with its error
        assert client.get("/admin/").status_code == 302, who


# --- the editor ------------------------------------------------------------------------------------


def expected_for_editor(view: AdminView, editor) -> int:
    if view.model is None:
        return {"login": 302, "logout": 405, "catch_all": 404, "view_on_site": 302}.get(view.kind, 200)
    if view.kind == "object_redirect":
        return 302
    if view.kind in ("accept", "reject"):
        return 405  # POST only
    model_admin = admin.site._registry[view.model]
    request = RequestFactory().get("/")
    request.user = editor
    obj = first(view.model)
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "delete": model_admin.has_delete_permission(request, obj),
        "password_change": model_admin.has_change_permission(request, obj),
    }.get(view.kind, model_admin.has_view_or_change_permission(request, obj))
    return 200 if allowed else 403


@pytest.mark.parametrize("view", ADMIN_VIEWS, ids=lambda v: v.id)
def test_the_editor_reaches_what_the_editor_group_allows(editor_client, editor, every_model_has_a_row, view):
    response = editor_client.get(url_of(view))
    assert response.status_code == expected_for_editor(view, editor)


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label in {"record", "news"}])
def test_the_editor_group_may_see_every_record_and_news_list(editor_client, model):
    assert (
        editor_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")).status_code
        == 200
    )


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label in {"auth", "axes"}])
def test_accounts_and_login_records_are_closed_to_editors(editor_client, every_model_has_a_row, model):
    opts = model._meta
    for kind in ("changelist", "add"):
        assert editor_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}")).status_code == 403
    pk = first(model).pk
    for kind in ("change", "delete", "history"):
        assert (
            editor_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_{kind}", args=[pk])).status_code == 403
        )


# --- proposals: only editors decide, and only by POST ------------------------------------------


@pytest.fixture
def proposal():
    poll_sources_now(name="Sample news (offline)")
    return ProposedUpdate.objects.order_by("pk").first()


@pytest.mark.parametrize("decision", ["accept", "reject"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_outsider_decides_a_proposal(outsiders, proposal, decision, method):
    url = reverse(f"admin:news_proposedupdate_{decision}", args=[proposal.pk])
    before = db_state()
    for who, client in outsiders.items():
        response = getattr(client, method)(url, {"reason": "no"})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), who
    assert db_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_a_get_decides_nothing_even_for_an_editor(editor_client, proposal, decision):
    before = db_state()
    assert editor_client.get(reverse(f"admin:news_proposedupdate_{decision}", args=[proposal.pk])).status_code == 405
    assert db_state() == before


# --- django-simple-history's revert form --------------------------------------------------------


@pytest.fixture
def view_only_editor(editor):
    """An editor whose group may look at missions (and their history) but not change them."""
    Group.objects.get(name="editor").permissions.remove(Permission.objects.get(codename="change_mission"))
    return editor


def test_an_editor_who_may_only_view_missions_cannot_change_one_through_the_history_form(client, view_only_editor):
    mission = Mission.objects.get(name="Soyuz MS-22")
    mission.save()  # a history row to open
    url = reverse("admin:record_mission_simple_history", args=[mission.pk, mission.history.latest().history_id])
    client.force_login(view_only_editor)
    page = client.get(url)
    assert page.status_code == 200  # looking is allowed
    data = form_data(page, "historicalmission_form")
    data.update(name="Soyuz MS-22 (renamed)", notes="changed through the history form")
    before = db_state()

    response = client.post(url, data)

    assert response.status_code == 403
    assert db_state() == before


# --- CSRF: every POST endpoint ---------------------------------------------------------------------


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def token_from(page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, "no CSRF token on the page"
    return match.group(1)


@dataclass
class Post:
    """One POST a browser would send: client, URL, form data (with the page's token in
    `csrfmiddlewaretoken`), and a check that its effect happened."""

    client: Client
    url: str
    data: dict
    done: Any  # () -> bool


def post_login(users) -> Post:
    client = csrf_client()
    data = form_data(client.get(LOGIN), "login-form")
    data.update(username=users["editor"].username, password=PASSWORD)
    return Post(client, LOGIN, data, lambda: "_auth_user_id" in client.session)


def post_logout(users) -> Post:
    client = csrf_client(users["editor"])
    data = form_data(client.get("/admin/"), "logout-form")
    return Post(client, reverse("admin:logout"), data, lambda: "_auth_user_id" not in client.session)


def post_own_password_change(users) -> Post:
    client = csrf_client(users["editor"])
    url = reverse("admin:password_change")
    data = {
        "csrfmiddlewaretoken": token_from(client.get(url)),
        "old_password": PASSWORD,
        "new_password1": "a brand new passphrase 42",
        "new_password2": "a brand new passphrase 42",
    }
    return Post(
        client, url, data, lambda: User.objects.get(pk=users["editor"].pk).check_password("a brand new passphrase 42")
    )


def post_user_password_change(users) -> Post:
    client = csrf_client(users["root"])
    url = reverse("admin:auth_user_password_change", args=[users["editor"].pk])
    data = form_data(client.get(url), "user_form")
    data.update(password1="set by an administrator 42", password2="set by an administrator 42")
    return Post(
        client, url, data, lambda: User.objects.get(pk=users["editor"].pk).check_password("set by an administrator 42")
    )


def post_mission_add(users) -> Post:
    client = csrf_client(users["editor"])
    url = reverse("admin:record_mission_add")
    data = form_data(client.get(url), "mission_form")
    data.update(
        name="Soyuz MS-40",
        slug="soyuz-ms-40",
        family=str(VehicleFamily.objects.get(name="Soyuz MS").pk),
        status="planned",
    )
    return Post(client, url, data, lambda: Mission.objects.filter(slug="soyuz-ms-40").exists())


def post_mission_change(users) -> Post:
    client = csrf_client(users["editor"])
    mission = Mission.objects.get(name="Soyuz MS-22")
    url = reverse("admin:record_mission_change", args=[mission.pk])
    data = form_data(client.get(url), "mission_form")
    data.update(notes="Checked against Roscosmos' press release.")
    return Post(client, url, data, lambda: Mission.objects.get(pk=mission.pk).notes == data["notes"])


def post_citation_delete(users) -> Post:
    client = csrf_client(users["editor"])
    citation = Citation.objects.create(url="https://example.org/to-delete", title="To delete")
    url = reverse("admin:record_citation_delete", args=[citation.pk])
    data = {"csrfmiddlewaretoken": token_from(client.get(url)), "post": "yes"}
    return Post(client, url, data, lambda: not Citation.objects.filter(pk=citation.pk).exists())


def post_changelist_action(users) -> Post:
    client = csrf_client(users["editor"])
    citation = Citation.objects.create(url="https://example.org/bulk", title="Bulk")
    url = reverse("admin:record_citation_changelist")
    data = {
        "csrfmiddlewaretoken": token_from(client.get(url)),
        "action": "delete_selected",
        "_selected_action": [str(citation.pk)],
        "post": "yes",
    }
    return Post(client, url, data, lambda: not Citation.objects.filter(pk=citation.pk).exists())


def post_history_revert(users) -> Post:
    client = csrf_client(users["editor"])
    citation = Citation.objects.create(url="https://example.org/history", title="First title")
    first_version = citation.history.latest()
    citation.title = "Second title"
    citation.save()
    url = reverse("admin:record_citation_simple_history", args=[citation.pk, first_version.history_id])
    data = form_data(client.get(url), "historicalcitation_form")
    return Post(client, url, data, lambda: Citation.objects.get(pk=citation.pk).title == "First title")


def post_proposal_decision(decision: str):
    def build(users) -> Post:
        poll_sources_now(name="Sample news (offline)")
        proposal = ProposedUpdate.objects.order_by("pk").first()
        client = csrf_client(users["editor"])
        page = client.get(reverse("admin:news_proposedupdate_change", args=[proposal.pk]))
        url = reverse(f"admin:news_proposedupdate_{decision}", args=[proposal.pk])
        status = ProposalStatus.ACCEPTED if decision == "accept" else ProposalStatus.REJECTED
        return Post(
            client,
            url,
            {"csrfmiddlewaretoken": token_from(page)},
            lambda: ProposedUpdate.objects.get(pk=proposal.pk).status == status,
        )

    return build


# Every view that changes data on POST, one representative each (the same view serves every
# model: a token check that holds for missions holds for seats).
POST_ENDPOINTS = {
    "site:login": post_login,
    "site:logout": post_logout,
    "site:password_change": post_own_password_change,
    "password_change": post_user_password_change,  # UserAdmin's: set another user's password
    "add": post_mission_add,
    "change": post_mission_change,
    "delete": post_citation_delete,
    "changelist": post_changelist_action,
    "simple_history": post_history_revert,
    "accept": post_proposal_decision("accept"),
    "reject": post_proposal_decision("reject"),
}


def test_every_admin_post_endpoint_has_a_csrf_test():
    missing = {_post_endpoint(view) for view in ADMIN_VIEWS if _is_post(view)} - set(POST_ENDPOINTS)
    assert not missing, f"POST endpoints without a CSRF test in tests/test_access.py: {missing}"


@pytest.fixture
def users(editor):
    return {"editor": editor, "root": User.objects.create_superuser("root", password=PASSWORD)}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(users, endpoint):
    post = POST_ENDPOINTS[endpoint](users)
    data = {key: value for key, value in post.data.items() if key != "csrfmiddlewaretoken"}
    before = db_state()

    response = post.client.post(post.url, data)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert not post.done()
    assert db_state() == before


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_post_with_a_forged_csrf_token_is_refused(users, endpoint):
    post = POST_ENDPOINTS[endpoint](users)
    before = db_state()
    response = post.client.post(post.url, {**post.data, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_post_with_the_pages_csrf_token_works(users, endpoint):
    post = POST_ENDPOINTS[endpoint](users)
    response = post.client.post(post.url, post.data)
    assert response.status_code in (200, 302)
    assert post.done(), response.content.decode()[:2000]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_post_with_the_token_in_the_htmx_header_works(users, endpoint):
    """htmx sends the token as X-CSRFToken (hx-headers on <body>), not as a form field."""
    post = POST_ENDPOINTS[endpoint](users)
    data = {key: value for key, value in post.data.items() if key != "csrfmiddlewaretoken"}
    response = post.client.post(
        post.url, data, HTTP_X_CSRFTOKEN=post.client.cookies["csrftoken"].value, HTTP_HX_REQUEST="true"
    )
    assert response.status_code in (200, 302)
    assert post.done()


# --- everything outside the admin -------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


# The first pattern of a route is the one that answers (django-ninja adds its own "api/" root
# after the API's index operation, only to compute its root path).
PUBLIC_ROUTES = {
    route: pattern
    for route, pattern in reversed(list(_walk(get_resolver().url_patterns)))
    if not route.startswith("admin/")
}

# Every URL outside the admin, and what it takes: all are read-only today (GET/HEAD), so a
# POST must be refused. A new POST endpoint goes in PUBLIC_POST_ENDPOINTS with its CSRF test.
READ_ONLY_ROUTES = {
    "healthz",
    "",
    "favicon.ico",  # a redirect to the static icon
    "missions/",
    "missions/<slug:slug>/",
    "people/",
    "people/<slug:slug>/",
    "vehicles/",
    "vehicles/<slug:slug>/",
    "agreement/",
    "agreement/ledger/",
    "expeditions/",
    "timeline/",
    "timeline.svg",
    "theme/<str:theme>/",  # a cookie for the viewer's own theme, nothing stored: GET, works without JS
}
READ_ONLY_PREFIXES = (
    "api/",  # django-ninja, GET operations only (test_the_api_has_no_operation_that_writes)
    "feeds/",
    "search/",
    "news/",
)
# Public URLs that take a POST, each with why it is safe and the test that shows it.
PUBLIC_POST_ENDPOINTS: dict[str, Any] = {
    # The header's language switch (Django's set_language). CSRF-exempt: the public pages are
    # cached whole and shared, so they cannot carry a per-reader token; all a forged post can
    # do is pick the reader's language, and nothing is stored (test below).
    "i18n/setlang/": "test_the_language_switch_is_a_post_that_stores_nothing_but_a_cookie",
}


def test_every_url_is_classified():
    unknown = sorted(
        route
        for route in PUBLIC_ROUTES
        if route not in READ_ONLY_ROUTES
        and route not in PUBLIC_POST_ENDPOINTS
        and not route.startswith(READ_ONLY_PREFIXES)
    )
    assert not unknown, (
        "URLs that tests/test_access.py does not know: add each to READ_ONLY_ROUTES (and check that a "
        f"POST is refused) or to PUBLIC_POST_ENDPOINTS with a CSRF test: {unknown}"
    )


def test_the_api_has_no_operation_that_writes():
    from tracker.api.api import api

    methods = {
        (prefix + path, method)
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }
    assert methods, "the API has no operations?"
    assert {method for _, method in methods} <= {"GET"}, sorted(methods)


def sample_url(route: str) -> str:
    """A real URL for `route`: the record's own slugs where a route takes one."""
    samples = {
        "missions": lambda: Mission.objects.get(name="Soyuz MS-22").slug,
        "people": lambda: Person.objects.get(name="Francisco Rubio").slug,
        "vehicles": lambda: VehicleFamily.objects.get(name="Soyuz MS").slug,
        "theme": lambda: "light",
    }
    section = route.removeprefix("api/").split("/", 1)[0]
    value = samples.get(section, lambda: Mission.objects.get(name="Soyuz MS-22").slug)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: value(), route)


@pytest.mark.parametrize(
    "route", sorted(set(PUBLIC_ROUTES) - set(PUBLIC_POST_ENDPOINTS)), ids=lambda route: route or "dashboard"
)
def test_a_post_to_a_read_only_url_is_refused_and_changes_nothing(editor, route):
    url = sample_url(route)
    client = csrf_client(editor)  # the most privileged visitor a public page gets
    client.get("/admin/")  # sets the CSRF cookie (no public page has a form that needs one)
    exempt = getattr(PUBLIC_ROUTES[route].callback, "csrf_exempt", False)
    before = db_state()

    without_token = client.post(url, {"q": "x"})
    with_token = client.post(url, {"q": "x"}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    # django-ninja's operations are csrf_exempt (the API is read-only and takes no cookie
    # auth): a POST reaches the view, which knows only GET.
    assert without_token.status_code == (405 if exempt else 403)
    # With a token, views that declare their methods say 405; the few that do not (/healthz,
    # the API's schema and docs) answer as to a GET. Either way nothing is stored.
    assert with_token.status_code in (200, 404, 405), (url, with_token.status_code)
    assert db_state() == before


def test_the_theme_switch_is_a_get_that_stores_nothing(client):
    before = db_state()
    response = client.get("/theme/light/?next=/agreement/")
    assert (response.status_code, response["Location"]) == (302, "/agreement/")
    assert response.cookies["theme"].value == "light"
    assert db_state() == before


def test_the_language_switch_is_a_post_that_stores_nothing_but_a_cookie(editor):
    client = csrf_client(editor)
    before = db_state()
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/agreement/"})  # no token
    assert (response.status_code, response["Location"]) == (302, "/agreement/")
    assert response.cookies["django_language"].value == "ru"
    away = client.post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).cookies.get("django_language") is None
    assert db_state() == before


def test_no_page_posts_anywhere_but_to_the_admin(client):
    """The public pages have no forms that POST (filters and search are GET), but for the
    language switch: if another appears, it needs an entry in PUBLIC_POST_ENDPOINTS."""
    for url in [
        "/",
        "/agreement/",
        "/agreement/ledger/",
        "/timeline/",
        sample_url("missions/<slug:slug>/"),
        sample_url("people/<slug:slug>/"),
    ]:
        html = client.get(url).content.decode()
        html = html.replace('<form class="language-switch" action="/i18n/setlang/" method="post">', "")
        assert not re.search(r"""method=["']?post|hx-post|hx-put|hx-patch|hx-delete""", html, re.I), url
