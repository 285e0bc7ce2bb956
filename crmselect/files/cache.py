"""The parse cache: each YAML file's parsed data, kept in the selection's ``.crmselect-cache/`` for the next load.

Parsing is most of the time a large selection takes to load; validation and every check are fast and always
run.  So the cache holds only what :func:`crmselect.files.yaml_lines.read_yaml` makes of a file's bytes (plain
mappings, lists, text, numbers, dates), never a validated model: nothing a check would have said can be hidden
by it.  See docs/CACHE.md for the design.

- **Key.** An entry is named by the SHA-256 of the file's bytes together with the parser's fingerprint
  (crmselect's version, the source of ``yaml_lines.py``, PyYAML's version and whether libyaml is used,
  Python's version).  Any change to a file or to the parser gives another name: an old entry is never read.
- **Trust.** The folder is shared with colleagues, who could replace an entry.  Each entry carries an
  HMAC-SHA256 over its name and content, under a key kept outside the selection, in the user's cache folder
  (created with mode 0600); an entry whose tag does not verify is ignored.  Its content is a pickle read by
  an unpickler that builds only the builtin containers, text, numbers and ``datetime`` dates: no other class
  or function can be named by it, even with a valid tag.
- **Failure.** A missing, unreadable, corrupt or foreign entry is a miss: the file is parsed again.  Writing
  is atomic (a temporary file renamed into place) and best effort: a read-only folder just gets no cache.
- **What is kept.** Only files that loaded without any issue.  After a load, entries the load did not use are
  removed, so the folder holds one entry per file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import os
import pickle
import platform
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

CACHE_DIR = ".crmselect-cache"
#: Set to ``0`` (or ``off``/``no``/``false``) to read every file afresh and write no cache.
CACHE_SWITCH = "CRMSELECT_CACHE"
KEY_FILE = "parse-cache.key"
_MAGIC = b"crmselect-parse-cache 1\n"
_TAG_SIZE = hashlib.sha256().digest_size
_SAFE_GLOBALS = {("datetime", "date"): dt.date, ("datetime", "datetime"): dt.datetime,
                 ("datetime", "timezone"): dt.timezone, ("datetime", "timedelta"): dt.timedelta}


class _PlainUnpickler(pickle.Unpickler):
    """Builds only builtin data and the ``datetime`` values YAML gives; any other name is refused."""

    def find_class(self, module: str, name: str) -> Any:
        found = _SAFE_GLOBALS.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the parse cache")
        return found


def _fingerprint() -> bytes:
    """What parsed data depends on besides the file: the parser's code and versions."""
    from crmselect import __version__
    from crmselect.files import yaml_lines

    source = Path(yaml_lines.__file__).read_bytes()
    parts = [_MAGIC, __version__.encode(), hashlib.sha256(source).digest(), yaml.__version__.encode(),
             str(bool(yaml.__with_libyaml__)).encode(), platform.python_implementation().encode(),
             platform.python_version().encode()]
    return hashlib.sha256(b"\0".join(parts)).digest()


def user_key_file() -> Path:
    """Where the HMAC key lives: the user's cache folder, outside any selection."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("crmselect")) / KEY_FILE


def _user_key(path: Path) -> bytes | None:
    """The user's HMAC key, created on first use (mode 0600); ``None`` when it can be neither read nor made."""
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            os.write(handle, fresh)
        finally:
            os.close(handle)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # the first process to make the key wins; the others read it
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
        return key if len(key) >= 32 else None
    except OSError:
        return None


def cache_enabled() -> bool:
    return os.environ.get(CACHE_SWITCH, "1").strip().lower() not in ("0", "off", "no", "false")


class ParseCache:
    """The parse cache of one selection for one load: look up files' data, stage new entries, then commit.

    A disabled cache (no folder, no key, or ``CRMSELECT_CACHE=0``) misses every lookup and writes nothing.
    """

    def __init__(self, folder: Path | None, key: bytes | None) -> None:
        self.folder = folder if key is not None else None
        self._key = key or b""
        self._salt = _fingerprint() if self.folder is not None else b""
        self._staged: dict[str, tuple[str, bytes]] = {}  # file name -> (entry name, payload)
        self._used: set[str] = set()

    @classmethod
    def of(cls, root: Path) -> ParseCache:
        """The cache of the selection at ``root`` (disabled when switched off or no key can be had)."""
        if not cache_enabled():
            return cls(None, None)
        return cls(root / CACHE_DIR, _user_key(user_key_file()))

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _entry(self, raw: bytes) -> str:
        return hashlib.sha256(self._salt + raw).hexdigest()

    def _tag(self, entry: str, payload: bytes) -> bytes:
        return hmac.new(self._key, entry.encode() + b"\0" + payload, hashlib.sha256).digest()

    def get(self, raw: bytes) -> Any | None:
        """The parsed data of a file with these bytes, a fresh object; ``None`` when there is no valid entry."""
        if self.folder is None:
            return None
        entry = self._entry(raw)
        try:
            blob = (self.folder / entry).read_bytes()
        except OSError:
            return None
        head, tag, payload = blob[:len(_MAGIC)], blob[len(_MAGIC):len(_MAGIC) + _TAG_SIZE], \
            blob[len(_MAGIC) + _TAG_SIZE:]
        if head != _MAGIC or not hmac.compare_digest(tag, self._tag(entry, payload)):
            return None
        try:
            data = _PlainUnpickler(io.BytesIO(payload)).load()
        except Exception:  # a tag that verifies over a broken payload: still only a miss
            return None
        self._used.add(entry)
        return data

    def stage(self, name: str, raw: bytes, data: Any) -> None:
        """Keep ``data`` (parsed from ``raw``, the file ``name``) to be written by :meth:`commit`.

        The data is serialised now, before the loaders adjust it (they fill in defaults from other files).
        """
        if self.folder is None:
            return
        try:
            payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value pickle cannot hold: that file is just not cached
            return
        self._staged[name] = (self._entry(raw), payload)

    def commit(self, failed: Iterable[str] = ()) -> None:
        """Write the staged entries of files not in ``failed`` (files with issues), and remove unused entries."""
        if self.folder is None:
            return
        skip = set(failed)
        keep = set(self._used)
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# crmselect's parse cache: rebuilt from the YAML files whenever needed\n*\n",
                                  encoding="utf-8")
            for name, (entry, payload) in self._staged.items():
                if name in skip:
                    continue
                keep.add(entry)
                target = self.folder / entry  # staged: missing or not valid, so (re)written
                handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=".entry-")
                try:
                    with os.fdopen(handle, "wb") as out:
                        out.write(_MAGIC + self._tag(entry, payload) + payload)
                    os.replace(tmp, target)
                except OSError:
                    Path(tmp).unlink(missing_ok=True)
                    raise
            for path in self.folder.iterdir():
                if path.name not in keep and path.name != ".gitignore" and not path.name.startswith("."):
                    path.unlink(missing_ok=True)
        except OSError:  # a read-only or vanished folder: no cache this time
            return
        finally:
            self._staged.clear()


__all__ = ["CACHE_DIR", "CACHE_SWITCH", "ParseCache", "cache_enabled", "user_key_file"]
