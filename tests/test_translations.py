"""The Dutch catalogue is complete, compiled, and covers every string in the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from tests.conftest import needs_service

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_dutch_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.pofile(str(PO))
        if not entry.obsolete
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(str(MO))
    }
    compiled.pop((None, ""), None)  # the header
    assert compiled == source, "run `make messages` to compile locale/nl"


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        needs_service("GNU gettext (xgettext) is not installed")
    # makemessages writes the catalogue of the `locale` folder beside the sources it scans, and
    # a temporary `<template>.py` beside each template; so it scans a copy of the sources, with
    # a copy of the catalogue: a test run never writes into the checkout (nor races a test that
    # walks the templates at the same moment).
    work = tmp_path / "project"
    work.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")
    for entry in ROOT.iterdir():
        if entry.name in {"locale", "tests", "var", "node_modules"} or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, work / entry.name, ignore=skip)
        else:
            shutil.copy(entry, work / entry.name)
    (work / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True)
    copy = work / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    shutil.copy(PO, copy)
    script = (
        "import django, os; os.environ['DEBUG']='1'; "
        "django.setup(); from django.core.management import call_command; "
        "call_command('makemessages', locale=['nl'], "
        "ignore_patterns=['.venv/*', 'var/*', 'tests/*'], no_obsolete=True, verbosity=0)"
    )
    before = PO.read_bytes()
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "restart_platform.settings",
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert PO.read_bytes() == before
    fresh = polib.pofile(str(copy))
    assert len(fresh) > 1000  # the scan found the code
    missing = sorted(entry.msgid for entry in fresh.untranslated_entries())
    assert missing == [], (
        "new strings without a Dutch translation; run `make messages` and translate them"
    )


@pytest.mark.parametrize(("language", "expected"), [("nl", "Meldingen"), ("en", "Notifications")])
def test_the_interface_switches_language(language, expected):
    with translation.override(language):
        assert translation.gettext("Notifications") == expected
