"""``import crmselect`` is cheap and changes no global state (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import crmselect

HEAVY = ["matplotlib", "openpyxl", "ipywidgets"]
# the surfaces and views draw or write on purpose; every other module must stay light at import time
VIEW_PACKAGES = ("crmselect.show", "crmselect.excel", "crmselect.widgets")
LIGHT_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(crmselect.__path__, "crmselect.")
    if not any(m.name == view or m.name.startswith(view + ".") for view in VIEW_PACKAGES)
    and m.name != "crmselect.__main__"  # runs the command when imported, as `python -m crmselect` should
)


def _fresh_python(code: str) -> dict[str, object]:
    """Run ``code`` in a new interpreter; it prints one JSON object as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


@pytest.mark.parametrize("module", ["crmselect", "crmselect.files.loaders", "crmselect.model.goals"])
def test_import_does_not_pull_heavy_libraries(module: str) -> None:
    found = _fresh_python(f"""
        import json, sys
        import {module}
        print(json.dumps({{"loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}))
    """)
    assert found["loaded"] == [], f"import {module} imported {found['loaded']}"


def test_computation_modules_stay_light() -> None:
    """Import every non-view module in turn; name the first one that pulls in a heavy library."""
    assert "crmselect.files.loaders" in LIGHT_MODULES and "crmselect.cli.app" in LIGHT_MODULES
    assert "crmselect.money" in LIGHT_MODULES and "crmselect.show" not in LIGHT_MODULES
    found = _fresh_python(f"""
        import importlib, json, sys
        culprit = None
        for name in {LIGHT_MODULES!r}:
            importlib.import_module(name)
            heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
            if heavy:
                culprit = [name, heavy]
                break
        print(json.dumps({{"culprit": culprit}}))
    """)
    assert found["culprit"] is None, f"importing {found['culprit']} pulled in a heavy library"


def test_the_check_itself_can_see_a_heavy_import() -> None:
    """Guard against a check that always passes: importing matplotlib is noticed."""
    found = _fresh_python(f"""
        import json, sys
        import matplotlib
        print(json.dumps({{"loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}))
    """)
    assert found["loaded"] == ["matplotlib"]


def test_import_changes_no_global_state() -> None:
    found = _fresh_python("""
        import json, logging, os, sys, warnings, locale
        import matplotlib  # imported first, so we can see whether crmselect touches its settings
        before = {
            "filters": repr(warnings.filters),
            "rc": repr(sorted(matplotlib.rcParams.items())),
            "backend": matplotlib.get_backend(),
            "root_handlers": repr(logging.getLogger().handlers),
            "root_level": logging.getLogger().level,
            "env": sorted(os.environ.items()),
            "path": list(sys.path),
            "locale": locale.setlocale(locale.LC_ALL),
            "recursion": sys.getrecursionlimit(),
            "excepthook": repr(sys.excepthook),
        }
        import crmselect, crmselect.files.loaders, crmselect.model.goals, crmselect.model.bids
        import crmselect.model.project, crmselect.cli.app
        after = {
            "filters": repr(warnings.filters),
            "rc": repr(sorted(matplotlib.rcParams.items())),
            "backend": matplotlib.get_backend(),
            "root_handlers": repr(logging.getLogger().handlers),
            "root_level": logging.getLogger().level,
            "env": sorted(os.environ.items()),
            "path": list(sys.path),
            "locale": locale.setlocale(locale.LC_ALL),
            "recursion": sys.getrecursionlimit(),
            "excepthook": repr(sys.excepthook),
        }
        print(json.dumps({k: [before[k] == after[k], str(after[k])[:300]] for k in before}))
    """)
    changed = {key: value for key, value in found.items() if not value[0]}  # type: ignore[index]
    assert changed == {}


def test_numpy_error_state_is_untouched() -> None:
    found = _fresh_python("""
        import json
        import numpy as np
        before = np.geterr()
        import crmselect, crmselect.files.loaders
        print(json.dumps({"same": before == np.geterr()}))
    """)
    assert found["same"] is True


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    """`crmselect rank` builds only its own options: no other command's module (workbooks, the paper, plans) is
    imported, so a quick command stays quick; `--help` still lists every command."""
    from testdata import copy_example

    folder = copy_example(tmp_path / "example")
    found = _fresh_python(f"""
        import contextlib, io, json, sys
        from crmselect.cli.app import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["rank", {str(folder)!r}])
        print(json.dumps({{"code": code, "loaded": sorted(m for m in sys.modules if m.startswith("crmselect.cli.")
                                                            or m.split(".")[0] in {HEAVY!r})}}))
    """)
    assert found["code"] == 0
    loaded = {str(m).removeprefix("crmselect.cli.") for m in found["loaded"]}  # type: ignore[attr-defined]
    assert not {"excel", "report", "plan", "track", "negotiate", "goals", "schema"} & loaded, found["loaded"]
    assert not {"openpyxl", "matplotlib", "ipywidgets"} & loaded, found["loaded"]
    from crmselect.cli.app import build_parser

    listed = build_parser().format_help()
    assert all(name in listed for name in ("rank", "scorecard", "report", "plan", "track"))
