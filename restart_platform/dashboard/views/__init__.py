"""The dashboard's pages, one module per page or family of pages."""

from .caseload import caseload
from .fidelity import fidelity
from .home import home

__all__ = ["caseload", "fidelity", "home"]
