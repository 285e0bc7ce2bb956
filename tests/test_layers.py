"""The package's layers are enforced by import-linter (pyproject.toml), and the contracts can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(project / "pyproject.toml"), "--no-cache"],
                          cwd=project, capture_output=True, text=True, timeout=300, check=False,
                          env={"PYTHONPATH": str(project), "PATH": str(LINT.parent)})


def _append(module: Path, line: str) -> None:
    with module.open("a", encoding="utf-8") as out:
        out.write(f"\n{line}\n")


def test_the_shipped_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_or_sideways_import_breaks_a_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "crmselect", tmp_path / "crmselect")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    _append(tmp_path / "crmselect" / "scoring" / "engine.py", "from crmselect.record.log import DecisionLog")
    _append(tmp_path / "crmselect" / "money" / "drivers.py", "import matplotlib")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "crmselect.scoring.engine -> crmselect.record.log" in result.stdout
    assert "crmselect.money.drivers -> matplotlib" in result.stdout
