"""The ``crmselect`` command.  Every subcommand takes a selection folder (default: the shipped example).

Errors a user can fix are printed as a list of problems, never as a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from crmselect.errors import CrmSelectError
from crmselect.loaders import load_project

Handler = Callable[[argparse.Namespace], int]


def _cmd_validate(args: argparse.Namespace) -> int:
    project = load_project(args.dir)
    print(f"{project.root}: no problems found")
    for key, value in project.summary().items():
        print(f"  {key:<20} {value}")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from pydantic import BaseModel

    from crmselect.bids import Vendor
    from crmselect.model import CategoryFile, Committee, ComplianceScale, GoalThemesFile, Selection
    from crmselect.safeio import write_text_atomic

    schemas: dict[str, type[BaseModel]] = {
        "catalogue-category": CategoryFile, "goal-themes": GoalThemesFile, "compliance-scale": ComplianceScale,
        "goals": Selection, "vendor": Vendor, "committee": Committee,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in schemas.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"crmselect {name} file"
        path = out / f"{name}.schema.json"
        write_text_atomic(path, json.dumps(schema, indent=2, ensure_ascii=False) + "\n", overwrite=True)
        print(f"wrote {path}")
    return 0


def _args_dir(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("dir", nargs="?", default=None,
                     help="selection folder holding criteria/ and vendors/ (default: the shipped example)")


def _args_schema(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--out", default="schema", help="folder to write the schema files to")


# name -> (help, add_arguments, handler).  Add a command by adding one line here.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "validate": ("check every file of a selection and list all problems", _args_dir, _cmd_validate),
    "schema": ("write JSON Schema files for editors", _args_schema, _cmd_schema),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crmselect", description="Choose a CRM vendor by business goals.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command][2]
    try:
        return handler(args)
    except CrmSelectError as exc:
        print(f"crmselect {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"crmselect {args.command}: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
