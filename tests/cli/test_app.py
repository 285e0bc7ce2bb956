"""The ``crmselect`` command: validate prints a summary or every problem; schema writes JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from testdata import MINIMAL, broken_selection

from crmselect.cli import app as cli

SCHEMA_FOR = {
    "criteria/catalogue/*.yaml": "catalogue-category",
    "criteria/goal_themes.yaml": "goal-themes",
    "criteria/compliance_scale.yaml": "compliance-scale",
    "criteria/goals.yaml": "goals",
    "vendors/committee.yaml": "committee",
    "selection.yaml": "selection",
}


def _command() -> list[str]:
    """The installed console script, or the module when the script is not on this interpreter's path."""
    script = Path(sys.executable).with_name("crmselect")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "crmselect"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(), *args], capture_output=True, text=True, timeout=120, check=False)


# ------------------------------------------------------------------ validate
def test_validate_minimal_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(MINIMAL)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "no problems found" in out
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in out.splitlines()[1:]}
    assert lines["goals"] == "3"
    assert lines["criteria"] == "10"
    assert lines["vendors"] == "2"
    assert lines["offers"] == "3"
    assert lines["committee members"] == "3"


def test_validate_broken_lists_every_problem_on_stderr(tmp_path: Path) -> None:
    selection = broken_selection(tmp_path, "uptime_above_100", "mixed_currency", "score_unknown_vendor")
    result = _run("validate", str(selection))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "3 problems in" in result.stderr
    assert "vendors/acme.yaml line 19: offers[0].sla.uptime_pct:" in result.stderr
    assert "vendors/borealis.yaml line 4: currency:" in result.stderr
    assert "vendors/committee.yaml line 17: scores.m-it.boreal:" in result.stderr


@pytest.mark.parametrize("case", ["not_utf8", "impossible_date", "yaml_syntax_error", "vendor_not_mapping"])
def test_validate_never_shows_a_traceback(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(broken_selection(tmp_path, case))]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert "1 problem in" in err


def test_validate_a_folder_that_is_not_a_selection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: does not exist" in capsys.readouterr().err


def test_an_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(root: object = None) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(cli, "project_of", broken)
    monkeypatch.delenv("CRMSELECT_DEBUG", raising=False)
    assert cli.main(["validate", str(MINIMAL)]) == 3
    err = capsys.readouterr().err
    assert "internal error (KeyError" in err and "CRMSELECT_DEBUG=1" in err
    monkeypatch.setenv("CRMSELECT_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["validate", str(MINIMAL)])


# ------------------------------------------------------------------ schema
def _jsonable(data: Any) -> Any:
    """YAML → what an editor's JSON Schema validator sees (dates become ISO strings)."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def _schema_name(rel: str) -> str:
    if rel.startswith("criteria/catalogue/"):
        return "catalogue-category"
    if rel.startswith("vendors/") and rel != "vendors/committee.yaml":
        return "vendor"
    return SCHEMA_FOR[rel]


@pytest.fixture(scope="module")
def schema_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("schema")
    result = _run("schema", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("wrote ") == 7
    return out


def test_schema_writes_seven_valid_json_schemas(schema_dir: Path) -> None:
    files = sorted(p.name for p in schema_dir.iterdir())
    assert files == sorted(
        f"{name}.schema.json"
        for name in ["selection", "catalogue-category", "goal-themes", "compliance-scale", "goals", "vendor",
                     "committee"]
    )
    for path in schema_dir.iterdir():
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object" and schema["properties"]
        assert schema["title"].startswith("crmselect ")
    jsonschema = pytest.importorskip("jsonschema")
    for path in schema_dir.iterdir():
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_schemas_accept_every_minimal_file(schema_dir: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    checked = 0
    for path in sorted(MINIMAL.rglob("*.yaml")):
        rel = path.relative_to(MINIMAL).as_posix()
        schema = json.loads((schema_dir / f"{_schema_name(rel)}.schema.json").read_text(encoding="utf-8"))
        data = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert not errors, f"{rel}: {[e.message for e in errors]}"
        checked += 1
    assert checked == 9


@pytest.mark.parametrize(
    ("case", "rel"),
    [
        ("uptime_above_100", "vendors/acme.yaml"),
        ("unknown_field_typo", "vendors/acme.yaml"),
        ("unknown_enum", "vendors/acme.yaml"),
        ("too_many_kpis", "criteria/goals.yaml"),
        ("override_without_reason", "vendors/committee.yaml"),
    ],
)
def test_schemas_reject_broken_files(schema_dir: Path, tmp_path: Path, case: str, rel: str) -> None:
    """The schema an editor uses catches the same mistakes (so a passing check above means something)."""
    jsonschema = pytest.importorskip("jsonschema")
    path = broken_selection(tmp_path, case) / rel
    schema = json.loads((schema_dir / f"{_schema_name(rel)}.schema.json").read_text(encoding="utf-8"))
    data = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_schema_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    assert cli.main(["schema", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "taken" in err
