"""Files are written atomically and never overwritten without being asked to."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from crmselect.errors import CrmSelectError
from crmselect.files.safe_write import write_atomic, write_text_atomic


def test_refuses_to_overwrite_without_permission(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("the user's work", encoding="utf-8")
    with pytest.raises(CrmSelectError, match="already exists"):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "the user's work"
    write_text_atomic(target, "new", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "scorecard.xlsx"
    target.write_bytes(b"old")

    def half_then_crash(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, half_then_crash, overwrite=True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.xlsx"]


def test_new_files_follow_the_umask_and_replacements_keep_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh = write_text_atomic(tmp_path / "new.yaml", "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.yaml"
        kept.write_text("x", encoding="utf-8")
        kept.chmod(0o600)
        write_text_atomic(kept, "y", overwrite=True)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(old)
