"""The Dutch catalogue follows docs/glossary.md: no translation uses a term marked as wrong."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def avoided_terms(text: str) -> list[str]:
    """The first column of the table under "## Terms to avoid": each term in backticks."""
    section = text.split("## Terms to avoid", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def uses(term: str, text: str) -> bool:
    """The term as a word (any case), also with a Dutch plural ending: -en, -n or -s."""
    pattern = rf"(?<!\w){re.escape(term)}(?:en|n|s)?(?!\w)"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def translations() -> list[tuple[str, str]]:
    found = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        found += [(entry.msgid, text) for text in texts if text]
    return found


def test_the_glossary_names_the_terms_to_avoid():
    terms = avoided_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert len(terms) >= 10
    assert {"uitgestroomd", "leerwerkovereenkomst", "derde met gezag", "AKA"} <= set(terms)


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("uitgestroomd", "Uitgestroomd", True),
        ("interessegebied", "beroeps- en interessegebieden", True),
        ("derde met gezag", "Derde met gezag", True),
        ("derde met gezag", "derde partij met gezag", False),
        ("AKA", "maak een afspraak", False),
        ("gemeenten", "Alle gemeenten", True),
        ("gemeenten", "een jobcoach van de gemeente", False),
    ],
)
def test_a_term_is_found_as_a_word_and_only_as_a_word(term, text, expected):
    assert uses(term, text) is expected


def test_no_dutch_translation_uses_a_term_the_glossary_marks_as_wrong():
    terms = avoided_terms(GLOSSARY.read_text(encoding="utf-8"))
    wrong = [
        (term, msgid, text) for msgid, text in translations() for term in terms if uses(term, text)
    ]
    assert wrong == [], "see docs/glossary.md, 'Terms to avoid'"
