"""The system-tool helper: a missing tool skips a test, or fails it when CI requires the tools."""

from __future__ import annotations

import pytest
from systemtools import REQUIRE_ENV, require


def test_present_tool_is_found() -> None:
    assert require("sh").endswith("sh")


def test_missing_tool_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tool-xyz is not installed"):
        require("no-such-tool-xyz")


def test_missing_tool_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="CRMSELECT_REQUIRE_SYSTEM_TOOLS=1 requires it"):
        require("no-such-tool-xyz")
