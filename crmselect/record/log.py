"""The committee's decision log: append-only JSON lines, each entry chained to the one before.

Every entry records who decided what, when (UTC) and why: weight changes, consensus overrides,
the lock of the technical scoring, the price reveal, notes, saved scenarios.  Each line holds
``seq``, ``timestamp``, ``who``, ``kind``, ``what`` (any JSON), ``why``, ``prev_hash`` (the hash
of the entry before; 64 zeros for the first) and ``hash`` = SHA-256 of the canonical JSON (sorted
keys, no spaces, UTF-8) of the entry without ``hash``.  :meth:`DecisionLog.verify` names every
line that was edited, removed, reordered or inserted.

Limit: removing entries from the *end* leaves a valid shorter chain.  Record :meth:`DecisionLog.head`
(last seq and hash) in the hand-over (minutes, workbook) and pass it as ``expected_head`` to
detect that too.

Appending never rewrites existing lines: one ``write`` on a file opened for appending, under an
exclusive lock where the platform has one, followed by ``fsync``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmselect.errors import AnalysisError, InputError, Issue, LogTamperedError, Message
from crmselect.files.crosschecks import COMMITTEE_FILE
from crmselect.files.workspace import LOG_FILE, selection_lock
from crmselect.model.goals import Anchor
from crmselect.record.chain import (
    FIELDS,
    GENESIS,
    KIND_PATTERN,
    KNOWN_KINDS,
    LogEntry,
    canonical_json,
    entry_hash,
    exclusive,
    fsync_dir,
    shape_problem,
)
from crmselect.record.changes import STATE_KEY, changed_what, recorded_inputs
from crmselect.record.integrity import (
    ANCHORED_KINDS,
    add_anchor,
    anchor_problems,
    git_commit,
    head_problems,
    read_head,
    signature_problems,
    write_head,
)
from crmselect.record.signing import Signer
from crmselect.show.i18n import _, ngettext

#: Entries that tie a log to one selection (``what.selection_id``): the first ``open``, or an ``adopt``.
BINDING_KINDS = ("open", "adopt")

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.model.project import Project

def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DecisionLog:
    """The log file of one selection (default ``<selection>/decision_log.jsonl``).

    ``clock`` returns the current time (inject a fixed clock in tests); naive times are taken as UTC.
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], dt.datetime] | None = None,
                 selection_id: str | None = None, public_keys: Mapping[str, str] | None = None,
                 anchors: tuple[Anchor, ...] = (), inputs: Mapping[str, Any] | None = None) -> None:
        target = Path(path)
        self._path = target / LOG_FILE if target.is_dir() else target
        self._clock = clock or _utc_now
        self._selection_id = selection_id
        self._public_keys = dict(public_keys or {})
        self._anchors = anchors
        self._inputs = dict(inputs) if inputs is not None else None  # recorded_inputs of the project

    @classmethod
    def for_project(cls, project: Project, **kwargs: Any) -> DecisionLog:
        """The log of ``project``'s selection, bound to its ``selection.yaml`` id when it has one."""
        selection_id = project.settings.id if project.settings is not None else None
        keys = {m.id: m.public_key for m in project.committee.members if m.public_key}
        return cls(Path(project.root) / LOG_FILE, selection_id=selection_id, public_keys=keys,
                   anchors=project.committee.anchors, inputs=recorded_inputs(project), **kwargs)

    @property
    def signed(self) -> bool:
        """True once the committee has keys: every new entry must then be signed by its member."""
        return bool(self._public_keys)

    @property
    def expected(self) -> bool:
        """True when a log must exist: there is one, or its head record or the committee's anchors name one."""
        return self._path.exists() or bool(self._anchors) or read_head(self._path) is not None

    @property
    def path(self) -> Path:
        return self._path

    def __repr__(self) -> str:
        return f"DecisionLog({str(self._path)!r})"

    # ------------------------------------------------------------ reading
    def _lines(self) -> list[str]:
        if not self._path.exists():
            return []
        text = self._path.read_bytes().decode("utf-8", errors="replace")
        return text.split("\n")

    def _parse(self) -> tuple[list[tuple[int, LogEntry | None, dict[str, Any] | None]], list[Issue]]:
        """(line number, entry or None, raw dict or None) per non-empty line, plus format problems."""
        out: list[tuple[int, LogEntry | None, dict[str, Any] | None]] = []
        issues: list[Issue] = []
        lines = self._lines()
        if lines and lines[-1] != "":
            issues.append(self._issue(len(lines), "incomplete_line",
                                      Message("is incomplete (no line end): the last write was cut off or the file "
                                              "was edited")))
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                if number < len(lines):
                    issues.append(self._issue(number, "blank_line", Message("is blank: a line was removed or edited")))
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                issues.append(self._issue(number, "invalid_json",
                                          Message("is not valid JSON ({error})", error=exc.msg)))
                out.append((number, None, None))
                continue
            problem = shape_problem(raw)
            if problem:
                issues.append(self._issue(number, "bad_entry", problem))
                out.append((number, None, raw if isinstance(raw, dict) else None))
                continue
            out.append((number, LogEntry.from_raw(raw), raw))
        return out, issues

    def _issue(self, line: int, code: str, message: str, *, allowed: str = "", received: str = "") -> Issue:
        return Issue(str(self._path), "", message, line=line, code=code, allowed=allowed, received=received)

    def entries(self) -> tuple[LogEntry, ...]:
        """Every readable entry in file order (use :meth:`verify` to know they are genuine)."""
        parsed, _ = self._parse()
        return tuple(entry for _, entry, _ in parsed if entry is not None)

    def problems(self, *, expected_head: tuple[int, str] | None = None,
                 adopting: bool = False) -> tuple[Issue, ...]:
        """Every line that was edited, removed, reordered or inserted, and broken lock/reveal order."""
        parsed, issues = self._parse()
        previous_hash = GENESIS
        expected_seq = 1
        locked = False
        for number, entry, raw in parsed:
            if entry is None or raw is None:
                previous_hash, expected_seq = "", expected_seq + 1
                continue
            if entry_hash(raw) != entry.hash:
                issues.append(self._issue(
                    number, "edited", Message("was edited: its content no longer matches its hash (entry seq {seq})",
                                             seq=entry.seq)))
            if entry.prev_hash != previous_hash:
                issues.append(self._issue(
                    number, "broken_chain",
                    Message("does not follow the line before it: an entry was removed, inserted or reordered "
                            "(entry seq {seq}, prev_hash {digest}...)", seq=entry.seq, digest=entry.prev_hash[:12])))
            if entry.seq != expected_seq:
                issues.append(self._issue(number, "bad_seq",
                                          Message("has seq {seq} where {expected} was expected: an entry was "
                                                  "removed, inserted or reordered", seq=entry.seq,
                                                  expected=expected_seq)))
            if entry.kind == "lock":
                locked = True
            if entry.kind == "reveal_prices" and not locked:
                issues.append(self._issue(number, "reveal_before_lock",
                                          Message("reveals prices before the technical scoring was locked")))
            previous_hash, expected_seq = entry.hash, entry.seq + 1
        if not adopting:  # an adopt entry is what binds an old log: being unbound is why it is written
            issues.extend(self._binding_problems(parsed))
        numbered = [(number, entry) for number, entry, _ in parsed if entry is not None]
        issues.extend(signature_problems(self._path, numbered, self._public_keys))
        issues.extend(head_problems(self._path, numbered, self._public_keys))
        issues.extend(anchor_problems(self._path, numbered, self._anchors))
        if expected_head is not None:
            head = self._head(parsed)
            if head != (int(expected_head[0]), str(expected_head[1])):
                issues.append(Issue(str(self._path), "", Message(
                    "ends at seq {seq} (hash {digest}...) but the recorded head is seq {head_seq} (hash "
                    "{head_digest}...): entries were removed from the end or added after the hand-over",
                    seq=head[0], digest=head[1][:12], head_seq=expected_head[0],
                    head_digest=str(expected_head[1])[:12]), line=len(parsed) or None, code="head_mismatch"))
        return tuple(sorted(issues, key=lambda i: (i.line or 0)))

    def _binding_problems(self, parsed: list[tuple[int, LogEntry | None, dict[str, Any] | None]]) -> list[Issue]:
        """A log belongs to one selection: its first ``open`` or ``adopt`` entry names the selection's id."""
        if self._selection_id is None:
            return []
        entries = [(number, entry) for number, entry, _ in parsed if entry is not None]
        binding = next(((n, e) for n, e in entries if e.kind in BINDING_KINDS), None)
        if binding is None:
            if not entries:
                return []
            return [self._issue(entries[0][0], "unbound_log",
                                Message("was written before this folder had selection.yaml and was never adopted: "
                                        "run `crmselect init DIR --adopt` to attest it"),
                                allowed=Message("a log opened or adopted by this selection"),
                                received=Message("no open or adopt entry"))]
        number, entry = binding
        found = entry.what.get("selection_id") if isinstance(entry.what, dict) else None
        if found != self._selection_id:
            return [self._issue(number, "foreign_log",
                                Message("belongs to another selection: its {kind} entry (seq {seq}) names another "
                                        "selection id; a decision log cannot be copied between selections",
                                        kind=entry.kind, seq=entry.seq),
                                allowed=f"selection_id {self._selection_id} (selection.yaml)",
                                received=f"selection_id {found}")]
        return []

    @property
    def chain_only(self) -> tuple[int, ...]:
        """Seqs of entries written before the selection adopted the log: their chain verifies, nothing more."""
        seqs: list[int] = []
        for entry in self.entries():
            if entry.kind in BINDING_KINDS:
                return tuple(seqs)
            seqs.append(entry.seq)
        return ()

    def verify(self, *, expected_head: tuple[int, str] | None = None, adopting: bool = False) -> int:
        """The number of entries when the log is intact; otherwise ``LogTamperedError`` naming every bad line."""
        issues = self.problems(expected_head=expected_head, adopting=adopting)
        if issues:
            # told in the current language (the surface's: ``using``), English by default
            error = LogTamperedError(ngettext(
                "the decision log {path} does not verify ({count} problem):",
                "the decision log {path} does not verify ({count} problems):", len(issues)).format(
                path=self._path, count=len(issues)) + "\n" + "\n".join(
                    "  - " + issue.render(_) for issue in issues))
            error.issues = issues  # type: ignore[attr-defined]
            raise error
        return len(self.entries())

    @staticmethod
    def _head(parsed: list[tuple[int, LogEntry | None, dict[str, Any] | None]]) -> tuple[int, str]:
        entries = [entry for _, entry, _ in parsed if entry is not None]
        return (entries[-1].seq, entries[-1].hash) if entries else (0, GENESIS)

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry, or (0, 64 zeros) for an empty log: record it at hand-over."""
        return self._head(self._parse()[0])

    @property
    def locked(self) -> bool:
        """True once the technical scoring was locked."""
        return any(entry.kind == "lock" for entry in self.entries())

    @property
    def prices_revealed(self) -> bool:
        """True once prices were revealed after a lock."""
        locked = False
        for entry in self.entries():
            locked = locked or entry.kind == "lock"
            if entry.kind == "reveal_prices" and locked:
                return True
        return False

    # ------------------------------------------------------------ writing
    def append(self, kind: str, who: str, what: Any, why: str, *, signer: Signer | None = None) -> LogEntry:
        """Add one entry at the end; the existing lines are never rewritten.

        Refuses (``AnalysisError``) an empty ``who`` or ``why``, ``what`` that is not JSON, a second
        lock, and a price reveal before a lock or after one; refuses (``LogTamperedError``) to
        extend a log that does not verify.  Once the committee has keys, ``signer`` must be ``who``'s.
        """
        kind_text = str(getattr(kind, "value", kind))
        if not KIND_PATTERN.match(kind_text):
            raise AnalysisError(f"kind must be a lower-case word such as {', '.join(KNOWN_KINDS)} (received {kind!r})")
        if not isinstance(who, str) or not who.strip():
            raise AnalysisError(f"who must name the person or role deciding (received {who!r})")
        if not isinstance(why, str) or not why.strip():
            raise AnalysisError(f"why must give the reason for the decision (received {why!r})")
        try:
            canonical_json(what)
        except (TypeError, ValueError) as exc:
            raise AnalysisError(f"what must be JSON data: numbers, text, lists, mappings (received {what!r}: {exc})") \
                from exc
        self._check_signer(who, signer)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        root = self._path.parent
        commit = git_commit(root)  # one git call per append, whatever number of entries it writes
        with selection_lock(root):
            created = not self._path.exists()
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self._path, flags, 0o644)
            try:
                with exclusive(fd):
                    self.verify(adopting=kind_text == "adopt")
                    entries = self.entries()
                    self._check_order(kind_text, entries)
                    if not entries and self._selection_id is not None and kind_text not in BINDING_KINDS:
                        state = {} if self._inputs is None or kind_text == "changed" else {STATE_KEY: self._inputs}
                        opened = self._write(fd, None, "open", who, {"selection_id": self._selection_id, **state},
                                             "the decision log of this selection starts here", signer, commit)
                        entries = (opened,)
                    elif self._inputs is not None and kind_text not in (*BINDING_KINDS, "changed"):
                        changed = changed_what(entries, self._inputs)
                        if changed is not None:
                            entries = (*entries, self._write(
                                fd, entries[-1] if entries else None, "changed", who, changed,
                                f"the weights, knock-out minimums or overrides changed since the last record; "
                                f"recorded before {kind_text}", signer, commit))
                    entry = self._write(fd, entries[-1] if entries else None, kind_text, who, what, why, signer,
                                        commit)
                    write_head(self._path, entry, signer)
                    if kind_text in ANCHORED_KINDS and (root / COMMITTEE_FILE).is_file():
                        add_anchor(root, entry)
            except BaseException:
                if created and self._path.stat().st_size == 0:  # a refused first entry leaves no empty log behind
                    self._path.unlink()
                raise
            finally:
                os.close(fd)
            if created:
                fsync_dir(self._path.parent)
        return entry

    def _check_signer(self, who: str, signer: Signer | None) -> None:
        if not self._public_keys:
            return
        expected = self._public_keys.get(who.strip())
        if signer is None or signer.member != who.strip() or expected is None or signer.public_key != expected:
            received = Message("no key") if signer is None else Message("{member}'s key", member=signer.member)
            raise InputError([Issue(str(self._path), "", Message(
                "can only be extended with entries signed by the acting member's key (the committee has keys): "
                "{who} must sign with their own key (--key-dir or CRMSELECT_KEY_DIR)", who=who), code="not_signed",
                allowed=Message("{member}'s key", member=who), received=received)])

    def _write(self, fd: int, last: LogEntry | None, kind: str, who: str, what: Any, why: str,
               signer: Signer | None, commit: str) -> LogEntry:
        now = self._clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
        body: dict[str, Any] = {
            "seq": (last.seq + 1) if last else 1,
            "timestamp": now.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "who": who.strip(),
            "kind": kind,
            "what": json.loads(canonical_json(what)),
            "why": why.strip(),
            "prev_hash": last.hash if last else GENESIS,
        }
        if commit:
            body["commit"] = commit
        body["hash"] = entry_hash(body)
        if signer is not None:
            body["sig"] = signer.sign(body["hash"])
        data = (canonical_json(body) + "\n").encode("utf-8")
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.fsync(fd)
        return LogEntry.from_raw(body)

    @staticmethod
    def _check_order(kind: str, entries: tuple[LogEntry, ...]) -> None:
        locks = [e.seq for e in entries if e.kind == "lock"]
        reveals = [e.seq for e in entries if e.kind == "reveal_prices"]
        if kind == "lock" and locks:
            raise AnalysisError(
                f"the technical scoring is already locked (entry seq {locks[0]}); received another lock")
        if kind == "relock" and not locks:
            raise AnalysisError("a re-lock needs a lock before it; received relock with no lock")
        if kind == "reveal_prices" and not locks:
            raise AnalysisError("prices can be revealed only after the technical scoring is locked "
                                "(append kind='lock' first); received reveal_prices with no lock")
        if kind == "reveal_prices" and reveals:
            raise AnalysisError(f"prices were already revealed (entry seq {reveals[0]}); received another reveal")

    # ------------------------------------------------------------ display
    def frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{**e.as_dict(), "what": canonical_json(e.what)} for e in self.entries()]
        return pd.DataFrame(rows, columns=list(FIELDS)).set_index("seq")

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        frame = self.frame().drop(columns=["prev_hash"])
        frame["hash"] = frame["hash"].str.slice(0, 12)
        issues = self.problems()
        notes = [f"Problem: {issue}" for issue in issues] or ["The chain of hashes verifies."]
        return to_html(frame, caption=f"Decision log ({self._path.name})", notes=notes)
