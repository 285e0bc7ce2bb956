"""LibreOffice headless for tests: recalculate workbooks and read what LibreOffice shows.

Each call uses its own private profile under the test's temporary folder, with
``OOXMLRecalcMode=0`` ("always recalculate on load"), so cached values written by anyone are
never trusted (crmselect stores its own results as cached values; tests/excel/test_scorecard_view.py plants
wrong ones and checks that LibreOffice replaces every one) and concurrent tests do not hand their jobs to
each other.  ``soffice`` exits 0
even when it fails, so every expected output file is checked.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from systemtools import require

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _profile(workdir: Path, recalc_on_load: bool) -> Path:
    profile = workdir / ("lo-profile" if recalc_on_load else "lo-profile-default")
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if recalc_on_load:
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    return profile


def convert(files: Sequence[Path], workdir: Path, target: str = "xlsx", timeout: float = 300,
            recalc_on_load: bool = True) -> Path:
    """Open ``files`` in LibreOffice, recalculate, save as ``target`` into a folder of ``workdir``; return it.

    ``recalc_on_load=False`` uses a fresh profile with LibreOffice's default settings (what a
    committee member gets), where cached values in a file are trusted.
    """
    soffice = require("soffice")
    outdir = workdir / f"lo-out-{target.split(':')[0]}{'' if recalc_on_load else '-default'}"
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice, "--headless", "--norestore", "--nologo", "--nodefault",
        f"-env:UserInstallation={_profile(workdir, recalc_on_load).as_uri()}",
        "--convert-to", target, "--outdir", str(outdir), *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    for file in files:
        expected = outdir / f"{file.stem}.{target.split(':')[0]}"
        if target.startswith("csv"):
            if not list(outdir.glob(f"{file.stem}-*.csv")):
                raise AssertionError(f"LibreOffice wrote no CSV for {file.name}: {done.stderr}")
        elif not expected.is_file():
            raise AssertionError(f"LibreOffice did not write {expected.name} (exit {done.returncode}): {done.stderr}")
    return outdir


def recalculated(files: Sequence[Path], workdir: Path, recalc_on_load: bool = True) -> list[Path]:
    """The files as LibreOffice recalculated and saved them (xlsx; read them with ``data_only=True``)."""
    outdir = convert(files, workdir, "xlsx", recalc_on_load=recalc_on_load)
    return [outdir / f"{file.stem}.xlsx" for file in files]


def shown(file: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """What LibreOffice displays on every sheet of ``file``: sheet name -> rows of cell texts."""
    import csv

    outdir = convert([file], workdir, CSV_ALL_SHEETS)
    sheets: dict[str, list[list[str]]] = {}
    for path in sorted(outdir.glob(f"{file.stem}-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix(f"{file.stem}-")] = list(csv.reader(handle))
    return sheets
