"""``crmselect schema``: JSON Schema files so editors check the selection's YAML as it is typed."""

from __future__ import annotations

import argparse
import json
from typing import Any

from crmselect.cli.common import add_parents, checked_out, refuse_existing
from crmselect.show.i18n import _


def cmd_schema(args: argparse.Namespace) -> int:
    from pydantic import BaseModel

    from crmselect.files.safe_write import write_text_atomic
    from crmselect.model.bids import Vendor
    from crmselect.model.goals import CategoryFile, Committee, ComplianceScale, GoalThemesFile, Selection
    from crmselect.model.settings import SelectionSettings

    schemas: dict[str, type[BaseModel]] = {
        "selection": SelectionSettings, "catalogue-category": CategoryFile, "goal-themes": GoalThemesFile,
        "compliance-scale": ComplianceScale, "goals": Selection, "vendor": Vendor, "committee": Committee,
    }
    out = checked_out(args.out, suffix=None, parents=args.parents)  # the folder's parent must exist (or --parents)
    out.mkdir(exist_ok=True)
    refuse_existing([out / f"{name}.schema.json" for name in schemas], args.force)
    for name, model in schemas.items():
        schema = model.model_json_schema()
        if name == "goals":
            _without_moved_settings(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"crmselect {name} file"
        path = out / f"{name}.schema.json"
        write_text_atomic(path, json.dumps(schema, indent=2, ensure_ascii=False) + "\n", overwrite=args.force)
        print(_("wrote {path}").format(path=path))
    return 0


def _without_moved_settings(schema: dict[str, Any]) -> None:
    """goals.yaml no longer holds what moved to selection.yaml: its schema must not ask for it."""
    from crmselect.model.settings import MOVED_FROM_GOALS

    for path in MOVED_FROM_GOALS:
        holder = schema if len(path) == 1 else schema["$defs"]["Assumptions"]
        holder["properties"].pop(path[-1], None)
        if path[-1] in holder.get("required", []):
            holder["required"].remove(path[-1])


def args_schema(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--out", default="schema", help=_("folder to write the schema files to"))
    cmd.add_argument("--force", action="store_true", help=_("replace schema files written before"))
    add_parents(cmd)
