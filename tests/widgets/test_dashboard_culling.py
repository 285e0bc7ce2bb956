"""Kernels do not pile up: the kernel behind a closed dashboard page is shut down (Voila's kernel culling).

Voila starts one kernel per page load.  ``notebooks/voila.json`` (read by Voila when it runs in
``notebooks/``, and named by the README's command) turns on jupyter_server's culler for kernels with no
connection left; here the same server runs with short timeouts given on the command line, which override
the file's.  A kernel is counted as a running ``ipykernel`` process whose connection file lies in this
server's connection folder (Voila standalone serves no ``/api/kernels`` list).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import NOTEBOOKS, voila_server
from testdata import copy_example

from tests.widgets.test_dashboard import browser, open_dashboard

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the shared Chromium fixture

IDLE_SECONDS = 3
INTERVAL_SECONDS = 1
PAGES = 3


def shipped_culling() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((NOTEBOOKS / "voila.json").read_text(encoding="utf-8"))
    return dict(settings["MappingKernelManager"])


def test_the_shipped_voila_settings_cull_the_kernels_of_closed_pages() -> None:
    culling = shipped_culling()
    assert 0 < culling["cull_idle_timeout"] <= 600, "a closed page's kernel goes within ten minutes"
    assert 0 < culling["cull_interval"] <= culling["cull_idle_timeout"]
    assert culling["cull_connected"] is False, "a page still open keeps its kernel"
    readme = (NOTEBOOKS.parent / "README.md").read_text(encoding="utf-8")
    assert "voila notebooks/05_dashboard.ipynb \\\n    --Voila.config_file_paths=notebooks" in readme


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("culling")
    selection = copy_example(root / "example")
    log = root / "voila.log"
    env = {"CRMSELECT_SELECTION": str(selection), "CRMSELECT_MEMBER": "zhao_lei"}
    args = (f"--MappingKernelManager.cull_idle_timeout={IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={INTERVAL_SECONDS}")
    with voila_server(NOTEBOOKS / "05_dashboard.ipynb", log, env=env, args=args) as url:
        yield url, log


def connection_folder(log: Path) -> str:
    match = re.search(r"Storing connection files in (\S+?)\.?$", log.read_text(encoding="utf-8"), flags=re.M)
    assert match, f"Voila's log names no connection folder: {log}"
    return match.group(1)


def running_kernels(folder: str) -> list[int]:
    """Process ids of the kernels whose connection file is in ``folder``."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "ipykernel" in command and folder in command:
            out.append(int(proc.name))
    return out


def test_no_kernel_is_left_running_after_the_pages_close(browser: Any, culling_server: tuple[str, Path]) -> None:
    url, log = culling_server
    pages = [open_dashboard(browser, url)[0] for _ in range(PAGES)]
    folder = connection_folder(log)
    assert len(running_kernels(folder)) >= PAGES, "each open page has its kernel"
    time.sleep(IDLE_SECONDS + 2 * INTERVAL_SECONDS)
    assert len(running_kernels(folder)) >= PAGES, "a page still open keeps its kernel, however idle"
    for page in pages:
        page.close()
    deadline = time.monotonic() + IDLE_SECONDS + 10 * INTERVAL_SECONDS + 20
    while running_kernels(folder) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert running_kernels(folder) == [], f"kernels still running after the pages closed; see {log}"
    assert log.read_text(encoding="utf-8").count("Culling 'idle' kernel") >= PAGES
