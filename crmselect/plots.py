"""Views: DataFrames in, matplotlib Axes out.  Plots never compute and never call ``plt.show()``.

matplotlib is imported inside each function, so ``import crmselect`` stays light.  Chinese goal
and vendor names render through a CJK font fallback (``fonts-noto-cjk`` on Debian).
"""

from __future__ import annotations

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
        _, new_ax = plt.subplots(figsize=figsize)
    return new_ax  # type: ignore[no-any-return]


def font_context() -> Any:
    """A context manager that draws text with the CJK-capable font chain (for labels set later)."""
    import matplotlib.pyplot as plt

    return plt.rc_context({"font.family": font_families()})
