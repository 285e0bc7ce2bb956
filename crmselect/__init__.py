"""crmselect: choose a CRM vendor by business goals, and judge its price, SLA and contract.

``import crmselect`` is cheap and changes no global state: it does not import matplotlib,
openpyxl or ipywidgets.  Start with :func:`load_project`.
"""

from crmselect.errors import CrmSelectError, InputError, Issue
from crmselect.files.loaders import load_project
from crmselect.model.project import Bid, Project

__all__ = ["Bid", "CrmSelectError", "InputError", "Issue", "Project", "load_project"]
__version__ = "0.1.0"
