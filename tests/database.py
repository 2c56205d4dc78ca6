"""What the database itself refuses, whatever the ORM lets through."""

import pytest
from django.db import IntegrityError, transaction


def rejected(write) -> None:
    """`write()` fails on a constraint; its savepoint is rolled back, so the test goes on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()
