"""crmselect: choose a CRM vendor by business goals, and judge its price, SLA and contract.

``import crmselect`` is cheap and changes no global state: it imports none of the package's modules until one of
its names is used (``crmselect.load_project`` loads the model and the loaders), and never matplotlib, openpyxl or
ipywidgets.  Start with :func:`load_project`.
"""

from typing import TYPE_CHECKING

from crmselect.imports import lazy_exports

if TYPE_CHECKING:
    from crmselect.errors import CrmSelectError, InputError, Issue
    from crmselect.files.loaders import load_project
    from crmselect.model.project import Bid, Project

__getattr__, __dir__ = lazy_exports(__name__, {
    "CrmSelectError": "errors",
    "InputError": "errors",
    "Issue": "errors",
    "load_project": "files.loaders",
    "Bid": "model.project",
    "Project": "model.project",
})

__all__ = ["Bid", "CrmSelectError", "InputError", "Issue", "Project", "load_project"]
__version__ = "0.1.0"
