"""The dashboard's pages, one module per page or family of pages."""

from .caseload import caseload
from .fidelity import fidelity
from .home import home
from .kpis import kpis, kpis_export
from .pitch import pitch
from .stories import story_create, story_edit, story_list

__all__ = [
    "caseload",
    "fidelity",
    "home",
    "kpis",
    "kpis_export",
    "pitch",
    "story_create",
    "story_edit",
    "story_list",
]
