"""The paper's charts: the results' own ``plot()`` (so the same visual language as the dashboard and the
notebooks, :mod:`crmselect.show.plots`), saved as SVG.

matplotlib draws text as paths in SVG (``svg.fonttype`` ``path``), so Chinese labels need no font in the
reader's viewer and a chart holds no text a browser could run; the comments matplotlib writes (the labels'
text) are taken out all the same.  Each figure is closed after it is saved: pyplot is left as it was found.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_COMMENT = re.compile(r"<!--.*?-->|<metadata>.*?</metadata>", re.S)
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_ID = re.compile(r'\b(id|xlink:href|href|clip-path)="(#?)(url\(#)?([^")]+)')


def svg_of(draw: Callable[[], Axes], *, width: float | None = None, height: float | None = None,
           prefix: str = "c") -> str:
    """Call ``draw`` (it returns the Axes of a new figure) and return the figure as standalone SVG text.

    ``prefix`` makes the element ids unique, so several charts can sit inline in one HTML page.
    """
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "crmselect", "figure.dpi": 72}):
        ax = draw()
        figure = cast("Figure", ax.figure)
        try:
            if width is not None and height is not None:
                figure.set_size_inches(width, height)
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(figure)
    text = _PROLOGUE.sub("", _COMMENT.sub("", buffer.getvalue()), count=1)
    return _unique_ids(text, prefix)


def _unique_ids(svg: str, prefix: str) -> str:
    def renamed(match: re.Match[str]) -> str:
        attribute, hash_sign, url, name = match.groups()
        return f'{attribute}="{hash_sign}{url or ""}{prefix}-{name}'

    return _ID.sub(renamed, svg)


__all__ = ["svg_of"]
