"""Shared pieces of the ipywidgets panels: a matplotlib figure shown in an Image widget."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import ipywidgets as w

from crmselect.show import plots

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def figure_png(figure: Figure, dpi: int = 80) -> bytes:
    """The figure as PNG bytes, for an ``ipywidgets.Image``."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


class FigureView:
    """One reusable figure drawn into an ``ipywidgets.Image``: redraws are cheap and never flicker.

    The figure comes from :func:`crmselect.show.plots.axes` (CJK font fallback) and is closed in
    pyplot at once, so notebooks never show it a second time as a static image.
    """

    def __init__(self, figsize: tuple[float, float] = (6.5, 3.4), max_width: str = "680px") -> None:
        self.figsize = figsize
        # kept at its own size beside a wide table (a flex item would otherwise be squeezed out of shape)
        self.image = w.Image(format="png", layout=w.Layout(max_width=max_width, width="auto", height="auto",
                                                           flex="0 0 auto", object_fit="contain"))
        self._figure: Figure | None = None

    @property
    def figure(self) -> Figure:
        figure = self._figure
        if figure is None:
            import matplotlib.pyplot as plt

            made = cast("Figure", plots.axes(figsize=self.figsize).figure)
            plt.close(made)
            self._figure = figure = made
        return figure

    def draw(self, paint: Callable[[Axes], Any]) -> None:
        """Clear the figure, let ``paint(ax)`` draw (a result's ``plot(ax=ax)``), show it."""
        figure = self.figure
        figure.clear()  # also drops colour bars and twin axes of the previous drawing
        ax = figure.add_subplot()
        paint(ax)
        self.image.value = figure_png(figure)


def html_error(message: str) -> str:
    import html

    return f"<div style='color:#b00020;font-family:sans-serif'>{html.escape(message)}</div>"
