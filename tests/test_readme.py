"""The README's first command stays true: after the install, its crmselect steps run on a fresh machine."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]


def install_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Install and produce a scorecard.*?```bash\n(.+?)\n```", text, flags=re.S)
    assert match, "the README has no install command"
    return match.group(1)


def test_the_install_command_makes_the_example_and_a_scorecard_in_an_empty_folder(tmp_path: Path) -> None:
    steps = [shlex.split(step) for step in install_command().split("&&")]
    assert steps[0][:3] == ["python3", "-m", "venv"] and "pip" in steps[1][0]
    script = Path(sys.executable).with_name("crmselect")
    for step in steps[2:]:
        assert step[0] == ".venv/bin/crmselect", step
        result = subprocess.run([str(script), *step[1:]], cwd=tmp_path, capture_output=True, text=True,
                                timeout=300, check=False)
        assert result.returncode == 0, (step, result.stderr)
    assert (tmp_path / "example-selection" / "selection.yaml").is_file()
    workbook = openpyxl.load_workbook(tmp_path / "scorecard.xlsx", read_only=True)
    assert "Summary" in workbook.sheetnames
    workbook.close()
