"""One error family for crmselect, and the ``Issue`` record every input problem becomes.

A user who feeds ten mistakes sees ten issues, each naming the file, the line, the field
path, what is allowed and what was received.  ``InputError`` carries all of them at once.

An issue's text is English when it is made, and a surface renders it in its own language:
``issue.render(_)`` with the surface's gettext function (``crmselect.show.i18n``).  The words
around the parts ("line", "allowed:", "received:") are translated there, and so is each part made
as a :class:`Message` (an English text that keeps its template and named parameters); a part
that is a plain ``str`` stays as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Translate = Callable[[str], str]
"""A gettext function: an English message in, the message in the surface's language out."""


NTranslate = Callable[[str, str, int], str]
"""A gettext ``ngettext`` function: singular, plural, count in; the right form in the surface's language out."""


def _same(message: str) -> str:
    return message


def _nsame(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


class Message(str):
    """An English text that knows its template and named parameters, so a surface can translate it.

    ``Message("is outside {low}..{high}", low=0, high=100)`` is the ``str``
    ``"is outside 0..100"`` wherever text is expected; ``render(_)`` translates the template and
    fills the parameters (themselves rendered when they are messages).  Mark templates for
    extraction with this very name (``babel.cfg`` lists ``Message`` as a keyword).
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    def render(self, _: Translate = _same) -> str:
        if not self.params:
            return _(self.template)
        return _(self.template).format(**{key: render(value, _) for key, value in self.params.items()})


def render(text: object, _: Translate = _same) -> str:
    """``text`` in the surface's language when it is a :class:`Message`; otherwise as written."""
    return text.render(_) if isinstance(text, Message) else str(text)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the committee's input files."""

    file: str
    field: str
    message: str
    line: int | None = None
    code: str = "invalid"
    allowed: str = ""
    received: str = ""

    def __str__(self) -> str:
        return self.render()

    def render(self, _: Translate = _same) -> str:
        """The issue in the surface's language: ``_`` is its gettext function (English without one)."""
        where = render(self.file, _)
        if self.line is not None:
            where = _("{file} line {line}").format(file=where, line=self.line)
        message = render(self.message, _)
        text = _("{where}: {field}: {message}") if self.field else _("{where}: {message}")
        text = text.format(where=where, field=self.field, message=message)
        details = []
        if self.allowed:
            details.append(_("allowed: {allowed}").format(allowed=render(self.allowed, _)))
        if self.received:
            details.append(_("received: {received}").format(received=render(self.received, _)))
        return _("{text} ({details})").format(text=text, details=_("; ").join(details)) if details else text


class CrmSelectError(Exception):
    """Base class of every error crmselect raises on purpose."""


class InputError(CrmSelectError, ValueError):
    """The input files have one or more problems; ``issues`` lists all of them."""

    def __init__(self, issues: Iterable[Issue], summary: str = "") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.summary = summary
        super().__init__(self.render())

    def render(self, _: Translate = _same, ngettext: NTranslate = _nsame) -> str:
        """The summary and every issue, one a line, in the surface's language (see :meth:`Issue.render`)."""
        count = len(self.issues)
        head = render(self.summary, _) if self.summary else ngettext(
            "{count} problem found in the input", "{count} problems found in the input", count).format(count=count)
        return _("{summary}:").format(summary=head) + "\n" + "\n".join(
            "  - " + issue.render(_) for issue in self.issues)


class AnalysisError(CrmSelectError, ValueError):
    """A computation was asked for something it cannot do (e.g. weights that sum to zero)."""


class WorkbookError(CrmSelectError, ValueError):
    """A workbook could not be read or written safely."""


class LogTamperedError(CrmSelectError, ValueError):
    """The decision log does not verify: an entry was edited, inserted or removed."""
