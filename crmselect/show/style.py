"""The one look of every view: vendor colours, money and weight axes, legends, colour scales.

Charts (:mod:`crmselect.show.plots`), and later the workbook, the report and the dashboard, take their
colours and number styles from here, so a committee member sees one vendor in one colour everywhere.

- **Vendor colours** come from a :class:`Palette`: vendor -> colour in the *selection's* vendor order
  (never a plot's row order), and every name a bid is shown by (its label, its id) -> its vendor and
  its place among the vendor's offers.  Two offers of one vendor share the colour and differ by
  marker, line style and hatch.  :func:`vendor_palette` builds it from plain sequences, e.g.
  ``vendor_palette(scorecard.vendor_ids, scorecard.labels, scorecard.bid_ids)``.
- **The look of a paper** (:class:`Look`: palette and currency) is set once with :func:`look`, the way
  :func:`crmselect.show.i18n.using` sets the language; a plot function given no palette or currency
  uses the current look's.  Nothing here touches pyplot's global state.
- **Axes:** :func:`money_axis` (currency and unit in the label, plain grouped numbers, never ``1e6``),
  :func:`percent_axis` (weights and shares in %), :func:`legend_outside` (right of the data).
- **Colour scales:** green is good for the committee.  :data:`GOOD_HIGH` for "higher is better"
  heatmaps; :func:`rank_colours` runs from green (rank 1) to red (last).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from crmselect.show.i18n import _, current

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend

#: 20 colours told apart on screen and paper (matplotlib's tab10, then darker companions of tab20b/c).
VENDOR_COLOURS: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79",
    "#637939", "#8c6d31", "#843c39", "#7b4173", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#e7969c", "#969696",
)
#: Two offers of one vendor: the first drawn plain, the next with these (cycled).
OFFER_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")
OFFER_LINESTYLES: tuple[str, ...] = ("-", "--", ":", "-.")
OFFER_HATCHES: tuple[str, ...] = ("", "//", "..", "xx")
#: Goals (and other categories that are not vendors) take these, so they never look like a vendor.
GOAL_COLOURS: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)
#: Colour map of "higher is better" scales (heatmaps of scores and chances): high is green.
GOOD_HIGH = "RdYlGn"
#: Colour map of "higher is worse" scales: high is red.
GOOD_LOW = "RdYlGn_r"
NEUTRAL = "#7f7f7f"
MARK = "#222222"  # reference lines: the committee's weight, a crossover, a checkpoint


@dataclass(frozen=True)
class SeriesStyle:
    """How one bid is drawn: its vendor's colour, and the marker, line style and hatch of its offer."""

    colour: str
    marker: str
    linestyle: str
    hatch: str

    def line(self) -> dict[str, Any]:
        """Keyword arguments of ``Axes.plot``."""
        return {"color": self.colour, "marker": self.marker, "linestyle": self.linestyle}

    def bar(self) -> dict[str, Any]:
        """Keyword arguments of ``Axes.bar``/``barh`` (a hatched second offer keeps a white edge to show it)."""
        return {"color": self.colour, "hatch": self.hatch or None, "edgecolor": "white"}


@dataclass(frozen=True)
class Palette:
    """Vendor -> colour in the selection's order, and each name a bid is shown by -> (vendor, offer number)."""

    vendors: tuple[str, ...]
    offers: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def knows(self, name: object) -> bool:
        return str(name) in self.offers

    def style(self, name: object) -> SeriesStyle:
        """The style of the bid shown as ``name``; a name the palette does not know is drawn grey."""
        vendor, offer = self.offers.get(str(name), (-1, 0))
        colour = VENDOR_COLOURS[vendor % len(VENDOR_COLOURS)] if vendor >= 0 else NEUTRAL
        return SeriesStyle(colour, OFFER_MARKERS[offer % len(OFFER_MARKERS)],
                           OFFER_LINESTYLES[offer % len(OFFER_LINESTYLES)], OFFER_HATCHES[offer % len(OFFER_HATCHES)])

    def colour(self, name: object) -> str:
        return self.style(name).colour

    def vendor_colour(self, vendor: str) -> str:
        """The colour of a vendor by its id (the workbook and the dashboard colour a vendor's row by it)."""
        return VENDOR_COLOURS[self.vendors.index(vendor) % len(VENDOR_COLOURS)] if vendor in self.vendors else NEUTRAL

    def including(self, names: Sequence[object]) -> Palette:
        """This palette, with each name it does not know as a vendor of its own after the known ones."""
        unknown = [str(n) for n in dict.fromkeys(names) if str(n) not in self.offers]
        if not unknown:
            return self
        vendors = (*self.vendors, *(f"\0{name}" for name in unknown))
        offers = {**self.offers, **{name: (len(self.vendors) + k, 0) for k, name in enumerate(unknown)}}
        return Palette(vendors, offers)


