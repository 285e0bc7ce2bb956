"""The decision paper as pure data: a title, page 1 and the sections, each a list of blocks.

Every renderer (:mod:`crmselect.report.pdf`, :mod:`crmselect.report.web`) reads the same
:class:`Paper`; nothing here knows about typst or HTML.  All text is already in the paper's language
and every figure already formatted (``show.formats``), so a renderer only lays out.  Text taken from
the selection's files (vendor names, notes, reasons) is untrusted: renderers pass it on as data (typst
reads the paper as JSON, HTML escapes it), never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Tone = Literal["info", "warning", "good"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Callout:
    """A framed sentence a reader must not miss (the sealed prices, drift after the lock)."""

    text: str
    tone: Tone = "info"
    kind: str = "callout"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Pairs:
    """Label: value pairs, two columns."""

    items: tuple[tuple[str, str], ...]
    kind: str = "pairs"


@dataclass(frozen=True)
class Table:
    """Columns and rows of formatted cells; ``numeric`` columns align right, ``struck`` rows are greyed,
    ``bold`` rows stand out."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[int, ...] = ()
    struck: tuple[int, ...] = ()
    bold: tuple[int, ...] = ()
    small: bool = False
    wide: tuple[int, ...] = ()  # columns that take the room left (long text); the others fit their content
    share: tuple[tuple[int, int], ...] = ()  # (column, percent of the text width) for a column that must not shrink
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    """A chart as SVG markup (vector; matplotlib drew its text as paths) with its caption."""

    svg: str
    caption: str
    width_pct: int = 100
    kind: str = "figure"


@dataclass(frozen=True)
class Mono:
    """Lines in a fixed-width font (digests, file hashes)."""

    lines: tuple[str, ...]
    kind: str = "mono"


Block = Paragraph | Callout | Bullets | Pairs | Table | Figure | Mono


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""


@dataclass(frozen=True)
class Paper:
    """The whole paper: ``summary`` is page 1, ``sections`` follow; ``lang`` is the paper's language."""

    title: str
    subtitle: str
    lang: str
    sealed: bool
    summary: Section
    sections: tuple[Section, ...]
    footer: str
    digest: str
    labels: dict[str, str] = field(default_factory=dict)  # the renderers' own words (contents, page)

    def as_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (what the typst template reads)."""
        return asdict(self)

    def texts(self) -> list[str]:
        """Every piece of text in the paper (tests search it; charts are pictures and left out)."""
        out = [self.title, self.subtitle, self.footer]
        for section in (self.summary, *self.sections):
            out.append(section.title)
            out += _block_texts(section.blocks)
        return out


def _block_texts(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Callout):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out += block.items
        elif isinstance(block, Pairs):
            out += [text for pair in block.items for text in pair]
        elif isinstance(block, Table):
            out += [block.caption, *block.columns, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, Figure):
            out.append(block.caption)
        else:
            out += block.lines
    return out


__all__ = ["Block", "Bullets", "Callout", "Figure", "Mono", "Pairs", "Paper", "Paragraph", "Section", "Table"]
