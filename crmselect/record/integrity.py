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

import yaml

from crmselect.errors import InputError, Issue
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.safe_write import write_text_atomic
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
        where = f"entry seq {entry.seq} ({entry.kind} by {entry.who})"
        if not entry.sig:
            issues.append(Issue(str(path), "", f"is not signed: {where}; from seq {signed_from} on every entry is",
                                line=number, code="unsigned", allowed="a signature", received="none"))
        elif key is None:
            issues.append(Issue(str(path), "", f"is signed by {entry.who}, who has no public key in {COMMITTEE_FILE}: "
                                f"{where}", line=number, code="unknown_signer", allowed="a member with a key",
                                received=entry.who))
        elif not verifies(key, entry.hash, entry.sig):
            issues.append(Issue(str(path), "", f"has a signature that does not verify: {where} was forged or "
                                "rewritten", line=number, code="bad_signature", allowed=f"{entry.who}'s signature",
                                received="another signature"))
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
            return [Issue(head_path, "", "is missing although the log holds signed entries: it was deleted, or the "
                          "log was copied without it", code="head_missing", allowed="the head record",
                          received="no file")]
        return []
    seq, digest = head.get("seq"), head.get("hash")
    last = entries[-1][1] if entries else None
    match = next((e for _, e in entries if e.seq == seq), None)
    if match is None or match.hash != digest:
        end = f"ends at seq {last.seq}" if last else "is empty or missing"
        return [Issue(str(path), "", f"{end}, but the head record names seq {seq} (hash {str(digest)[:12]}...): "
                      "entries were cut off the end, or the log was deleted or rewritten", code="head_mismatch",
                      allowed=f"an entry seq {seq} with that hash", received=end)]
    if last is not None and last.seq > match.seq:
        return [Issue(str(path), "", f"goes on after seq {match.seq}, where the head record ends: entries "
                      f"{match.seq + 1}-{last.seq} were not written by crmselect", line=None, code="after_head",
                      allowed=f"no entry after seq {match.seq}", received=f"{last.seq - match.seq} more")]
    key = public_keys.get(str(head.get("member")))
    if head.get("sig") and key and not verifies(key, str(digest), str(head["sig"])):
        return [Issue(head_path, "", "has a signature that does not verify: it was rewritten", code="bad_signature",
                      allowed="the signature of the member who wrote the last entry", received="another")]
    return []


def anchor_problems(path: Path, entries: Numbered, anchors: Sequence[Anchor]) -> list[Issue]:
    """Every envelope event the committee file records must still be in the log, unchanged."""
    by_seq = {e.seq: e for _, e in entries}
    issues = []
    for anchor in anchors:
        entry = by_seq.get(anchor.seq)
        if entry is None or entry.hash != anchor.hash or entry.kind != anchor.kind:
            found = "no such entry" if entry is None else f"{entry.kind} with another hash"
            issues.append(Issue(str(path), "", f"no longer holds the {anchor.kind} of {anchor.member} (seq "
                                f"{anchor.seq}) that {COMMITTEE_FILE} records: the log was deleted, cut or "
                                "rewritten", line=None, code="anchor_missing",
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
    committee = Committee.model_validate(yaml.safe_load(new_text))
    if committee.anchors[-1].seq != entry.seq:
        raise InputError([Issue(COMMITTEE_FILE, "anchors", "could not be extended: the block is not where crmselect "
                                "keeps it; move it to the end of the file", code="anchors_moved",
                                allowed="anchors: as the last block", received="another layout")])
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
