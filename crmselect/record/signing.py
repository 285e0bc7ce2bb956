"""Signed decisions: each member's Ed25519 key (the ``cryptography`` package) signs the entries they record.

The private key lives in a folder the user names (``--key-dir`` or ``CRMSELECT_KEY_DIR``; never a
guessed place), one file per selection and member; the public key goes into the committee file.
A signature covers the entry's hash, so it covers every field the hash covers.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crmselect.errors import InputError, Issue, Message
from crmselect.imports import lazy_module

if TYPE_CHECKING:
    from cryptography import exceptions as _exceptions
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519 as _ed25519
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from crmselect.model.project import Project
else:  # imported when a key is made, loaded or checked: reading an unsigned log does not pay for it
    serialization = lazy_module("cryptography.hazmat.primitives.serialization")
    _ed25519 = lazy_module("cryptography.hazmat.primitives.asymmetric.ed25519")
    _exceptions = lazy_module("cryptography.exceptions")

KEY_DIR_VARIABLE = "CRMSELECT_KEY_DIR"
PREFIX = "ed25519:"


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def _public_key(text: str) -> Ed25519PublicKey:
    return _ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(text.removeprefix(PREFIX)))


def key_file(key_dir: Path, selection_id: str, member: str) -> Path:
    """Where ``member``'s private key for one selection lives in ``key_dir``."""
    return key_dir / f"crmselect-{selection_id[:12]}-{member}.pem"


def key_dir_from(explicit: str | Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The key folder named on the command line, else by ``CRMSELECT_KEY_DIR``; None when neither names one."""
    if explicit is not None:
        return Path(explicit).expanduser()
    named = (environ if environ is not None else os.environ).get(KEY_DIR_VARIABLE, "").strip()
    return Path(named).expanduser() if named else None


@dataclass(frozen=True)
class Signer:
    """A committee member with their private key: what signs the entries they record."""

    member: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return public_text(self.private_key.public_key())

    def sign(self, entry_hash: str) -> str:
        return base64.b64encode(self.private_key.sign(bytes.fromhex(entry_hash))).decode("ascii")


def new_signer(member: str) -> tuple[Signer, bytes]:
    """A fresh key pair for ``member``: the signer and the private key as PEM (PKCS#8, unencrypted)."""
    key = _ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return Signer(member, key), pem


def load_signer(path: Path, member: str, expected_public_key: str | None) -> Signer:
    """``member``'s signer from a key file; refuses a missing file and a key that is not the member's."""
    if expected_public_key is None:
        raise InputError([Issue("vendors/committee.yaml", f"members[{member}].public_key", Message(
            "is missing: this member has no key in the committee file (run `crmselect keys new`)"),
            code="no_public_key", allowed=Message("the member's public key"), received=Message("nothing"))])
    try:
        data = path.read_bytes()
    except OSError:
        raise InputError([Issue(str(path), "", Message(
            "is missing: {member}'s private key was expected here (make one with `crmselect keys new DIR --member ID "
            "--key-dir KEYDIR`)", member=member), code="missing_key",
            allowed=Message("a key file written by `crmselect keys new`"), received=Message("no file"))]) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, _ed25519.Ed25519PrivateKey):
        raise InputError([Issue(str(path), "", Message("is not an Ed25519 private key"), code="bad_key",
                                allowed=Message("a key file written by `crmselect keys new`"),
                                received=Message("another file"))])
    signer = Signer(member, key)
    if signer.public_key != expected_public_key:
        raise InputError([Issue(str(path), "", Message("is not {member}'s key: it does not match the public key in "
                                                       "vendors/committee.yaml", member=member), code="wrong_key",
                                allowed=expected_public_key,
                                received=signer.public_key)])
    return signer


def verifies(public_key: str, entry_hash: str, signature: str) -> bool:
    try:
        _public_key(public_key).verify(base64.b64decode(signature), bytes.fromhex(entry_hash))
    except (_exceptions.InvalidSignature, ValueError):
        return False
    return True


def member_signer(project: Project, member: str | None, key_dir: Path | None) -> Signer | None:
    """``member``'s signer when the committee signs (has public keys) and a key folder is named; else None.

    A named key that is missing or not the member's is an error: nothing is recorded under another name.
    """
    keys = {m.id: m.public_key for m in project.committee.members if m.public_key}
    if member is None or not keys or key_dir is None:
        return None
    selection_id = project.settings.id if project.settings is not None else "in-memory"
    return load_signer(key_file(key_dir, selection_id, member), member, keys.get(member))


__all__ = [
    "KEY_DIR_VARIABLE",
    "Signer",
    "key_dir_from",
    "key_file",
    "load_signer",
    "member_signer",
    "new_signer",
    "public_text",
    "verifies",
]
