import pytest
from django.contrib.auth.models import Group, User

from tests.factories import PERSONA_PASSWORD
from tracker.core.admin_site import EDITOR_GROUP
from tracker.record.models import Mission, Person, Seat
from tracker.record.reference_data import load_reference_data

# The browser suites' fixtures (Chromium, the record put back after a flush).
pytest_plugins = ["tests.browser"]


def pytest_collection_modifyitems(config, items):
    """Tests about a database server run only in the PostgreSQL run of the suite: on SQLite
    they are deselected (not skipped; in CI nothing is skipped)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    keep = [item for item in items if item.get_closest_marker("postgresql_only") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the shipped reference record (loaded once)."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def mission():
    def get(name: str) -> Mission:
        return Mission.objects.get(name=name)

    return get


@pytest.fixture
def person():
    def get(name: str) -> Person:
        return Person.objects.get(name=name)

    return get


@pytest.fixture
def seat():
    def get(person_name: str, mission_name: str, leg: str) -> Seat:
        return Seat.objects.get(person__name=person_name, mission__name=mission_name, leg=leg)

    return get


@pytest.fixture
def source(db):
    """A news feed source ("Test wire") for articles the test ingests."""
    from tests.factories import make_news_source

    return make_news_source()


@pytest.fixture
def htmx_get(client):
    """GET as htmx asks for one region of a page: `htmx_get(url, target, **params)`."""

    def get(url: str, target: str, **params):
        return client.get(url, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)

    return get


# --- personas ---------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edna", password=PERSONA_PASSWORD)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def staff_non_editor(db):
    return User.objects.create_user("stan", password=PERSONA_PASSWORD, is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def default_language():
    """LocaleMiddleware leaves a request's language active in the thread: after a request in
    Russian, code a test calls directly (a search, a calendar) would still speak Russian.
    Each test starts and ends in the site's default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Pages are cached per record version; each test starts with nothing cached, so a
    page rendered in one test (or at another frozen time) never answers in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def broker():
    """The run's own Redis database (bin/test picks it), empty before and after: no task or
    lock left by an earlier test reaches this one's worker."""
    import os

    import redis
    from django.conf import settings

    url = settings.TEST_REDIS_URL
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL is not set: bin/test points the suite at a Redis database")
        pytest.skip("TEST_REDIS_URL is not set; run the suite with bin/test, which provides a Redis")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def feed_server():
    from tests.http_server import FeedServer

    with FeedServer() as server:
        yield server


@pytest.fixture
def ms29_launch_unannounced(db):
    """Soyuz MS-29 with no launch target, as if the record had been loaded before the April
    2026 announcement (its history too, so no edit shows up among the record's changes): the
    sample feed's MS-29 story then proposes the 14 July target, which the review, admin and
    feed tests decide on. (With the shipped record it restates the target and proposes nothing.)"""
    from tracker.record.version import bump_record_version

    unknown = {"launch_at": None, "launch_precision": "", "launch_certainty": ""}
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    Mission.objects.filter(pk=ms29.pk).update(**unknown)
    Mission.history.filter(id=ms29.pk).update(**unknown)
    bump_record_version()
    ms29.refresh_from_db()
    return ms29


@pytest.fixture
def sample_proposals(ms29_launch_unannounced):
    """The offline sample source polled, with MS-29's launch not yet in the record: its
    articles stored, and the proposals waiting, by summary."""
    from tracker.news.models import ProposedUpdate
    from tracker.news.services import poll_sources_now

    poll_sources_now(name="Sample news (offline)")
    return {proposal.summary: proposal for proposal in ProposedUpdate.objects.all()}
