"""Translations: gettext catalogues managed with Babel, bound to the language of the surface at hand.

The design, in four rules:

- **A language is a** :class:`Translator` (``translator("zh-CN")``): an immutable object with
  ``gettext``/``ngettext`` over the catalogue ``crmselect/locale/<ll_CC>/LC_MESSAGES/crmselect.mo``.
  English is the source language: its translator returns every message as written.
- **The current language is a context variable**, English by default.  ``with using("zh-CN"): ...``
  sets it for the code inside (a CLI command, one workbook write) and restores it after, also
  across threads and asyncio tasks, which each see their own value.  Nothing here touches
  ``gettext.install``, ``builtins``, ``locale.setlocale`` or the environment: importing crmselect
  changes no global state, and two surfaces in two languages can run side by side.
- **Code marks messages with** ``_()``, ``ngettext()`` **and** ``pgettext()`` (translated now, in
  the current language) or ``N_()`` (only marked, for module constants translated later with ``_()``).
  Placeholders are named and filled after translation, so a translator may move them:
  ``_("wrote {path}").format(path=out)``; never an f-string inside ``_()``.
- **Surfaces that outlive a call keep a Translator**: a widget's callbacks run later, in
  another context, so a widget takes ``translator=`` (or ``current()`` when it is made) and calls
  ``self.translator.gettext(...)``, or wraps its callback body in ``using(self.translator)``.

Catalogues: ``pybabel extract`` writes ``crmselect/locale/crmselect.pot`` from the source
(``babel.cfg``), ``pybabel update`` merges it into each ``.po``, and the wheel build compiles
each ``.po`` to ``.mo`` (``hatch_build.py``).  In a source checkout (an editable install) with no
``.mo``, or a ``.mo`` older than its ``.po``, the ``.po`` is compiled in memory on first use, so a
developer's edit to a ``.po`` is seen at once and a stale binary never is.  Fuzzy entries are
never used.  The commands are in the README's developer notes.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from crmselect.errors import CrmSelectError

DOMAIN = "crmselect"
SOURCE_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "zh-CN")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def catalogue_code(language: str) -> str:
    """The folder name of a language's catalogue: ``zh-CN`` -> ``zh_CN`` (gettext's and Babel's spelling)."""
    return language.replace("-", "_")


def normalise(language: str) -> str:
    """``language`` as crmselect spells it (``zh-CN``, ``en``), accepting ``zh_CN`` and any letter case.

    Raises :class:`UnknownLanguageError` for a language crmselect has no catalogue for.
    """
    wanted = language.strip().replace("_", "-").lower()
    for known in LANGUAGES:
        if known.lower() == wanted:
            return known
    raise UnknownLanguageError(f"no translation for language {language!r}; crmselect speaks {', '.join(LANGUAGES)}")


class UnknownLanguageError(CrmSelectError, ValueError):
    """A language crmselect has no catalogue for, or a catalogue that cannot be read."""


@dataclass(frozen=True)
class Translator:
    """One language's messages.  Call it (or ``gettext``) with an English message to get it translated."""

    language: str
    catalogue: gettext.NullTranslations = field(repr=False, compare=False)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalogue.pgettext(context, message)

    def __call__(self, message: str) -> str:
        return self.catalogue.gettext(message)


def translator(language: str = SOURCE_LANGUAGE) -> Translator:
    """The translator of ``language`` (``en`` or ``zh-CN``); catalogues are read once per process."""
    return _translator(normalise(language))


@functools.cache
def _translator(language: str) -> Translator:
    if language == SOURCE_LANGUAGE:
        return Translator(language, gettext.NullTranslations())
    return Translator(language, _load(catalogue_code(language)))


def _load(code: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    raise UnknownLanguageError(f"the {code} catalogue is missing: neither {mo} nor {po} exists (reinstall crmselect)")


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file, compiled with Babel (fuzzy and empty entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


_current: ContextVar[Translator] = ContextVar("crmselect_translator")


def current() -> Translator:
    """The translator of the current context (English unless :func:`using` set another)."""
    found = _current.get(None)
    return found if found is not None else translator(SOURCE_LANGUAGE)


@contextmanager
def using(language: str | Translator) -> Iterator[Translator]:
    """Speak ``language`` inside the ``with`` block; the previous language is restored after it."""
    chosen = language if isinstance(language, Translator) else translator(language)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` (by ``n``) in the current language; fill ``{n}`` (or others) after."""
    return current().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English word used elsewhere by ``context``."""
    return current().pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark ``message`` for extraction without translating it (translate it later with ``_()``)."""
    return message


__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "Translator",
    "UnknownLanguageError",
    "_",
    "catalogue_code",
    "compile_po",
    "current",
    "ngettext",
    "normalise",
    "pgettext",
    "translator",
    "using",
]
