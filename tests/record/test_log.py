"""The decision log: append-only, hash-chained, and every kind of tampering is detected."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmselect.errors import AnalysisError, LogTamperedError
from crmselect.record.chain import GENESIS, canonical_json, entry_hash
from crmselect.record.log import DecisionLog


def ticking_clock() -> Iterator[dt.datetime]:
    moment = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    while True:
        yield moment
        moment += dt.timedelta(minutes=5)


def new_log(path: Path) -> DecisionLog:
    clock = ticking_clock()
    return DecisionLog(path, clock=lambda: next(clock))


def filled(tmp_path: Path) -> DecisionLog:
    log = new_log(tmp_path)
    log.append("weight_change", "Project manager", {"goal": "forecast", "from": 30, "to": 35}, "Sponsor's request")
    log.append("consensus_override", "Committee", {"vendor": "acme", "scenario": "pipeline", "value": 3.5},
               "Agreed after replaying the demo")
    log.append("note", "Service manager", "Borealis demo ran on old build", "For the record")
    log.append("lock", "Project manager", {}, "Technical scoring complete")
    return log


def lines(log: DecisionLog) -> list[str]:
    return log.path.read_text(encoding="utf-8").splitlines(keepends=True)


def codes(log: DecisionLog) -> list[tuple[int | None, str]]:
    return [(issue.line, issue.code) for issue in log.problems()]


# ---------------------------------------------------------------- writing and reading
def test_entries_carry_who_when_what_why_and_chain(tmp_path: Path) -> None:
    log = filled(tmp_path)
    assert log.path == tmp_path / "decision_log.jsonl"
    entries = log.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].timestamp == "2026-03-01T09:00:00.000000Z"
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[1].what == {"scenario": "pipeline", "value": 3.5, "vendor": "acme"}
    assert log.verify() == 4
    assert log.head() == (4, entries[-1].hash)
    assert log.locked and not log.prices_revealed


def test_hash_is_sha256_of_the_canonical_entry_without_hash(tmp_path: Path) -> None:
    log = filled(tmp_path)
    raw = json.loads(lines(log)[0])
    body = {k: v for k, v in raw.items() if k != "hash"}
    expected = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).hexdigest()
    assert raw["hash"] == expected == entry_hash(raw)
    assert lines(log)[0] == canonical_json(raw) + "\n"


def test_appending_never_rewrites_earlier_lines(tmp_path: Path) -> None:
    log = filled(tmp_path)
    before = log.path.read_bytes()
    log.append("reveal_prices", "Procurement", {}, "Steering committee approved")
    after = log.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 5
    assert log.prices_revealed


def test_naive_clock_is_taken_as_utc_and_non_ascii_text_survives(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "log.jsonl", clock=lambda: dt.datetime(2026, 5, 4, 3, 2, 1))
    entry = log.append("note", "销售总监", {"目标": "预测准确率"}, "委员会决定")
    assert entry.timestamp == "2026-05-04T03:02:01.000000Z"
    assert log.entries()[0].who == "销售总监" and log.verify() == 1


def test_concurrent_appends_keep_one_chain(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path)

    def worker(name: str) -> None:
        for i in range(8):
            DecisionLog(tmp_path).append("note", name, {"i": i}, "parallel")

    threads = [threading.Thread(target=worker, args=(f"w{k}",)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log.verify() == 32


# ---------------------------------------------------------------- rules
def test_reveal_needs_a_lock_and_happens_once(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    with pytest.raises(AnalysisError, match="only after the technical scoring is locked"):
        log.append("reveal_prices", "Procurement", {}, "too early")
    log.append("lock", "PM", {}, "done")
    with pytest.raises(AnalysisError, match="already locked"):
        log.append("lock", "PM", {}, "again")
    log.append("reveal_prices", "Procurement", {}, "now")
    with pytest.raises(AnalysisError, match="already revealed"):
        log.append("reveal_prices", "Procurement", {}, "again")
    assert log.verify() == 2


@pytest.mark.parametrize(
    ("kind", "who", "what", "why", "match"),
    [
        ("Weight Change", "PM", {}, "x", "kind must be"),
        ("note", "  ", {}, "x", "who must"),
        ("note", "PM", {}, "", "why must"),
        ("note", "PM", {"x": float("nan")}, "x", "what must be JSON"),
        ("note", "PM", {"x": object()}, "x", "what must be JSON"),
    ],
)
def test_append_refuses_bad_entries(tmp_path: Path, kind: str, who: str, what: object, why: str, match: str) -> None:
    with pytest.raises(AnalysisError, match=match):
        DecisionLog(tmp_path).append(kind, who, what, why)
    assert not (tmp_path / "decision_log.jsonl").exists() or DecisionLog(tmp_path).entries() == ()


# ---------------------------------------------------------------- tampering
def test_edited_entry_is_detected(tmp_path: Path) -> None:
    log = filled(tmp_path)
    text = lines(log)
    text[1] = text[1].replace("Agreed after replaying the demo", "Agreed unanimously")
    log.path.write_text("".join(text), encoding="utf-8")
    assert codes(log) == [(2, "edited")]
    with pytest.raises(LogTamperedError, match="line 2: was edited"):
        log.verify()


def test_removed_entry_is_detected(tmp_path: Path) -> None:
    log = filled(tmp_path)
    text = lines(log)
    del text[1]
    log.path.write_text("".join(text), encoding="utf-8")
    assert codes(log) == [(2, "broken_chain"), (2, "bad_seq")]


def test_reordered_entries_are_detected(tmp_path: Path) -> None:
    log = filled(tmp_path)
    text = lines(log)
    text[1], text[2] = text[2], text[1]
    log.path.write_text("".join(text), encoding="utf-8")
    problems = codes(log)
    assert (2, "broken_chain") in problems and (3, "broken_chain") in problems and (4, "broken_chain") in problems


def test_inserted_entry_is_detected_even_with_a_valid_own_hash(tmp_path: Path) -> None:
    log = filled(tmp_path)
    text = lines(log)
    forged = json.loads(text[0])
    forged.update(seq=2, why="forged", prev_hash=json.loads(text[0])["hash"])
    forged["hash"] = entry_hash(forged)
    text.insert(1, canonical_json(forged) + "\n")
    log.path.write_text("".join(text), encoding="utf-8")
    assert (3, "broken_chain") in codes(log)


def test_a_fully_rewritten_chain_or_cut_tail_is_caught_by_the_recorded_head(tmp_path: Path) -> None:
    log = filled(tmp_path)
    head = log.head()
    text = lines(log)
    log.path.write_text("".join(text[:-1]), encoding="utf-8")  # drop the last entry: the rest still chains
    assert [i.code for i in log.problems()] == ["head_mismatch"]  # ... but no longer ends where the head record says
    with pytest.raises(LogTamperedError, match="recorded head is seq 4"):
        log.verify(expected_head=head)


def test_garbage_and_cut_off_lines_are_named(tmp_path: Path) -> None:
    log = filled(tmp_path)
    text = lines(log)
    log.path.write_text(text[0] + "not json\n" + "".join(text[2:]) + '{"seq": 5', encoding="utf-8")
    problems = codes(log)
    assert (2, "invalid_json") in problems and (5, "incomplete_line") in problems


def test_a_reveal_before_a_lock_written_by_hand_is_reported(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    body = {"seq": 1, "timestamp": "2026-01-01T00:00:00Z", "who": "x", "kind": "reveal_prices", "what": {},
            "why": "sneaky", "prev_hash": GENESIS}
    body["hash"] = entry_hash(body)
    log.path.write_text(canonical_json(body) + "\n", encoding="utf-8")
    assert codes(log) == [(1, "reveal_before_lock")]
    assert not log.prices_revealed


def test_appending_to_a_tampered_log_is_refused(tmp_path: Path) -> None:
    log = filled(tmp_path)
    log.path.write_text(log.path.read_text(encoding="utf-8").replace("Sponsor", "CEO"), encoding="utf-8")
    with pytest.raises(LogTamperedError):
        log.append("note", "PM", {}, "anything")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_single_tampering_is_detected(tmp_path: Path, data: st.DataObject) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    log = filled(folder)
    text = lines(log)
    action = data.draw(st.sampled_from(["edit", "delete", "swap", "duplicate"]))
    i = data.draw(st.integers(0, len(text) - 2))  # any line but the last (a cut tail needs the recorded head)
    if action == "edit":
        raw = json.loads(text[i])
        field = data.draw(st.sampled_from(["who", "why", "timestamp", "kind"]))
        raw[field] = raw[field] + data.draw(st.text(min_size=1, max_size=5))
        text[i] = canonical_json(raw) + "\n"
    elif action == "delete":
        del text[i]
    elif action == "swap":
        text[i], text[i + 1] = text[i + 1], text[i]
    else:
        text.insert(i + 1, text[i])
    log.path.write_text("".join(text), encoding="utf-8")
    assert log.problems()


def test_the_log_shows_itself(tmp_path: Path) -> None:
    log = filled(tmp_path)
    assert list(log.frame().columns) == ["timestamp", "who", "kind", "what", "why", "prev_hash", "hash"]
    assert "The chain of hashes verifies." in log._repr_html_()
