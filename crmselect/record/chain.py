"""The chain under the decision log: canonical JSON, entry hashes, the entry shape, and safe appends.

``hash`` = SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of an entry without its
``hash``; ``prev_hash`` is the hash of the entry before (64 zeros for the first).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
#: Kinds with a meaning crmselect knows; other lower-case kinds (``[a-z][a-z0-9_]*``) are recorded as given.
KNOWN_KINDS = ("open", "adopt", "key_added", "weight_change", "consensus_override", "lock", "relock",
               "reveal_prices", "unseal_view", "changed", "note", "scenario_saved", "scenario_exported")
FIELDS = ("seq", "timestamp", "who", "kind", "what", "why", "prev_hash", "hash")
#: Fields an entry may carry besides FIELDS: the member's signature of its hash, the git commit it was made at.
OPTIONAL_FIELDS = ("sig", "commit")
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_HEX = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 characters kept, no NaN: the form entries are hashed in."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``entry`` without its ``hash`` and ``sig`` (which signs the hash)."""
    body = {k: v for k, v in entry.items() if k not in ("hash", "sig")}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LogEntry:
    seq: int
    timestamp: str
    who: str
    kind: str
    what: Any
    why: str
    prev_hash: str
    hash: str
    sig: str = ""
    commit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> LogEntry:
        return cls(**{k: raw[k] for k in FIELDS}, **{k: raw[k] for k in OPTIONAL_FIELDS if k in raw})



def shape_problem(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "is not a JSON object"
    keys = set(raw)
    if not set(FIELDS) <= keys <= set(FIELDS) | set(OPTIONAL_FIELDS):
        missing, extra = sorted(set(FIELDS) - keys), sorted(keys - set(FIELDS) - set(OPTIONAL_FIELDS))
        return f"has the wrong fields (missing {missing}, unexpected {extra})"
    if isinstance(raw["seq"], bool) or not isinstance(raw["seq"], int):
        return f"seq must be a whole number (received {raw['seq']!r})"
    for key in ("timestamp", "who", "kind", "why", "prev_hash", "hash", *[k for k in OPTIONAL_FIELDS if k in raw]):
        if not isinstance(raw[key], str):
            return f"{key} must be text (received {raw[key]!r})"
    for key in ("prev_hash", "hash"):
        if not _HEX.match(raw[key]):
            return f"{key} must be 64 hexadecimal digits (received {raw[key]!r})"
    return ""


@contextmanager
def exclusive(fd: int) -> Iterator[None]:
    """An exclusive advisory lock on ``fd`` where the platform has ``fcntl`` (two writers cannot interleave)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: appends are still single writes
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


__all__ = [
    "FIELDS",
    "GENESIS",
    "KIND_PATTERN",
    "KNOWN_KINDS",
    "LogEntry",
    "canonical_json",
    "entry_hash",
    "exclusive",
    "fsync_dir",
    "shape_problem",
]
