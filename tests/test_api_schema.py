"""Schemathesis against the running app: every operation in /api/openapi.json is called over
real HTTP (pytest-django's live server) with generated parameters, valid and invalid, and
every response must match the schema: no server error, a documented status code and
content type, a body that validates, and invalid input rejected with a 4xx.

The schema is built in-process at import (schemathesis's fixture loader does not work
with pytest 9); the first test proves it is the one the server serves."""

import importlib

import pytest
import requests
import schemathesis
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import HealthCheck, given, settings

from tracker.api.api import api
from tracker.news.models import ProposedUpdate
from tracker.news.proposals import accept_proposal
from tracker.news.services import poll_sources_now

pytestmark = pytest.mark.django_db(transaction=True)

OPENAPI = api.get_openapi_schema(path_prefix="/api/")
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture
def app_url(live_server, record, django_user_model):
    # Articles and an accepted update, so that the news operations return items to validate.
    # The flush before this transactional test took the shipped news sources with it.
    migration = "0002_shipped_sources_and_editor_permissions"
    state = MigrationExecutor(connection).loader.project_state(("news", migration)).apps
    importlib.import_module(f"tracker.news.migrations.{migration}").ship(state, None)
    poll_sources_now(name="Sample news (offline)")
    editor = django_user_model.objects.create_user("schema-editor")
    accept_proposal(proposal=ProposedUpdate.objects.filter(kind="launch").first(), user=editor)
    return live_server.url


def test_the_server_serves_this_schema(app_url):
    served = requests.get(f"{app_url}/api/openapi.json", timeout=10)
    assert served.status_code == 200
    assert served.json() == requests.models.complexjson.loads(requests.models.complexjson.dumps(OPENAPI))


def test_every_operation_conforms_to_the_schema(app_url):
    # One test over every operation rather than one per operation: the record is loaded
    # once (a transactional test flushes it after each test), which on PostgreSQL saves minutes.
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len([op for path in OPENAPI["paths"].values() for op in path])
    failures = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def conforms(case):
            case.call_and_validate(base_url=app_url)

        try:
            conforms()
        except Exception as error:  # noqa: BLE001 - every operation is tried; all failures are reported
            failures[operation.label] = error
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