def vendor_palette(vendor_ids: Sequence[str], *names: Sequence[object]) -> Palette:
    """The palette of a selection: ``vendor_ids[i]`` is the vendor of the i-th bid, in the selection's order.

    Each of ``names`` (the bids' labels, their ids...) runs parallel to ``vendor_ids``; a vendor's
    first bid is its offer 0, the next offer 1, and so on.  Vendors are numbered in order of first
    appearance, so a chart of any subset of bids colours each vendor as every other chart does.
    """
    vendors = tuple(dict.fromkeys(vendor_ids))
    offers: dict[str, tuple[int, int]] = {}
    seen: dict[str, int] = {}
    for i, vendor in enumerate(vendor_ids):
        number = seen.get(vendor, 0)
        seen[vendor] = number + 1
        for shown in names:
            offers.setdefault(str(shown[i]), (vendors.index(vendor), number))
    return Palette(vendors, offers)


@dataclass(frozen=True)
class Look:
    """What a paper or a surface shows every view with: the vendor palette and the selection's currency."""

    palette: Palette | None = None
    currency: str | None = None


_look: ContextVar[Look] = ContextVar("crmselect_look")


def current_look() -> Look:
    """The look of the current context (no palette, no currency unless :func:`look` set them)."""
    return _look.get(Look())


@contextmanager
def look(*, palette: Palette | None = None, currency: str | None = None) -> Iterator[Look]:
    """Draw with ``palette`` and ``currency`` inside the ``with`` block; the previous look is restored after it."""
    token = _look.set(Look(palette, currency))
    try:
        yield _look.get()
    finally:
        _look.reset(token)


def palette_for(names: Sequence[object], palette: Palette | None = None) -> Palette:
    """``palette``, else the current look's, else one in the order of ``names``; each extended to ``names``."""
    chosen = palette or current_look().palette or Palette(())
    return chosen.including(names)


# ---------------------------------------------------------------- axes
Axis = Literal["x", "y"]
_UNITS = ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"), (1.0, ""))


def money_unit(largest: float) -> tuple[float, str]:
    """(divisor, unit word) for amounts up to ``largest``: thousands from 10,000, millions from 10 million."""
    for divisor, word in _UNITS:
        if abs(largest) >= 10 * divisor or divisor == 1.0:
            return divisor, word
    return 1.0, ""  # pragma: no cover - the loop always returns


def money_label(label: str, *, divisor: float = 1.0, currency: str | None = None) -> str:
    """``label`` with its currency and unit: "NPV of cost (USD thousand)"."""
    currency = currency if currency is not None else current_look().currency
    word = dict((d, w) for d, w in _UNITS)[divisor]
    if currency and word:
        unit = {"thousand": _("{currency} thousand"), "million": _("{currency} million"),
                "billion": _("{currency} billion")}[word].format(currency=currency)
    elif word:
        unit = {"thousand": _("thousands"), "million": _("millions"), "billion": _("billions")}[word]
    else:
        unit = currency or ""
    return _("{label} ({unit})").format(label=label, unit=unit) if unit else label


