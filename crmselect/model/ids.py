"""Ids: NFC-normalised Unicode, and the one rule each for ids made from names, file names and sheet names.

An id is what a YAML file uses to point at something (a member, vendor, goal, offer, scenario,
criterion).  Since issue 15 an id may be Chinese (``王丽``, ``红帆医疗crm``) as well as Latin:

- it is normalised to NFC on input, so two spellings of one text (``é`` as one code point or as
  ``e`` and a combining accent, as macOS file names and some keyboards give it) are one id;
- it holds letters of any script (Unicode category L*), decimal digits (Nd), ``_`` and ``-``,
  and after the first character the combining marks (Mn, Mc) some scripts cannot do without
  (Devanagari, Thai); it starts with a letter or a digit, and has at most :data:`ID_MAX` characters.
  ``.`` is no longer allowed: no id in the catalogue, the examples or the test data used it.

Three rules sit here so that every surface applies the same one (docs/CONTRACTS.md, "Ids, file
names and sheet names"):

- :func:`derive_id`: a name made into an id (``红帆医疗CRM`` -> ``红帆医疗crm``); a name too long is
  shortened with :func:`shorten`, and the caller says so to the user;
- :func:`file_name`: the file an id is stored in (``vendors/<id>.yaml``);
- :func:`sheet_name`: an Excel sheet name made from an id or a name (31 characters, no ``[]:*?/\\``).

:func:`shorten` is how any of them fits a limit: keep the start, then ``~`` (or ``-`` in an id) and
six hexadecimal digits of the SHA-256 of the whole text, so two long texts that start alike stay
apart, and one text always gives the same result.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

ID_MAX = 80
ID_RULE = (
    "an id: letters of any script (such as acme, 红帆 or Müller), digits, _ and - (no spaces or other "
    f"punctuation), starting with a letter or digit, at most {ID_MAX} characters"
)
# The JSON Schema's pattern: what an editor can check with any regex dialect (no \p{L}, which Python's
# `re` and JavaScript without the u flag lack): no space, no ASCII punctuation but _ and - (and neither
# first).  The loaders apply the full rule (letters and digits of any script) and report the rest.
ID_SCHEMA_PATTERN = r"^[^\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f][^\s\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*$"

SHEET_MAX = 31
SHEET_FORBIDDEN = frozenset("[]:*?/\\")
_RESERVED_SHEETS = frozenset({"history"})  # Excel keeps "History" for itself
_HASH = 6
# Windows refuses these as file names, with any extension, in any case
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
FILE_NAME_MAX = 255  # bytes of UTF-8 (Linux) and UTF-16 code units (Windows, macOS) per name


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed): the one spelling crmselect stores and compares."""
    return unicodedata.normalize("NFC", text)


def _letter_or_digit(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith("L") or category == "Nd"


def _id_char(char: str) -> bool:
    return char in "_-" or _letter_or_digit(char) or unicodedata.category(char) in ("Mn", "Mc")


def id_problem(text: str) -> str | None:
    """Why ``text`` (already NFC) is not an id, in a user's words, or ``None`` when it is one."""
    if not text:
        return "is empty"
    if len(text) > ID_MAX:
        return f"has {len(text)} characters, more than {ID_MAX}"
    if not _letter_or_digit(text[0]):
        return f"starts with {_describe(text[0])}, not a letter or digit"
    for position, char in enumerate(text, start=1):
        if not _id_char(char):
            return f"has {_describe(char)} at position {position}"
    return None


def is_id(text: str) -> bool:
    """Whether ``text`` is an id as written (NFC, letters, digits, ``_``, ``-``)."""
    return text == nfc(text) and id_problem(text) is None


def _describe(char: str) -> str:
    if char.isspace():
        return "a space" if char == " " else f"a blank character (U+{ord(char):04X})"
    name = unicodedata.name(char, "")
    return f"{char!r} (U+{ord(char):04X}{' ' + name.lower() if name else ''})"


def shorten(text: str, limit: int, *, mark: str = "~", units: str = "chars") -> str:
    """``text`` if it fits ``limit``; else its start, ``mark`` and 6 hex digits of SHA-256 of all of ``text``.

    ``units``: ``"chars"`` counts code points, ``"utf16"`` UTF-16 code units (what Excel counts),
    ``"bytes"`` UTF-8 bytes.  The result never ends its start in the middle of a surrogate pair or
    with a dangling ``-``/``_``.
    """
    if _size(text, units) <= limit:
        return text
    tail = mark + hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH]
    room = limit - _size(tail, units)
    start = ""
    for char in text:
        if _size(start + char, units) > room:
            break
        start += char
    return start.rstrip("-_ ") + tail


