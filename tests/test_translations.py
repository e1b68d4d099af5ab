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
    # makemessages writes to the `locale` folder beside the code it reads, so it reads the code
    # through links from a folder of its own: the repository's catalogue is never rewritten.
    tree = tmp_path / "tree"
    tree.mkdir()
    for entry in ROOT.iterdir():
        if not entry.name.startswith(".") and entry.name not in {"locale", "var", "tests"}:
            (tree / entry.name).symlink_to(entry)
    target = tree / "locale"
    (target / "nl" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, target / "nl" / "LC_MESSAGES" / "django.po")
    script = (
        "import django, os; os.environ['DEBUG']='1'; "
        "from django.conf import settings; "
        "django.setup(); from django.core.management import call_command; "
        f"settings.LOCALE_PATHS=[{str(target)!r}]; "
        "call_command('makemessages', locale=['nl'], symlinks=True, no_obsolete=True, "
        "verbosity=0)"
    )
    before = PO.read_bytes()
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=tree,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "restart_platform.settings",
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert PO.read_bytes() == before, "the test rewrote the repository's catalogue"
    fresh = polib.pofile(str(target / "nl" / "LC_MESSAGES" / "django.po"))
    missing = sorted(entry.msgid for entry in fresh.untranslated_entries())
    assert missing == [], (
        "new strings without a Dutch translation; run `make messages` and translate them"
    )


@pytest.mark.parametrize(("language", "expected"), [("nl", "Meldingen"), ("en", "Notifications")])
def test_the_interface_switches_language(language, expected):
    with translation.override(language):
        assert translation.gettext("Notifications") == expected
