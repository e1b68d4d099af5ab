"""The dashboard's pages, one module per page or family of pages."""

from .caseload import caseload
from .home import home
from .privacy import (
    audit,
    audit_export,
    youth_access,
    youth_access_json,
    youth_detail_panel,
    youth_erase_view,
)

__all__ = [
    "audit",
    "audit_export",
    "caseload",
    "home",
    "youth_access",
    "youth_access_json",
    "youth_detail_panel",
    "youth_erase_view",
]
