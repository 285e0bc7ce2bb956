"""The paper as PDF, typeset by typst (the ``typst`` wheel carries the compiler; nothing to install with apt).

The paper goes to the template (``paper.typ`` beside this module) as one JSON string in ``sys.inputs``: the
template places its text as strings, so no untrusted text is ever read as typst markup.  Fonts: Latin text in
Libertinus Serif (built into typst), Chinese in Noto Serif/Sans CJK SC from ``fonts-noto-cjk``, found in the
usual Debian folder or in the folders named by ``CRMSELECT_FONT_PATH`` (``os.pathsep``-separated).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from crmselect.report.content import Paper

TEMPLATE = Path(__file__).with_name("paper.typ")
FONT_FOLDERS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/dejavu")
FONTS = ("Libertinus Serif", "Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Sans")


def font_paths() -> list[str]:
    """Folders typst searches for fonts besides its own: ``CRMSELECT_FONT_PATH``, then the Debian folders."""
    wanted = [p for p in os.environ.get("CRMSELECT_FONT_PATH", "").split(os.pathsep) if p]
    return [p for p in [*wanted, *FONT_FOLDERS] if Path(p).is_dir()]


def render_pdf(paper: Paper) -> bytes:
    """The PDF of ``paper`` (bytes)."""
    import typst

    inputs = {"paper": json.dumps(paper.as_data(), ensure_ascii=False), "fonts": ",".join(FONTS)}
    pdf = typst.compile(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=font_paths(), sys_inputs=inputs)
    return bytes(pdf)


__all__ = ["FONTS", "TEMPLATE", "font_paths", "render_pdf"]
