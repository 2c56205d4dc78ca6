from urllib.parse import quote

import pytest
from django.conf import settings

from .context import FaultContext
from .databases import DatabaseFactory


@pytest.fixture(scope="session")
def fault_context(tmp_path_factory):
    """The run's fault context: its directory, and the prepared database (SQLite, or PostgreSQL
    databases named after the run's own: test_<name>_faults_*) each scenario copies."""
    database = settings.DATABASES["default"]
    workdir = tmp_path_factory.mktemp("faults")
    if database["ENGINE"] == "django.db.backends.postgresql":
        login = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else "")
        server = f"postgres://{login}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        factory = DatabaseFactory(
            engine="postgres", workdir=workdir, server_url=server, prefix=f"test_{database['NAME']}_faults"
        )
    else:
        factory = DatabaseFactory(engine="sqlite", workdir=workdir)
    yield FaultContext(workdir, factory)
    factory.drop_all()


@pytest.fixture(autouse=True)
def scenario_database_access(django_db_blocker):
    """The scenarios read and write their own databases (not the test database) through ORM
    aliases of their own; pytest-django blocks every connection unless told otherwise."""
    with django_db_blocker.unblock():
        yield
