"""Writing files without losing the user's work: atomic replace, and no silent overwrite."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from crmselect.errors import CrmSelectError


class FileExistsErrorNoForce(CrmSelectError, FileExistsError):
    """The target exists and the caller did not allow overwriting it."""


def write_atomic(path: str | Path, write: Callable[[Path], None], *, overwrite: bool = False) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place in one step.

    Refuses to replace an existing file unless ``overwrite`` is true, so a user's file is never
    lost silently; a failed write leaves the old file untouched.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise FileExistsErrorNoForce(f"{target} already exists; not overwriting it (use --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, _default_mode(target))
        os.replace(tmp, target)
    except OSError as exc:  # name the user's file, not our hidden temporary one
        raise WriteError(f"{target}: could not be written ({exc.strerror or exc}); nothing was changed") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


class WriteError(CrmSelectError, OSError):
    """A file could not be written; the message names the user's path."""


def _remove_orphans(target: Path) -> None:
    """Temporary files a killed crmselect left beside ``target`` (their process is gone) are removed."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        pid_text = leftover.name[len(target.name) + 2:].split(".", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except PermissionError:
            continue


def _default_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets what the user's umask gives (mkstemp uses 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(path, write, overwrite=overwrite)
