"""Shared pieces of the ipywidgets panels: a chart drawn as inline SVG, an error shown in red."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w

from crmselect.show import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_png(figure: Figure, dpi: int = 80) -> bytes:
    """The figure as PNG bytes, for an ``ipywidgets.Image``."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


class ChartView:
    """One chart as inline SVG in an ``ipywidgets.HTML``: hidden until first drawn, so an empty chart never shows.

    SVG is drawn by the browser at exactly its drawn size (its ``width``/``height`` equal its ``viewBox``), so it
    keeps its aspect ratio, and a redraw costs a string, not a matplotlib figure (100-300 ms here).
    """

    def __init__(self, css_class: str = "") -> None:
        self.html = w.HTML(layout=w.Layout(display="none", flex="0 0 auto", max_width="100%"))
        if css_class:
            self.html.add_class(css_class)
        # the look (vendor colours, currency) of the paper that built the panel, for draws in later callbacks
        self.look = style.current_look()

    @property
    def drawn(self) -> bool:
        return bool(self.html.value)

    def draw(self, paint: Callable[[], str]) -> None:
        """Show the SVG ``paint()`` returns (drawn with the panel's look)."""
        with style.look(palette=self.look.palette, currency=self.look.currency):
            self.html.value = paint()
        if self.html.layout.display == "none":
            self.html.layout.display = None

    def clear(self) -> None:
        """Hide the chart (nothing to show yet)."""
        self.html.layout.display = "none"
        self.html.value = ""


def html_error(message: str) -> str:
    import html

    return f"<div style='color:#b00020;font-family:sans-serif'>{html.escape(message)}</div>"
