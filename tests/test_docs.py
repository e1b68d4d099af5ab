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


def test_the_readme_keeps_a_section_with_figures_for_every_benchmark():
    """Each measuring target of the Makefile has its own README section, with how to run it and
    the latest figures under it; a rewrite of one section must not swallow another."""
    readme = (ROOT / "README.md").read_text()
    sections = re.split(r"^## ", readme, flags=re.MULTILINE)
    targets = re.findall(r"^((?:bench-[a-z]+)|load):", (ROOT / "Makefile").read_text(), re.M)
    assert {"bench-matching", "bench-pages", "bench-reminders", "load"} <= set(targets)
    for target in targets:
        holding = [
            section for section in sections if f"make {target}" in section.split("\n### ")[0]
        ]
        assert holding, f"no README section explains `make {target}`"
        assert "### Figures on this machine" in holding[0], f"`make {target}` has no figures"
