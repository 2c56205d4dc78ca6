"""Values kept per record version: built once while the version stands, again after a change,
once however many threads ask at the same time, and once per extra key part."""

import gc
import threading
import time
import weakref

from tracker.record.version import bump_record_version, per_record_version


class Built:
    """A value that can be watched for being dropped."""

    def __init__(self, key=None):
        self.key = key


def counting_memo(also_by=None, pause: float = 0.0):
    builds = []

    def build():
        time.sleep(pause)
        value = Built(also_by() if also_by else None)
        builds.append(value)
        return value

    return per_record_version(build, also_by=also_by), builds


def test_a_value_is_reused_while_the_record_version_stands():
    current, builds = counting_memo()
    assert current() is current() is current()
    assert len(builds) == 1


def test_a_value_is_built_again_after_the_record_changed():
    current, builds = counting_memo()
    before = current()
    bump_record_version()
    after = current()
    assert after is not before and len(builds) == 2
    assert current() is after


def test_values_of_an_older_version_are_dropped():
    current = per_record_version(Built)  # nothing else holds on to what it builds
    old = weakref.ref(current())
    bump_record_version()
    current()
    gc.collect()
    assert old() is None


def test_concurrent_callers_share_one_build():
    current, builds = counting_memo(pause=0.2)
    bump_record_version()
    results = []
    threads = [threading.Thread(target=lambda: results.append(current())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(results) == 8 and all(value is builds[0] for value in results)


def test_each_language_has_its_own_value_for_the_same_version():
    language = ["en"]
    current, builds = counting_memo(also_by=lambda: language[0])
    english = current()
    language[0] = "ru"
    russian = current()
    assert (english.key, russian.key) == ("en", "ru")
    language[0] = "en"
    assert current() is english
    assert len(builds) == 2
    bump_record_version()
    assert current() is not english and len(builds) == 3


def test_the_decorator_form_takes_the_extra_key():
    language = ["en"]
    calls = []

    @per_record_version(also_by=lambda: language[0])
    def current_greeting() -> str:
        """The greeting."""
        calls.append(language[0])
        return {"en": "hello", "ru": "привет"}[language[0]]

    assert current_greeting() == "hello" and current_greeting() == "hello"
    language[0] = "ru"
    assert current_greeting() == "привет"
    assert calls == ["en", "ru"]
    assert current_greeting.__doc__ == "The greeting."
