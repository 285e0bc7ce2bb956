"""Signed decisions that are tamper-evident without a hand-kept head: the four rewrites that went unseen, and keys."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from testdata import copy_example

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import LogTamperedError
from crmselect.evaluation import evaluate
from crmselect.record.chain import canonical_json, entry_hash
from crmselect.record.log import DecisionLog

LOG = "decision_log.jsonl"


@pytest.fixture
def signed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """The example with two keyed members, locked and revealed: (selection, key folder)."""
    root = copy_example(tmp_path / "selection")
    keys = tmp_path / "keys"
    keys.mkdir()
    for member in ("zhao_lei", "sun_li"):
        assert main(["keys", "new", str(root), "--member", member, "--key-dir", str(keys)]) == 0
    assert main(["--member", "zhao_lei", "--key-dir", str(keys), "lock", str(root), "--why", "all scored"]) == 0
    assert main(["--member", "sun_li", "--key-dir", str(keys), "reveal-prices", str(root), "--why", "opened"]) == 0
    capsys.readouterr()
    return root, keys


def log_fails(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["log", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_signed_log_verifies_and_says_who_signed(signed: tuple[Path, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = signed
    assert main(["log", str(root)]) == 0
    out = capsys.readouterr().out
    assert "state: prices revealed" in out and "not signed" not in out
    entries = DecisionLog.for_project(load_project(root)).entries()
    assert [e.kind for e in entries] == ["open", "key_added", "key_added", "lock", "reveal_prices"]
    assert all(e.sig for e in entries)
    private = next((signed[1]).iterdir())
    assert oct(private.stat().st_mode & 0o777) == "0o600"


def test_deleting_the_log_after_lock_and_reveal_is_an_error(signed: tuple[Path, Path],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = signed
    (root / LOG).unlink()
    (root / "decision_log.head.json").unlink()
    err = log_fails(root, capsys)
    assert "no longer holds the lock of zhao_lei (seq 4)" in err and "vendors/committee.yaml" in err
    with pytest.raises(LogTamperedError):
        evaluate(load_project(root))  # the state does not silently go back to "open"


def test_a_forged_entry_with_a_recomputed_hash_is_named(signed: tuple[Path, Path],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = signed
    lines = (root / LOG).read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    forged = {"seq": last["seq"] + 1, "timestamp": "2027-02-01T00:00:00.000000Z", "who": "zhou_jianguo",
              "kind": "note", "what": {"winner": "brightquill"}, "why": "decided in the corridor",
              "prev_hash": last["hash"]}
    forged["hash"] = entry_hash(forged)
    (root / LOG).write_text("\n".join([*lines, canonical_json(forged)]) + "\n", encoding="utf-8")
    err = log_fails(root, capsys)
    assert "line 6" in err and "is not signed: entry seq 6 (note by zhou_jianguo)" in err
    assert "were not written by crmselect" in err


def test_cutting_off_the_last_entry_is_an_error(signed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = signed
    lines = (root / LOG).read_text(encoding="utf-8").splitlines(keepends=True)
    (root / LOG).write_text("".join(lines[:-1]), encoding="utf-8")
    err = log_fails(root, capsys)
    assert "ends at seq 4, but the head record names seq 5" in err
    assert "no longer holds the reveal_prices of sun_li (seq 5)" in err


def test_rewriting_the_whole_chain_with_recomputed_hashes_is_an_error(
    signed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = signed
    previous = "0" * 64
    out = []
    for line in (root / LOG).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["kind"] == "lock":
            entry["why"] = "locked early"
        entry["prev_hash"] = previous
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
        out.append(canonical_json(entry))
    (root / LOG).write_text("\n".join(out) + "\n", encoding="utf-8")
    err = log_fails(root, capsys)
    assert "has a signature that does not verify: entry seq 4 (lock by zhao_lei) was forged or rewritten" in err


def test_recording_needs_the_members_own_key(signed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root, keys = signed
    assert main(["--member", "sun_li", "relock", str(root), "--why", "x"]) == 2
    assert "name the folder holding your key" in capsys.readouterr().err
    empty = keys.parent / "empty"
    empty.mkdir()
    assert main(["--member", "sun_li", "--key-dir", str(empty), "relock", str(root), "--why", "x"]) == 2
    err = capsys.readouterr().err
    assert "is missing: sun_li's private key was expected here" in err
    mine = next(p for p in keys.iterdir() if p.name.endswith("zhao_lei.pem"))
    (empty / mine.name.replace("zhao_lei", "sun_li")).write_bytes(mine.read_bytes())
    assert main(["--member", "sun_li", "--key-dir", str(empty), "relock", str(root), "--why", "x"]) == 2
    assert "is not sun_li's key: it does not match the public key" in capsys.readouterr().err
    assert main(["--member", "liu_yang", "--key-dir", str(keys), "relock", str(root), "--why", "x"]) == 2
    assert "has no key in the committee file" in capsys.readouterr().err
    assert DecisionLog.for_project(load_project(root)).verify() == 5, "no refused attempt wrote anything"


def test_a_key_is_never_replaced_or_written_to_a_guessed_place(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    os.environ.pop("CRMSELECT_KEY_DIR", None)
    assert main(["keys", "new", str(root), "--member", "zhao_lei"]) == 2
    assert "names no folder for the private key" in capsys.readouterr().err
    assert main(["keys", "new", str(root), "--member", "zhao_lei", "--key-dir", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "keys").mkdir()
    assert main(["keys", "new", str(root), "--member", "zhao_lei", "--key-dir", str(tmp_path / "keys")]) == 0
    assert main(["keys", "new", str(root), "--member", "zhao_lei", "--key-dir", str(tmp_path / "keys")]) == 2
    assert "is set already: a key is not replaced" in capsys.readouterr().err


def test_entries_record_the_git_commit_and_log_warns_about_uncommitted_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "selection")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "the selection")
    assert main(["--member", "zhao_lei", "lock", str(root), "--why", "scored"]) == 0
    entries = DecisionLog.for_project(load_project(root)).entries()
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert {e.commit for e in entries} == {head}
    capsys.readouterr()
    assert main(["log", str(root)]) == 0
    assert "entries 1, 2 are not committed to git yet" in capsys.readouterr().err
    git("add", "-A")
    git("commit", "-qm", "locked")
    assert main(["log", str(root)]) == 0
    assert "not committed" not in capsys.readouterr().err


def test_without_keys_the_log_says_it_is_unsigned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "selection")
    assert main(["--member", "zhao_lei", "lock", str(root), "--why", "scored"]) == 0
    capsys.readouterr()
    assert main(["log", str(root)]) == 0
    assert "entries are not signed (the committee has no keys)" in capsys.readouterr().out


def test_a_widget_without_the_members_key_does_not_record(signed: tuple[Path, Path]) -> None:
    from crmselect.widgets import ScenarioManager, WeightsPanel
    from crmselect.widgets.launch import signer_for

    root, keys = signed
    project = load_project(root)
    panel = WeightsPanel(evaluate(project).scorecard, table=False)
    keyless = ScenarioManager(panel, project, member="zhao_lei")
    assert "no key file for zhao_lei" in keyless.recording.value
    assert not keyless.save("A view", why="a reason")
    keyed = ScenarioManager(panel, project, member="zhao_lei", signer=signer_for(project, "zhao_lei", keys))
    assert keyed.save("A view", why="a reason")
    assert DecisionLog.for_project(load_project(root)).verify() == 6
    with pytest.raises(InputError, match=r"sun_li's private key was expected here"):
        signer_for(project, "sun_li", keys.parent)