def _size(text: str, units: str) -> int:
    if units == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if units == "bytes":
        return len(text.encode("utf-8"))
    return len(text)


# ---------------------------------------------------------------- ids made from names
@dataclass(frozen=True)
class DerivedId:
    """An id made from a name, and whether the name had to be shortened to make it (the user is told)."""

    id: str
    name: str
    shortened: bool

    @property
    def note(self) -> str:
        """What a command prints beside the id when it was shortened; ``""`` otherwise."""
        if not self.shortened:
            return ""
        return f"id shortened to {ID_MAX} characters (its end is a hash of the full name)"


def derive_id(name: str) -> DerivedId | None:
    """The id a new thing named ``name`` gets, or ``None`` when the name has no letter or digit.

    NFC, lower case (``casefold``, which leaves Chinese as it is), every run of other characters
    (spaces, punctuation, symbols) made one ``-``; ``红帆医疗CRM`` -> ``红帆医疗crm``,
    ``Acme Corp.`` -> ``acme-corp``.  Longer than :data:`ID_MAX`: shortened with :func:`shorten`.
    """
    folded = nfc(nfc(name).casefold())
    parts: list[str] = []
    run = ""
    for char in folded:
        if _id_char(char) and char != "-":
            run += char
        else:
            if run:
                parts.append(run)
            run = ""
    if run:
        parts.append(run)
    text = "-".join(parts)
    while text and not _letter_or_digit(text[0]):
        text = text[1:]
    text = text.rstrip("-_")
    if not text:
        return None
    short = shorten(text, ID_MAX, mark="-")
    return DerivedId(short, name, short != text)


# ---------------------------------------------------------------- file names
def file_name(item_id: str, *, prefix: str = "", suffix: str = ".yaml") -> str:
    """The file name that stores ``item_id``: ``prefix + id + suffix``, safe on Windows, macOS and Linux.

    An id's characters are safe in file names everywhere (no ``<>:"/\\|?*``, no control characters,
    no trailing dot or space).  Two adjustments: a Windows device name (``con``, ``nul``, ``com1``...)
    gets a ``_`` after it, and a name over 255 UTF-8 bytes (an 80-character id of four-byte letters)
    is shortened with :func:`shorten`.  The name is NFC; macOS may hand it back decomposed, so
    crmselect finds a vendor's file by the ``id:`` inside it, never by its name.
    """
    stem = nfc(prefix + item_id)
    if stem.casefold() in _WINDOWS_DEVICES:
        stem += "_"
    room = FILE_NAME_MAX - len(suffix.encode("utf-8"))
    return shorten(stem, room, mark="-", units="bytes") + suffix


# ---------------------------------------------------------------- Excel sheet names
def sheet_name(text: str, taken: Iterable[str] = ()) -> str:
    """An Excel sheet name for ``text`` (an id, or a title made from one), unique among ``taken``.

    Excel allows 31 characters (UTF-16 code units), none of ``[]:*?/\\``, no ``'`` first or last,
    not ``History``, and compares names without case.  The rule: NFC; each forbidden character
    becomes ``_``; ``'`` at the ends is dropped; a name that is too long, or taken, keeps its start
    and ends in ``~`` and six hex digits of a hash of ``text`` (:func:`shorten`); a name still taken
    hashes again with a counter.  The caller shows the user any name that differs from ``text``.
    """
    used = {name.casefold() for name in taken}
    clean = "".join("_" if char in SHEET_FORBIDDEN or not char.isprintable() else char for char in nfc(text))
    clean = clean.strip("'") or "Sheet"
    name = shorten(clean, SHEET_MAX, units="utf16")
    counter = 0
    while name.casefold() in used or name.casefold() in _RESERVED_SHEETS:
        counter += 1
        name = _hashed(clean, f"{text}\x00{counter}")
    return name


def _hashed(clean: str, seed: str) -> str:
    tail = "~" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:_HASH]
    room = SHEET_MAX - len(tail)
    start = ""
    for char in clean:
        if _size(start + char, "utf16") > room:
            break
        start += char
    return start.strip("'") + tail


def sheet_names(texts: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """A unique sheet name per text, in order (see :func:`sheet_name`), none clashing with ``taken``."""
    used = list(taken)
    names: dict[str, str] = {}
    for text in texts:
        if text in names:
            continue
        names[text] = sheet_name(text, used)
        used.append(names[text])
    return names


__all__ = [
    "FILE_NAME_MAX",
    "ID_MAX",
    "ID_RULE",
    "ID_SCHEMA_PATTERN",
    "SHEET_FORBIDDEN",
    "SHEET_MAX",
    "DerivedId",
    "derive_id",
    "file_name",
    "id_problem",
    "is_id",
    "nfc",
    "sheet_name",
    "sheet_names",
    "shorten",
]
