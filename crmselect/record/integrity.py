"""What makes the decision log tamper-evident without a hand-kept head.

- **Signatures.** From the first ``key_added`` entry on, every entry carries its member's Ed25519
  signature of its hash; a forged, rewritten or unsigned entry fails, named by its line.
- **The head record** ``decision_log.head.json`` (seq and hash of the last entry, signed by the member
  who wrote it): an entry cut off the end, or a deleted log, no longer matches it.
- **Anchors** in the committee file: every lock, re-lock, reveal, adoption and new key is recorded
  there too (seq, kind, hash, member), so a log deleted or rewritten after one is noticed even when the
  head record went with it.
- **git.** Where the selection is a git work tree, each entry records the commit it was made at, and
  ``log`` lists the entries not yet committed.

``docs/THREAT_MODEL.md`` says what this detects, what it does not, and what the committee must keep.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crmselect.errors import InputError, Issue, Message
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.yaml_lines import load_plain
from crmselect.model.goals import Anchor, Committee
from crmselect.record.chain import LogEntry, canonical_json
from crmselect.record.signing import Signer, verifies

HEAD_FILE = "decision_log.head.json"
ANCHORED_KINDS = ("adopt", "key_added", "lock", "relock", "reveal_prices")
Numbered = Sequence[tuple[int, LogEntry]]


def signature_problems(path: Path, entries: Numbered, public_keys: Mapping[str, str]) -> list[Issue]:
    """Every entry from the first ``key_added`` on must be signed by its member's key from the committee file."""
    issues: list[Issue] = []
    signed_from = next((e.seq for _, e in entries if e.kind == "key_added"), None)
    for number, entry in entries:
        if not entry.sig and (signed_from is None or entry.seq < signed_from):
            continue  # written before the committee had keys: verified by the chain only
        key = public_keys.get(entry.who)
        where = Message("entry seq {seq} ({kind} by {who})", seq=entry.seq, kind=entry.kind, who=entry.who)
        if not entry.sig:
            issues.append(Issue(str(path), "", Message("is not signed: {where}; from seq {seq} on every entry is",
                                                       where=where, seq=signed_from),
                                line=number, code="unsigned", allowed=Message("a signature"),
                                received=Message("none")))
        elif key is None:
            issues.append(Issue(str(path), "", Message("is signed by {who}, who has no public key in {file}: {where}",
                                                       who=entry.who, file=COMMITTEE_FILE, where=where),
                                line=number, code="unknown_signer", allowed=Message("a member with a key"),
                                received=entry.who))
        elif not verifies(key, entry.hash, entry.sig):
            issues.append(Issue(str(path), "", Message("has a signature that does not verify: {where} was forged or "
                                                       "rewritten", where=where),
                                line=number, code="bad_signature",
                                allowed=Message("{member}'s signature", member=entry.who),
                                received=Message("another signature")))
    return issues