def money_axis(ax: Axes, axis: Axis = "y", *, label: str, currency: str | None = None) -> None:
    """Amounts on ``axis`` in the selection's currency: plain grouped numbers in a unit fit for the data."""
    from matplotlib.ticker import FuncFormatter

    from crmselect.show.formats import format_number

    lo, hi = (ax.get_xlim() if axis == "x" else ax.get_ylim())
    divisor, _word = money_unit(max(abs(lo), abs(hi)))
    language = current().language
    formatter = FuncFormatter(lambda value, _position: format_number(value / divisor, language))
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(formatter)
    shown = money_label(label, divisor=divisor, currency=currency)
    if axis == "y" and len(shown) > 30 and shown.endswith(")"):  # the unit on a line of its own: never cut off
        cut = shown.rfind(" (") if " (" in shown else shown.rfind("（")
        shown = shown[:cut].rstrip() + "\n" + shown[cut:].lstrip() if cut > 0 else shown
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(shown)


def percent_axis(ax: Axes, axis: Axis = "x", *, label: str = "") -> None:
    """Weights and shares (fractions) on ``axis`` shown in %: 0.25 -> 25%."""
    from matplotlib.ticker import FuncFormatter

    from crmselect.show.formats import format_percent

    language = current().language
    lo, hi = (ax.get_xlim() if axis == "x" else ax.get_ylim())
    digits = 1 if abs(hi - lo) < 0.1 else 0
    formatter = FuncFormatter(lambda value, _position: format_percent(value, language, digits=digits))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(formatter)
    if label:
        (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


LONG_LEGEND = 12  # more entries than this go below the chart
LEGEND_WIDTH = 28  # characters a legend line takes before it wraps, so long goal names do not squeeze the data


def legend_outside(ax: Axes, *, title: str | None = None, handles: Sequence[Any] | None = None) -> Legend | None:
    """A legend right of the data (never over it); long legends in two columns.  None when nothing is labelled."""
    import textwrap

    found, labels = ax.get_legend_handles_labels()
    chosen = list(handles) if handles is not None else found
    if not chosen:
        return None
    if handles is None:
        for handle, text in zip(chosen, labels, strict=True):
            handle.set_label(textwrap.fill(text, LEGEND_WIDTH, break_long_words=False))
    else:
        for handle in chosen:
            handle.set_label(textwrap.fill(str(handle.get_label()), LEGEND_WIDTH, break_long_words=False))
    count = len(chosen)
    kwargs: dict[str, Any] = {"fontsize": "small", "frameon": False}
    if title:
        kwargs["title"] = title
        kwargs["title_fontsize"] = "small"
    figure = ax.figure
    if count > LONG_LEGEND and len(figure.axes) == 1 and hasattr(figure, "get_layout_engine"):
        # many entries: below the whole chart, in columns, so the data keeps the figure's width
        return figure.legend(handles=chosen, loc="outside lower center", ncols=3, **kwargs)  # type: ignore[no-any-return]
    kwargs.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
                  ncols=2 if count > LONG_LEGEND else 1)
    return ax.legend(handles=chosen, **kwargs)


def rank_colours(count: int) -> list[str]:
    """``count`` colours from green (rank 1: good for the committee's pick) through yellow to red (last)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    scale = colormaps[GOOD_HIGH]
    if count <= 1:
        return [to_hex(scale(0.9))]
    return [to_hex(scale(0.9 - 0.8 * k / (count - 1))) for k in range(count)]


def goal_colour(position: int) -> str:
    """The colour of the goal at ``position`` in the selection's goal order."""
    return GOAL_COLOURS[position % len(GOAL_COLOURS)]


__all__ = [
    "GOAL_COLOURS",
    "GOOD_HIGH",
    "GOOD_LOW",
    "OFFER_HATCHES",
    "OFFER_LINESTYLES",
    "OFFER_MARKERS",
    "VENDOR_COLOURS",
    "Look",
    "Palette",
    "SeriesStyle",
    "current_look",
    "goal_colour",
    "legend_outside",
    "look",
    "money_axis",
    "money_label",
    "money_unit",
    "palette_for",
    "percent_axis",
    "rank_colours",
    "vendor_palette",
]
