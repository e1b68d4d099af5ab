"""Dependencies point one way: a lower app never imports a higher one, nor includes or extends
its templates, nor names one of its templates in code.

The layers, bottom first (docs/architecture.md, with intake placed where the code needs it):

0. the project package `restart_platform` and its apps accounts, taxonomy and notifications:
   the foundation every app builds on; they may use each other.
1. employers, youth: each stands on the foundation alone.
2. intake: an intake meeting is about a young person and, often, an employer's opening.
3. matching: it reads intakes (the motivation in a candidate's profile, the intake planned for
   an interested employer), so intake sits below it.
4. buddy, prep_programme: a buddy pair starts from a placement (matching.Placement) and the
   coordinator is asked to close or continue it when the placement ends; the programme's
   phase 3 is a placement, proposed when one starts, and the employer's candidate page shows
   the phase in a panel. Both stand on matching. Matching never reads them: its readiness
   reads the phase the programme writes on the young person (`youth.programme_phase`).
5. restart_platform.dashboard: the home page and the demo data, over every app.

A module may import its own app and any app of a lower layer; never an app of its own layer
(above the foundation) or of a higher one. A page of a lower app that shows something of a
higher one leaves a panel slot that the higher app fills from its own URL.

Every `.py` module is parsed, migrations included: none needs an exemption.
"""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = [
    {
        "restart_platform",
        "restart_platform.accounts",
        "restart_platform.taxonomy",
        "restart_platform.notifications",
    },
    {"employers", "youth"},
    {"intake"},
    {"matching"},
    # A buddy pair and the programme's phase 3 start from matching's placement: both read it,
    # matching never reads them.
    {"buddy", "prep_programme"},
    {"restart_platform.dashboard"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
FOUNDATION = 0
SUB_APPS = {app.split(".")[1] for app in LEVEL if app.startswith("restart_platform.")}

TEMPLATE_TAG = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")
TEMPLATE_NAME = re.compile(r"^([a-z_]+)/[\w./-]+\.(?:html|txt)$")


def app_of_module(name: str) -> str | None:
    """The app a dotted module name belongs to, or None outside ours."""
    parts = name.split(".")
    if parts[0] == "restart_platform" and len(parts) > 1 and parts[1] in SUB_APPS:
        return f"restart_platform.{parts[1]}"
    return parts[0] if parts[0] in LEVEL else None


def app_of_path(path: Path) -> str:
    return app_of_module(".".join(path.relative_to(ROOT).parts))


def app_folders() -> dict[str, Path]:
    return {app: ROOT.joinpath(*app.split(".")) for app in LEVEL}


def modules_of(app: str) -> list[Path]:
    folder = app_folders()[app]
    return [path for path in folder.rglob("*.py") if app_of_path(path) == app]


def templates_of(app: str) -> list[Path]:
    folder = app_folders()[app] / "templates"
    return sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt"))


def template_owners() -> dict[str, str]:
    """The first folder of a template name -> the app whose templates/ holds it. Names outside
    (the shared base layout in templates/, third-party packages) belong to nobody above."""
    owners = {}
    for app in LEVEL:
        folder = app_folders()[app] / "templates"
        for child in folder.iterdir() if folder.is_dir() else []:
            if child.is_dir():
                owners[child.name] = app
    return owners


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def template_names_in_code(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and TEMPLATE_NAME.match(node.value)
    ]


def reaches_up(app: str, other: str | None) -> bool:
    if other is None or other == app:
        return False
    if LEVEL[other] > LEVEL[app]:
        return True
    return LEVEL[other] == LEVEL[app] != FOUNDATION


def upward_imports(app: str) -> list[str]:
    offences = []
    for path in modules_of(app):
        for name in imported_names(path):
            if reaches_up(app, app_of_module(name)):
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    return offences


def upward_templates(app: str) -> list[str]:
    owners = template_owners()

    def owner(name: str) -> str | None:
        return owners.get(name.split("/")[0]) if "/" in name else None

    offences = []
    for path in templates_of(app):
        for name in TEMPLATE_TAG.findall(path.read_text()):
            if reaches_up(app, owner(name)):
                offences.append(f"{path.relative_to(ROOT)} includes or extends {name}")
    for path in modules_of(app):
        for name in template_names_in_code(path):
            if reaches_up(app, owner(name)):
                offences.append(f"{path.relative_to(ROOT)} names the template {name}")
    return offences


EXISTING = sorted(app for app in LEVEL if app_folders()[app].is_dir())


@pytest.mark.parametrize("app", EXISTING)
def test_no_module_imports_an_app_of_its_own_or_a_higher_layer(app):
    assert upward_imports(app) == []


@pytest.mark.parametrize("app", EXISTING)
def test_no_template_includes_one_of_its_own_or_a_higher_layer(app):
    assert upward_templates(app) == []


def test_every_app_of_the_project_has_a_layer():
    """A new app (buddy, prep_programme) is walked only once it has its place above."""
    from django.apps import apps

    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and ".venv" not in Path(config.path).relative_to(ROOT).parts
    }
    assert ours - set(LEVEL) == set()


def test_the_walk_sees_an_upward_import_and_include(tmp_path, monkeypatch):
    """The check itself: a youth module importing matching, and a youth template including a
    matching template, are found."""
    for app in ("youth", "matching"):
        (tmp_path / app / "templates" / app).mkdir(parents=True)
    (tmp_path / "youth" / "views.py").write_text(
        "from matching.selectors import suggestions_for_youth\n"
        "TEMPLATE = 'matching/suggestions.html'\n"
    )
    (tmp_path / "youth" / "templates" / "youth" / "page.html").write_text(
        '{% include "matching/includes/suggestions.html" %}'
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert upward_imports("youth") == [
        "youth/views.py imports matching.selectors",
    ]
    assert upward_templates("youth") == [
        "youth/templates/youth/page.html includes or extends matching/includes/suggestions.html",
        "youth/views.py names the template matching/suggestions.html",
    ]
    assert upward_imports("matching") == upward_templates("matching") == []
