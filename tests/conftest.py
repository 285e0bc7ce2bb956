"""Shared test helpers: optional system tools and a Voila server.

Keep this file small and generic: every test module shares it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs Hypothesis derandomised (the same examples every run, so a landing never hangs on a
# lucky draw); a developer's run explores new examples and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The parse cache (crmselect.files.cache) is off for tests, so none writes into tests/data or the user's cache
# folder; tests/files/test_cache.py and test_large_selection.py switch it on with a key of their own.
os.environ.setdefault("CRMSELECT_CACHE", "0")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("CRMSELECT_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def voila_server(notebook: Path, log_path: Path, *, start_timeout: float = 90.0,
                 env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Iterator[str]:
    """Serve ``notebook`` with Voila on 127.0.0.1 at a free port; yield the base URL.

    Voila runs in the notebook's folder, so it reads the ``voila.json`` there; ``args`` are more options.

    Readiness is checked on ``/voila/static/voila.js``, which starts no kernel (``/`` would).
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "voila",
                notebook.name,
                "--no-browser",
                f"--port={port}",
                "--Voila.ip=127.0.0.1",
                "--show_tracebacks=True",
                *args,
            ],
            cwd=notebook.parent,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                        break
                except (urllib.error.URLError, OSError):
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"voila did not start; see {log_path}") from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@pytest.fixture(scope="session")
def dashboard_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the session's dashboard is launched on: two copies of the example, ``example`` and ``other``."""
    from testdata import copy_example

    root = tmp_path_factory.mktemp("selections")
    copy_example(root / "example")
    copy_example(root / "other")
    return root


@pytest.fixture(scope="session")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory, dashboard_root: Path) -> Iterator[str]:
    """``voila notebooks/05_dashboard.ipynb`` on 127.0.0.1 for the whole session, on a copy of the example.

    The root holds two selections, so the address must pick one (``?selection=example``), as a
    committee serving several selections from one dashboard would.
    """
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    env = {"CRMSELECT_SELECTION": str(dashboard_root), "CRMSELECT_MEMBER": "zhao_lei"}
    with voila_server(NOTEBOOKS / "05_dashboard.ipynb", log_path, env=env) as url:
        yield url
