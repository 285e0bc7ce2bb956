"""Optional system tools in tests: skip when missing, fail when CI requires them.

``require("soffice")`` returns the tool's path.  When the tool is missing the test is skipped,
unless ``CRMSELECT_REQUIRE_SYSTEM_TOOLS=1`` (set by ``.ci/run``), in which case it fails, so CI
can never pass by skipping the LibreOffice checks.  Any test module may use it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_ENV = "CRMSELECT_REQUIRE_SYSTEM_TOOLS"
INSTALL_HINT = {
    "soffice": "apt-get install -y --no-install-recommends libreoffice-calc",
    "chromium": "apt-get install -y --no-install-recommends chromium",
    "/usr/bin/chromium": "apt-get install -y --no-install-recommends chromium",
}


def required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def require(binary: str) -> str:
    """The full path of ``binary`` (a name on PATH or a path); skip the test when it is missing, or fail
    when it is required."""
    found = shutil.which(binary)
    if found is None and Path(binary).is_file() and os.access(binary, os.X_OK):
        found = binary
    if found is not None:
        return found
    message = f"{binary} is not installed ({INSTALL_HINT.get(binary, 'install it with apt-get')})"
    if required():
        pytest.fail(f"{message}; {REQUIRE_ENV}=1 requires it")
    pytest.skip(message)
    raise AssertionError("unreachable")  # pragma: no cover
