"""What reaches the terminal: untrusted text (vendor names, comments, notes) never carries control codes,
numbers from the command line are checked against documented bounds before anything runs, and tables
line up with Chinese text: :func:`text_table` (``DataFrame.to_string``'s stand-in) and :func:`pad`
measure display columns with ``wcwidth`` (:mod:`crmselect.show.tables`), not ``len``."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from crmselect.money.risk import MAX_DRAWS
from crmselect.show.tables import display_width, pad
from crmselect.show.tables import to_text as text_table
from crmselect.whatif.smaa_sampling import MAX_SAMPLES

# C0 controls except tab and newline, DEL, and the C1 controls (ESC sequences' 8-bit form)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# The maxima of samples and draws are the computations' own (MAX_SAMPLES, MAX_DRAWS), declared where they run.
MAX_SEED = 2**32 - 1


def escaped(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), so it cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Escaping:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.unescaped = stream

    def write(self, text: str) -> int:
        return self._stream.write(escaped(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def safe_terminal() -> Iterator[None]:
    """Escape control characters in everything printed while the command runs; restore the streams after."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Escaping(out), _Escaping(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def bounded_int(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``; the error says what is allowed."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low:,} to {high:,} "
                                             f"(received {escaped(text)!r})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low:,} to {high:,} (received {value:,})")
        return value

    return parse


__all__ = [
    "MAX_DRAWS", "MAX_SAMPLES", "MAX_SEED", "bounded_int", "display_width", "escaped", "pad", "safe_terminal",
    "text_table",
]


@contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on stderr, fed by ``progress(done, total)`` callbacks; closed even when interrupted."""
    from tqdm import tqdm

    stream = getattr(sys.stderr, "unescaped", sys.stderr)  # our own bar may move the cursor; others' text may not
    bar = tqdm(desc=description, unit=unit, unit_scale=True, file=stream, leave=False, dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()


__all__ += ["progress_bar"]
