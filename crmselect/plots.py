"""Views: DataFrames in, matplotlib Axes out.  Plots never compute and never call ``plt.show()``.

matplotlib is imported inside each function, so ``import crmselect`` stays light.  Chinese goal
and vendor names render through a CJK font fallback (``fonts-noto-cjk`` on Debian).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")


def font_families() -> list[str]:
    """DejaVu Sans for Latin text, then the first installed CJK font as fallback."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[name for name in CJK_FAMILIES if name in installed][:1]]


def axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """The caller's Axes, or a new figure's; the figure uses the CJK-capable font chain."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.family": font_families()}):
        _, new_ax = plt.subplots(figsize=figsize, FigureClass=_cjk_figure_class())
    return new_ax  # type: ignore[no-any-return]


def font_context() -> Any:
    """A context manager that draws text with the CJK-capable font chain (for labels set later)."""
    import matplotlib.pyplot as plt

    return plt.rc_context({"font.family": font_families()})


def cjk_fallback() -> str | None:
    """The installed CJK font family used as the last fallback, or None when there is none."""
    families = font_families()
    return families[1] if len(families) > 1 else None


@functools.cache
def _cjk_figure_class() -> type:
    """A Figure that gives every text the CJK font as its last fallback when it is drawn.

    Text artists take their font from rcParams when they are *created*, so labels, titles and
    legends a caller adds after :func:`axes` returns (and tick labels made during drawing) would
    otherwise miss the fallback and draw Chinese names as empty boxes ("Glyph ... missing").
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    class CjkFigure(Figure):  # type: ignore[misc]
        def draw(self, renderer: Any) -> None:
            cjk = cjk_fallback()
            if cjk is None:
                super().draw(renderer)
                return
            with plt.rc_context({"font.family": [*plt.rcParams["font.family"], cjk]}):
                for text in self.findobj(Text):
                    family = list(text.get_fontfamily())
                    if cjk not in family:
                        text.set_fontfamily([*family, cjk])
                super().draw(renderer)

    return CjkFigure
