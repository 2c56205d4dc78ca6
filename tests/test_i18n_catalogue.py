"""The Russian catalogue is complete, correct and the same in its source and compiled forms.

The compiled django.mo is committed so that the product runs with no gettext installed;
these tests catch a .po edited without recompiling, a string marked in the code with no
translation, a translation that drops or renames a placeholder, and a plural with the
wrong number of Russian forms."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def entries():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [entry.msgid for entry in entries() if not entry.translated() or "fuzzy" in entry.flags]
    assert untranslated == []


def test_russian_plurals_have_their_three_forms():
    catalogue = polib.pofile(str(CATALOGUE))
    assert "nplurals=3;" in catalogue.metadata["Plural-Forms"]
    for entry in entries():
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_every_placeholder():
    for entry in entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == wanted, (entry.msgid, form)


def test_the_compiled_catalogue_says_what_the_po_says():
    source = {(e.msgctxt, e.msgid): (e.msgstr_plural if e.msgid_plural else e.msgstr) for e in entries()}
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr_plural if e.msgid_plural else e.msgstr)
        for e in polib.mofile(str(COMPILED))
        if e.msgid
    }
    assert compiled == source, "locale/ru/LC_MESSAGES/django.mo is out of date: run bin/messages"


def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """makemessages, run on a copy of the code, finds no string the committed catalogue
    lacks (and so none without a translation)."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to read the marked strings: apt-get install -y gettext")
    root = Path(settings.BASE_DIR)
    for folder in ("tracker", "templates"):
        shutil.copytree(root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ru"], no_obsolete=True, verbosity=0)
    extracted = polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in entries()}
    missing = sorted(e.msgid for e in extracted if not e.obsolete and (e.msgctxt, e.msgid) not in committed)
    assert missing == [], "marked in the code but not in django.po (run bin/messages): %s" % missing
    unused = sorted(msgid for (_, msgid) in committed - {(e.msgctxt, e.msgid) for e in extracted if not e.obsolete})
    assert unused == [], "in django.po but no longer in the code (run bin/messages): %s" % unused


def test_gettext_is_not_needed_to_run_the_product():
    # The compiled catalogue is in the repository, next to its source.
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(COMPILED.relative_to(settings.BASE_DIR))],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert tracked.returncode == 0, "django.mo must be committed"
