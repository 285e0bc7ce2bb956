"""The built wheel carries the shipped example, and the package finds it there.

Builds one wheel (pip + hatchling, no isolation, no network) into a temporary folder; a few seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import crmselect

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "crmselect/_data"

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    wheels = list(out.glob("crmselect-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _example_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*.y*ml")}


def test_wheel_contains_the_compliance_scale_and_catalogue(names: set[str]) -> None:
    assert f"{EXAMPLE}/criteria/compliance_scale.yaml" in names
    assert f"{EXAMPLE}/criteria/goal_themes.yaml" in names
    assert any(n.startswith(f"{EXAMPLE}/criteria/catalogue/") and n.endswith(".yaml") for n in names)


def test_wheel_mirrors_every_example_file(names: set[str]) -> None:
    repo = _example_files("criteria") | _example_files("vendors") | _example_files("examples")
    packaged = {n.removeprefix(f"{EXAMPLE}/") for n in names if n.startswith(f"{EXAMPLE}/") and n.endswith(".yaml")}
    assert packaged == repo


def test_wheel_contains_the_vendor_bids(names: set[str]) -> None:
    vendors = {n for n in names if n.startswith(f"{EXAMPLE}/vendors/") and n.endswith(".yaml")}
    assert f"{EXAMPLE}/vendors/committee.yaml" in vendors
    assert len(vendors) >= 2


def test_wheel_has_the_package_and_console_script(wheel: Path, names: set[str]) -> None:
    assert "crmselect/__init__.py" in names and "crmselect/files/loaders.py" in names
    assert not any(n.startswith(("tests/", "notebooks/", "benchmarks/")) for n in names)
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "crmselect = crmselect.cli:main" in archive.read(entry_points).decode()


def _data_root_with(pythonpath: Path | None, cwd: Path) -> tuple[Path, Path]:
    """``(crmselect.__file__, data_root())`` as a fresh interpreter sees them."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    else:
        env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import crmselect, crmselect.files.init as i; print(crmselect.__file__); print(i.data_root())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    package, example = result.stdout.split("\n")[:2]
    return Path(package), Path(example)


def test_data_root_finds_the_packaged_copy(wheel: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    package, data = _data_root_with(unpacked, cwd=tmp_path)
    assert package.is_relative_to(unpacked), "the unpacked wheel must shadow the editable install"
    assert data == unpacked / "crmselect" / "_data"
    assert (data / "criteria" / "compliance_scale.yaml").is_file()
    assert (data / "examples" / "en" / "example.yaml").is_file()


def test_data_root_in_a_checkout_is_the_repository(tmp_path: Path) -> None:
    if (Path(crmselect.__file__).parent / "_data").exists():
        pytest.skip("crmselect is installed from a wheel here, not from the checkout")
    _, data = _data_root_with(None, cwd=tmp_path)
    assert data == ROOT


def test_init_validate_rank_from_the_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    """A newcomer's first steps with an installed wheel: no checkout, no example by accident."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:  # what pip does for a pure wheel: unpack into site-packages
        archive.extractall(site)
    # the dependencies come from the test environment (read-only); crmselect itself only from the wheel
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "pandas").is_dir())
    (site / "_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    python = venv / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python), "-m", "crmselect", *args], cwd=work, capture_output=True,
                              text=True, timeout=300, check=False, env={"PATH": os.environ.get("PATH", "")})

    where = subprocess.run([str(python), "-c", "import crmselect; print(crmselect.__file__)"], capture_output=True,
                           text=True, timeout=60, check=True, cwd=work).stdout.strip()
    assert Path(where).is_relative_to(site)
    refused = run("rank")
    assert refused.returncode == 2 and "there is no selection here" in refused.stderr
    made = run("init", "mine", "--example")
    assert made.returncode == 0, made.stderr
    assert (work / "mine" / "selection.yaml").is_file()
    checked = run("validate", "mine")
    assert checked.returncode == 0, checked.stderr
    assert "no problems found" in checked.stdout
    ranked = run("rank", "mine")
    assert ranked.returncode == 0, ranked.stderr
    assert "Brightquill CRM" in ranked.stdout
