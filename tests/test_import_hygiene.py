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


def _loaded_by(argv: list[str]) -> dict[str, object]:
    """Run ``crmselect ARGV`` through its console entry in a fresh interpreter: exit code, output, the libraries and
    crmselect modules it loaded, and whether the garbage collector runs afterwards."""
    return _fresh_python(f"""
        import contextlib, gc, io, json, sys
        from crmselect.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main({argv!r})
        print(json.dumps({{"code": code, "out": out.getvalue(), "gc": gc.isenabled(),
                          "loaded": sorted(m for m in sys.modules if "." not in m or m.startswith("crmselect."))}}))
    """)


RANK_NEVER_LOADS = {
    "pandas": "the scorecard prints from a Grid",
    "cryptography": "nothing is signed in a fresh example",
    "filelock": "rank writes no selection file",
    "wcwidth": "every cell of the English example is ASCII",
    "crmselect.whatif.levers": "levers are not printed",
    "crmselect.whatif.acceptability": "SMAA does not run",
    "crmselect.money.phase_risk": "no plan is asked for",
}


def test_rank_loads_only_what_it_prints(tmp_path: Path) -> None:
    """The start-up time of `crmselect rank` (issue 21) is mostly imports: it loads no library it does not use."""
    from testdata import copy_example

    folder = copy_example(tmp_path / "example")
    found = _loaded_by(["rank", str(folder)])
    assert found["code"] == 0 and found["gc"] is True
    assert "Rank" in str(found["out"]) and "Kendall's W" in str(found["out"])
    loaded = set(found["loaded"])  # type: ignore[call-overload]
    assert {name: why for name, why in RANK_NEVER_LOADS.items() if name in loaded} == {}
    # the same check sees a library when a command uses it: the check report's tables are DataFrames
    checks = _loaded_by(["checks", str(folder)])
    assert checks["code"] == 0 and "pandas" in checks["loaded"]  # type: ignore[operator]


def test_rank_on_a_signed_log_still_checks_every_signature(tmp_path: Path) -> None:
    """Loading cryptography only when needed must not skip the check: a signed log is verified (and a forged
    signature stops `rank`)."""
    import json

    from testdata import copy_example

    from crmselect.cli.app import main

    folder = copy_example(tmp_path / "example")
    keys = tmp_path / "keys"
    keys.mkdir()
    assert main(["keys", "new", str(folder), "--member", "zhao_lei", "--key-dir", str(keys)]) == 0
    assert main(["--member", "zhao_lei", "--key-dir", str(keys), "lock", str(folder), "--why", "all scored"]) == 0
    found = _loaded_by(["rank", str(folder)])
    assert found["code"] == 0 and "cryptography" in found["loaded"]  # type: ignore[operator]
    log = folder / "decision_log.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    last["sig"] = last["sig"][:-4] + ("AAAA" if not last["sig"].endswith("AAAA") else "BBBB")
    log.write_text("\n".join([*lines[:-1], json.dumps(last, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert _loaded_by(["rank", str(folder)])["code"] == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_the_console_entry_restores_the_collector(enabled: bool) -> None:
    """`crmselect.cli.main` pauses the garbage collector while importing the command (the first call in a process
    only), then leaves it as it was; a second call changes nothing."""
    found = _fresh_python(f"""
        import contextlib, gc, io, json
        (gc.enable if {enabled!r} else gc.disable)()
        from crmselect.cli import main
        states = []
        for _ in range(2):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
                main(["--help"])
            states.append([gc.isenabled(), gc.get_freeze_count()])
        print(json.dumps({{"states": states}}))
    """)
    (first_state, frozen), (second_state, still_frozen) = found["states"]  # type: ignore[misc]
    assert first_state is enabled and second_state is enabled
    assert frozen > 0 and still_frozen == frozen  # nothing frozen again by the second call


def test_a_closed_pipe_stops_the_command_quietly(tmp_path: Path) -> None:
    """`crmselect rank DIR | head -1`: the reader leaves early; the command stops with 141 and says nothing."""
    import os

    from testdata import copy_example

    folder = copy_example(tmp_path / "example")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone: the first write fails
    try:
        done = subprocess.run([sys.executable, "-m", "crmselect", "rank", str(folder)], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == ""


LAZY_PACKAGES = ["crmselect", "crmselect.money", "crmselect.whatif", "crmselect.checks", "crmselect.record"]


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_exports_match_their_declarations(package: str) -> None:
    """A package's lazy names: the imports type checkers see, the name -> module map and ``__all__`` agree, and
    each name is the very object its module defines."""
    import ast
    import importlib

    module = importlib.import_module(package)
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    declared: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module
                for alias in imp.names:
                    declared[alias.asname or alias.name] = imp.module
    assert sorted(declared) == sorted(module.__all__)
    # importing a submodule sets the package's attribute of that name, hiding a lazy name (``scoring.ahp`` is both
    # a module and a function: that package stays eager)
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    assert not submodules & set(declared), submodules & set(declared)
    for name, home in declared.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name), name
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018


def test_a_lazy_name_imports_its_own_module_only() -> None:
    found = _fresh_python("""
        import json, sys
        import crmselect.money
        before = sorted(m for m in sys.modules if m.startswith("crmselect.money."))
        from crmselect.money import tco
        after = sorted(m for m in sys.modules if m.startswith("crmselect.money."))
        print(json.dumps({"before": before, "after": after, "pandas": "pandas" in sys.modules}))
    """)
    assert found["before"] == []
    assert "crmselect.money.costs" in found["after"]  # type: ignore[operator]
    assert "crmselect.money.phase_risk" not in found["after"]  # type: ignore[operator]


def test_a_lazy_module_is_imported_on_first_use() -> None:
    found = _fresh_python("""
        import json, sys
        from crmselect.imports import lazy_module
        colorsys = lazy_module("colorsys")
        before = "colorsys" in sys.modules
        grey = colorsys.rgb_to_hls(0.5, 0.5, 0.5)
        kept = "rgb_to_hls" in vars(colorsys)
        print(json.dumps({"before": before, "after": "colorsys" in sys.modules, "grey": grey, "kept": kept,
                          "shown": repr(colorsys)}))
    """)
    assert found == {"before": False, "after": True, "grey": [0.0, 0.5, 0.0], "kept": True,
                     "shown": "<module 'colorsys', imported on first use>"}