def read_head(log_path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((log_path.parent / HEAD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_head(log_path: Path, entry: LogEntry, signer: Signer | None) -> None:
    record: dict[str, Any] = {"seq": entry.seq, "hash": entry.hash, "member": entry.who}
    if signer is not None:
        record["sig"] = signer.sign(entry.hash)
    write_text_atomic(log_path.parent / HEAD_FILE, canonical_json(record) + "\n", overwrite=True)


def head_problems(path: Path, entries: Numbered, public_keys: Mapping[str, str]) -> list[Issue]:
    """The log must still hold the entry the head record names, and must not end before it."""
    head = read_head(path)
    head_path = str(path.parent / HEAD_FILE)
    signed = any(e.sig for _, e in entries)
    if head is None:
        if signed:
            return [Issue(head_path, "", Message("is missing although the log holds signed entries: it was deleted, "
                                                 "or the log was copied without it"), code="head_missing",
                          allowed=Message("the head record"), received=Message("no file"))]
        return []
    seq, digest = head.get("seq"), head.get("hash")
    last = entries[-1][1] if entries else None
    match = next((e for _, e in entries if e.seq == seq), None)
    if match is None or match.hash != digest:
        end = Message("ends at seq {seq}", seq=last.seq) if last else Message("is empty or missing")
        return [Issue(str(path), "", Message("{end}, but the head record names seq {seq} (hash {digest}...): entries "
                                             "were cut off the end, or the log was deleted or rewritten", end=end,
                                             seq=seq, digest=str(digest)[:12]), code="head_mismatch",
                      allowed=Message("an entry seq {seq} with that hash", seq=seq), received=end)]
    if last is not None and last.seq > match.seq:
        return [Issue(str(path), "", Message("goes on after seq {seq}, where the head record ends: entries "
                                             "{first}-{last} were not written by crmselect", seq=match.seq,
                                             first=match.seq + 1, last=last.seq), line=None, code="after_head",
                      allowed=Message("no entry after seq {seq}", seq=match.seq),
                      received=Message("{count} more", count=last.seq - match.seq))]
    key = public_keys.get(str(head.get("member")))
    if head.get("sig") and key and not verifies(key, str(digest), str(head["sig"])):
        return [Issue(head_path, "", Message("has a signature that does not verify: it was rewritten"),
                      code="bad_signature", allowed=Message("the signature of the member who wrote the last entry"),
                      received=Message("another"))]
    return []


def anchor_problems(path: Path, entries: Numbered, anchors: Sequence[Anchor]) -> list[Issue]:
    """Every envelope event the committee file records must still be in the log, unchanged."""
    by_seq = {e.seq: e for _, e in entries}
    issues = []
    for anchor in anchors:
        entry = by_seq.get(anchor.seq)
        if entry is None or entry.hash != anchor.hash or entry.kind != anchor.kind:
            found = (Message("no such entry") if entry is None
                     else Message("{kind} with another hash", kind=entry.kind))
            issues.append(Issue(str(path), "", Message(
                "no longer holds the {kind} of {member} (seq {seq}) that {file} records: the log was deleted, cut or "
                "rewritten", kind=anchor.kind, member=anchor.member, seq=anchor.seq, file=COMMITTEE_FILE),
                                line=None, code="anchor_missing",
                                allowed=f"seq {anchor.seq}, {anchor.kind}, hash {anchor.hash[:12]}...",
                                received=found))
    return issues


def add_anchor(root: Path, entry: LogEntry) -> None:
    """Record an envelope event in the committee file (the ``anchors:`` block, kept last in the file)."""
    path = root / COMMITTEE_FILE
    text = path.read_text(encoding="utf-8-sig")
    item = (f"  - {{seq: {entry.seq}, kind: {entry.kind}, hash: {entry.hash}, member: "
            f"{json.dumps(entry.who, ensure_ascii=False)}}}\n")
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("anchors:")), None)
    if start is None:
        block = ("\n# Written by crmselect: the decision log's envelope events, so a deleted or cut log is noticed.\n"
                 "anchors:\n" + item)
        new_text = text + ("" if text.endswith("\n") else "\n") + block
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "#")), len(lines))
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        new_text = "".join([*lines[:end], item, *lines[end:]])
    committee = Committee.model_validate(load_plain(new_text))
    if committee.anchors[-1].seq != entry.seq:
        raise InputError([Issue(COMMITTEE_FILE, "anchors", Message(
            "could not be extended: the block is not where crmselect keeps it; move it to the end of the file"),
            code="anchors_moved", allowed=Message("anchors: as the last block"),
            received=Message("another layout"))])
    write_text_atomic(path, new_text, overwrite=True)


def git_commit(root: Path) -> str:
    """The commit HEAD of the git work tree holding ``root``, or "" when it is not in one."""
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def uncommitted(log_path: Path, entries: Sequence[LogEntry]) -> tuple[int, ...] | None:
    """Seqs of entries not in the log as committed at HEAD; None when the selection is not in git."""
    root = log_path.parent
    if not git_commit(root):
        return None
    shown = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{log_path.name}"], capture_output=True,
                           text=True, timeout=20, check=False)
    committed: set[int] = set()
    for line in shown.stdout.splitlines() if shown.returncode == 0 else []:
        try:
            committed.add(int(json.loads(line)["seq"]))
        except (ValueError, KeyError, TypeError):
            continue
    return tuple(e.seq for e in entries if e.seq not in committed)


__all__ = ["ANCHORED_KINDS", "HEAD_FILE", "add_anchor", "anchor_problems", "git_commit", "head_problems",
           "read_head", "signature_problems", "uncommitted", "write_head"]
