"""Pure views: DataFrame in, Axes or HTML out, and what every view shares (colours, labels, formats).

Result objects' ``frame()``, ``plot()`` and ``_repr_html_`` call these; nothing here sees the domain.
matplotlib is imported inside each drawing function, so importing this package stays light.
"""

from crmselect.show.tables import to_html

__all__ = ["to_html"]
