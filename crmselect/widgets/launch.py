"""Which selection the dashboard shows, and who acts in it: named at launch, never guessed.

``voila notebooks/05_dashboard.ipynb`` is launched with ``CRMSELECT_SELECTION`` set to a selection
folder, or to a folder of selections; a URL may then pick one of those with ``?selection=NAME``,
but never a folder outside that root.  ``CRMSELECT_MEMBER`` names the committee member who records
scenarios; without it the dashboard shows the numbers and says why recording is off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from crmselect.errors import InputError, Issue
from crmselect.files.workspace import check_selection_folder, is_selection
from crmselect.record.signing import key_dir_from

if TYPE_CHECKING:
    from crmselect.model.project import Project
    from crmselect.record.signing import Signer

SELECTION_VARIABLE = "CRMSELECT_SELECTION"
MEMBER_VARIABLE = "CRMSELECT_MEMBER"


@dataclass(frozen=True)
class DashboardChoice:
    folder: Path
    member: str | None
    key_dir: Path | None = None


def signer_for(project: Project, member: str | None, key_dir: str | Path | None) -> Signer | None:
    """The acting member's signer when the committee signs and a key folder was named; else None (the
    scenario manager then says why recording is off).  A named key that is missing or not the member's is an
    error: recording under someone else's name is never attempted."""
    from crmselect.record.signing import member_signer

    return member_signer(project, member, None if key_dir is None else Path(key_dir))


def _refuse(field: str, message: str, allowed: str, received: str) -> InputError:
    return InputError([Issue("dashboard launch", field, message, code="bad_launch", allowed=allowed,
                             received=received)])


def dashboard_selection(environ: Mapping[str, str]) -> DashboardChoice:
    """The selection (and acting member) of a dashboard launched with ``environ`` (Voila's kernel environment)."""
    root_text = environ.get(SELECTION_VARIABLE, "").strip()
    if not root_text:
        raise _refuse(SELECTION_VARIABLE, "is not set: launch the dashboard with the selection folder, e.g. "
                      f"`{SELECTION_VARIABLE}=my_selection voila notebooks/05_dashboard.ipynb`",
                      "a selection folder, or a folder of selections", "nothing")
    root = Path(root_text).expanduser()
    member = environ.get(MEMBER_VARIABLE, "").strip() or None
    key_dir = key_dir_from(None, environ)
    asked = parse_qs(environ.get("QUERY_STRING", "")).get("selection", [])
    if not asked:
        if is_selection(root):
            return DashboardChoice(root, member, key_dir)
        inside = sorted(p.name for p in root.iterdir() if is_selection(p)) if root.is_dir() else []
        if inside:
            raise _refuse("selection", f"{root} holds several selections: add ?selection=NAME to the address",
                          ", ".join(inside), "no ?selection= in the address")
        check_selection_folder(root)
    name = asked[-1]
    candidate = (root / name).resolve()
    base = root.resolve()
    if candidate == base or not candidate.is_relative_to(base) or "/" in name or "\\" in name or name in (".", ".."):
        raise _refuse("selection", f"may only name a selection inside {root}", "the name of a folder in it",
                      name)
    check_selection_folder(candidate)
    return DashboardChoice(candidate, member, key_dir)


def seal_banner(project: Project) -> str:
    """The drift warning as HTML for the top of a page ("" while the inputs match the seal)."""
    import html

    from crmselect.record.envelopes import seal_state

    warning = seal_state(project).warning()
    if not warning:
        return ""
    lines = "<br>".join(html.escape(line) for line in warning.splitlines())
    return (f"<div class='crmselect-seal-warning' style='border:2px solid #b00;padding:6px;color:#b00'>"
            f"{lines}</div>")


__all__ = ["MEMBER_VARIABLE", "SELECTION_VARIABLE", "DashboardChoice", "dashboard_selection", "seal_banner",
           "signer_for"]
