"""A member's signing key: ``crmselect keys new`` writes the private key where the user says and the public key
into the committee file, then records the new key in the decision log, signed with it."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from crmselect.errors import InputError, Issue, Message
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.loaders import load_project
from crmselect.files.safe_write import write_atomic, write_text_atomic
from crmselect.files.workspace import selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.goals import Committee
from crmselect.record.chain import LogEntry
from crmselect.record.log import DecisionLog
from crmselect.record.signing import key_file, new_signer


@dataclass(frozen=True)
class NewKey:
    member: str
    key_file: Path
    public_key: str
    entry: LogEntry


def _with_public_key(text: str, member: str, public_key: str) -> str:
    """committee.yaml with ``public_key`` added to ``member``'s entry (flow or block style; the rest kept)."""
    quoted = json.dumps(public_key)
    lines = text.splitlines(keepends=True)
    flow = re.compile(r"^(\s*- \{\s*id:\s*" + re.escape(member) + r"\s*,.*?)\}(.*)$", re.S)
    block = re.compile(r"^(\s*)- id:\s*" + re.escape(member) + r"\s*(#.*)?$")
    for index, line in enumerate(lines):
        found = flow.match(line)
        if found:
            lines[index] = f"{found.group(1)}, public_key: {quoted}}}{found.group(2)}"
            break
        found = block.match(line.rstrip("\n"))
        if found:
            lines.insert(index + 1, f"{found.group(1)}  public_key: {quoted}\n")
            break
    new_text = "".join(lines)
    members = {m.id: m for m in Committee.model_validate(load_plain(new_text)).members}
    if members[member].public_key != public_key:
        raise InputError([Issue(COMMITTEE_FILE, f"members[{member}]", Message(
            "could not take the public key: write the member as `- {{id: {member}, name: ..., role: ...}}` and try "
            "again", member=member), code="cannot_add_key",
            allowed=Message("a member entry on one line, or `- id:` first"), received=Message("another layout"))])
    return new_text


def new_key(root: Path, member: str, key_dir: Path, *, force: bool = False) -> NewKey:
    """Give ``member`` a signing key for the selection at ``root``; refuses a member who has one already."""
    with selection_lock(root):
        project = load_project(root)
        members = {m.id: m for m in project.committee.members}
        if member not in members:
            raise InputError([Issue(COMMITTEE_FILE, "members", Message("has no member {member}", member=repr(member)),
                                    code="unknown_member", allowed=", ".join(members) or Message("no members yet"),
                                    received=member)])
        if members[member].public_key:
            raise InputError([Issue(COMMITTEE_FILE, f"members[{member}].public_key", Message(
                "is set already: a key is not replaced, because the entries signed with it would no longer verify"),
                code="has_key", allowed=Message("a member without a key"), received=Message("a key"))])
        if not key_dir.is_dir():
            raise InputError([Issue(str(key_dir), "", Message(
                "does not exist: make the folder for your keys first (keep it outside the selection folder)"),
                code="missing_folder", allowed=Message("a folder"), received=Message("no such folder"))])
        assert project.settings is not None
        target = key_file(key_dir, project.settings.id, member)
        signer, pem = new_signer(member)
        text = (root / COMMITTEE_FILE).read_text(encoding="utf-8-sig")
        new_text = _with_public_key(text, member, signer.public_key)

        def write_private(tmp: Path) -> None:
            tmp.write_bytes(pem)
            os.chmod(tmp, 0o600)

        write_atomic(target, write_private, overwrite=force)
        os.chmod(target, 0o600)
        write_text_atomic(root / COMMITTEE_FILE, new_text, overwrite=True)
        log = DecisionLog.for_project(load_project(root))
        entry = log.append("key_added", member, {"member": member, "public_key": signer.public_key},
                           f"{members[member].name} signs their decisions from now on", signer=signer)
    return NewKey(member, target, signer.public_key, entry)


__all__ = ["NewKey", "new_key"]
