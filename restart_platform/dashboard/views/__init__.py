"""The dashboard's pages, one module per page or family of pages."""

from .caseload import caseload
from .fidelity import fidelity
from .home import home
from .kpis import kpis, kpis_export
from .pitch import pitch
from .privacy import (
    audit,
    audit_export,
    youth_access,
    youth_access_json,
    youth_detail_panel,
    youth_erase_view,
)
from .stories import story_create, story_edit, story_list

__all__ = [
    "audit",
    "audit_export",
    "caseload",
    "fidelity",
    "home",
    "kpis",
    "kpis_export",
    "pitch",
    "story_create",
    "story_edit",
    "story_list",
    "youth_access",
    "youth_access_json",
    "youth_detail_panel",
    "youth_erase_view",
]
