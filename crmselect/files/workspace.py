"""The selection as a workspace: which folder a command works on, and the lock every writer holds.

A selection folder is marked by ``selection.yaml``.  A command is given the folder, or runs inside
one; it never falls back to an example.  Folders made before the marker existed (``criteria/`` and
``vendors/`` only) are *adopted* with ``crmselect init DIR --adopt``, and every command says so.

Every write to a selection's files (imports, scenario saves, log appends, ``init``) holds the
selection's lock across its whole read-modify-write, so two members importing at the same moment
both keep their work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.errors import InputError, Issue, Message

if TYPE_CHECKING:
    from filelock import FileLock

SELECTION_FILE = "selection.yaml"
LOG_FILE = "decision_log.jsonl"
LOCK_FILE = ".crmselect.lock"
LOCK_TIMEOUT_SECONDS = 120.0


class SelectionBusyError(InputError):
    """Another process held the selection's lock for longer than the timeout."""


def _issue(folder: Path, message: str, code: str, allowed: str, received: str) -> InputError:
    return InputError([Issue(str(folder), "", message, code=code, allowed=allowed, received=received)])


def is_selection(folder: Path) -> bool:
    return (folder / SELECTION_FILE).is_file()


def needs_adopting(folder: Path) -> bool:
    """A folder made before selection.yaml existed: criteria/ and vendors/, and a goals.yaml that still names
    the selection (``currency:`` at its top level, as every goals file of that time did).

    A catalogue checkout (the repository's own criteria/ and vendors/) has no such goals file: it is
    not a selection and is not offered for adoption.
    """
    if is_selection(folder) or not (folder / "criteria").is_dir() or not (folder / "vendors").is_dir():
        return False
    goals = folder / "criteria" / "goals.yaml"
    try:
        text = goals.read_text(encoding="utf-8-sig")
    except OSError:
        return False
    return any(line.startswith("currency:") for line in text.splitlines())


def check_selection_folder(folder: Path) -> None:
    """Raise one clear ``InputError`` unless ``folder`` is a selection: missing, not one, or to be adopted."""
    if not folder.exists():
        raise _issue(folder, Message("does not exist"), "missing_folder", Message(
            "a selection folder (make one with `crmselect init {folder}`)", folder=str(folder)),
            Message("no such folder"))
    if not folder.is_dir():
        raise _issue(folder, Message("is a file, not a selection folder"), "not_a_folder",
                     Message("a selection folder"), Message("a file"))
    if needs_adopting(folder):
        raise _issue(folder, Message("was made before {file} existed: adopt it with `crmselect init {folder} "
                                     "--adopt` (it keeps every file and the decision log)",
                                     file=SELECTION_FILE, folder=str(folder)),
                     "needs_adopting", Message("a folder with {file}", file=SELECTION_FILE),
                     Message("criteria/ and vendors/ only"))
    if not is_selection(folder):
        listing = ", ".join(sorted(p.name for p in folder.iterdir())[:8]) or Message("an empty folder")
        raise _issue(folder, Message("is not a selection (no {file}): run `crmselect init DIR` to start one, "
                                     "or pass a selection folder", file=SELECTION_FILE), "not_a_selection",
                     Message("a folder with {file}", file=SELECTION_FILE), listing)


def resolve_selection(folder: str | Path | None, *, cwd: Path | None = None) -> Path:
    """The folder a command works on: the one given, else the current directory when it is a selection.

    Never a guess: with no folder and a current directory that is not a selection, the error says
    how to start one or which folder to pass.
    """
    if folder is not None:
        chosen = Path(folder)
        check_selection_folder(chosen)
        return chosen
    here = Path.cwd() if cwd is None else cwd
    if is_selection(here):
        return here
    if needs_adopting(here):
        check_selection_folder(here)
    raise _issue(here, Message("there is no selection here (no {file} in the current directory): run "
                               "`crmselect init DIR` to start one, or pass a selection folder", file=SELECTION_FILE),
                 "no_selection_here",
                 Message("a selection folder as the first argument, or a current directory that is one"), str(here))


_LOCKS: dict[Path, FileLock] = {}


@contextmanager
def selection_lock(folder: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold ``folder``'s lock (re-entrant within this process) for a whole read-modify-write."""
    from filelock import FileLock, Timeout  # a command that only reads never loads it

    key = folder.resolve()
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS.setdefault(key, FileLock(key / LOCK_FILE, thread_local=False))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise SelectionBusyError([Issue(str(folder / LOCK_FILE), "", Message(
            "is held by another crmselect process for more than {timeout} s; wait for it to finish and try again",
            timeout=f"{timeout:g}"), code="selection_busy", allowed=Message("a free lock"),
            received=Message("held"))]) from None
    try:
        yield
    finally:
        lock.release()


__all__ = [
    "LOCK_FILE",
    "LOG_FILE",
    "SELECTION_FILE",
    "SelectionBusyError",
    "check_selection_folder",
    "is_selection",
    "needs_adopting",
    "resolve_selection",
    "selection_lock",
]
