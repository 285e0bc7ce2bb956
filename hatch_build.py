"""Wheel build hook: compile every message catalogue (``crmselect/locale/*/LC_MESSAGES/*.po``) to ``.mo``.

A wheel carries the compiled ``.mo`` files (and not the ``.po`` sources or the ``.pot`` template), so
an installed crmselect reads its translations without Babel's parser.  An editable install needs
no ``.mo``: ``crmselect.show.i18n`` compiles the source tree's ``.po`` in memory on first use.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        self._out = Path(tempfile.mkdtemp(prefix="crmselect-mo-"))
        root = Path(self.root)
        for po in sorted((root / "crmselect" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as stream:
                catalog = read_po(stream, domain=po.stem)
            mo = self._out / po.relative_to(root).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as stream:
                write_mo(stream, catalog, use_fuzzy=False)
            build_data["force_include"][str(mo)] = po.relative_to(root).with_suffix(".mo").as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
