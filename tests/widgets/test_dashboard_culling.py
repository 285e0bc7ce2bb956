"""Kernels do not pile up: the kernel behind a closed dashboard page is shut down (Voila's kernel culling).

Voila gives each page load a kernel of its own: the preheated one (``preheat_kernel``, which ran the
notebook before the request), then starts the next preheated kernel for the next page.  So one kernel,
the pool's, is always waiting; every other kernel belongs to an open page.  ``notebooks/voila.json``
(read by Voila when it runs in ``notebooks/``, and named by the README's command) turns on
jupyter_server's culler for kernels with no connection left; here the same server runs with short
timeouts given on the command line, which override the file's.  A kernel is counted as a running
``ipykernel`` process whose connection file lies in this server's connection folder (Voila standalone
serves no ``/api/kernels`` list).
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


def shipped_settings() -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((NOTEBOOKS / "voila.json").read_text(encoding="utf-8"))
    return settings


def shipped_culling() -> dict[str, Any]:
    return dict(shipped_settings()["MappingKernelManager"])


def pool_size() -> int:
    voila = shipped_settings().get("VoilaConfiguration", {})
    return int(voila.get("default_pool_size", 1)) if voila.get("preheat_kernel") else 0


def test_the_shipped_voila_settings_keep_one_kernel_preheated() -> None:
    assert pool_size() == 1, "one page's kernel is ready before its request; more would only hold memory"


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
    pool = pool_size()
    assert len(running_kernels(folder)) >= PAGES, "each open page has its kernel"
    time.sleep(IDLE_SECONDS + 2 * INTERVAL_SECONDS)
    with_pages = running_kernels(folder)
    assert len(with_pages) >= PAGES, "a page still open keeps its kernel, however idle"
    assert len(with_pages) <= PAGES + pool, "no kernel but the open pages' and the preheated one"
    for page in pages:
        page.close()
    deadline = time.monotonic() + IDLE_SECONDS + 10 * INTERVAL_SECONDS + 20
    while len(running_kernels(folder)) > pool and time.monotonic() < deadline:
        time.sleep(0.5)
    left = running_kernels(folder)
    assert len(left) <= pool, f"kernels still running after the pages closed: {left}; see {log}"
    assert set(left) <= set(with_pages), "the kernel left is the preheated one, waiting since the pages were open"
    assert log.read_text(encoding="utf-8").count("Culling 'idle' kernel") >= PAGES


def test_a_page_prepared_before_a_save_elsewhere_shows_the_saved_scenario(
    browser: Any, culling_server: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Preheating never shows an old state: the kernel waiting for the next page built its page before this save,
    so that page is built again for the request, and shows the scenario the shell's log lists too."""
    from crmselect.cli.app import main

    url, log = culling_server
    first, _ = open_dashboard(browser, url)
    try:
        first.get_by_role("tab", name="Scenarios").click()
        first.locator("input[placeholder='e.g. Sales view']").fill("Saved before the next page")
        first.locator("input[placeholder='why these weights']").fill("preheated pages must show it")
        first.get_by_role("button", name="Save weights").click()
        first.get_by_text("Saved Saved before the next page").wait_for(timeout=30_000)
    finally:
        first.close()
    second, _ = open_dashboard(browser, url)
    try:
        second.get_by_role("tab", name="Scenarios").click()
        saved = second.locator("option", has_text="Saved before the next page")  # in the scenario chooser
        saved.first.wait_for(state="attached", timeout=30_000)
    finally:
        second.close()
    selection = log.parent / "example"
    assert main(["log", str(selection)]) == 0
    assert "preheated pages must show it" in capsys.readouterr().out
