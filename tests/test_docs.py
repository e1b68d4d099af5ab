"""The repository stands alone: its README and docs/ send readers only to files inside it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)")
CODE_PATH = re.compile(r"`([^`\s]*/[^`\s]*)`")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_and_path_of_the_docs_stays_inside_the_repository(page):
    text = page.read_text()
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        assert (page.parent / target).resolve().is_relative_to(ROOT), f"{page.name}: {target}"
    for path in CODE_PATH.findall(text):
        assert not path.startswith(("../", "/work", "~")), f"{page.name}: {path}"


def test_the_docs_index_lists_every_page_of_docs():
    index = (ROOT / "docs" / "README.md").read_text()
    for page in ["architecture.md", "style.md", "events.md", "glossary.md"]:
        assert f"]({page})" in index, page
    for page in (ROOT / "docs").glob("*.md"):
        assert page.name == "README.md" or f"]({page.name})" in index, page.name
