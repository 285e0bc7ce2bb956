"""``crmselect init``: start a selection, copy a shipped example on purpose, or adopt an older folder.

A new selection validates at once: the catalogue copied from the package, a goals file with one
starter goal and guidance comments, an empty committee, no vendors yet (a note, not an error),
and ``selection.yaml``.  Examples and the catalogue are package data, so ``init`` works from an
installed wheel as well as from a checkout.

Adoption turns a folder made before ``selection.yaml`` existed into a selection and loses nothing:
the settings goals.yaml held move to ``selection.yaml``, the project loads to the same numbers, and
an existing decision log is kept and attested by one ``adopt`` entry.  Every value ``init`` had to
assume is reported, never silently chosen.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from crmselect.errors import InputError, Issue, Message
from crmselect.files.crosschecks import CATALOGUE_DIR, COMMITTEE_FILE, GOALS_FILE, SCALE_FILE, THEMES_FILE
from crmselect.files.safe_write import write_text_atomic
from crmselect.files.workspace import SELECTION_FILE, is_selection, needs_adopting, selection_lock
from crmselect.files.yaml_lines import load_plain
from crmselect.model.settings import MOVED_FROM_GOALS, SELECTION_FORMAT

DEFAULT_EXAMPLE = "en"
#: settings ``selection.yaml`` may hold beyond the required ones, written only when given or in the example
OPTIONAL_SETTINGS = ("jurisdiction", "require_domestic_stack", "ignore")
CATALOGUE_FILES = (CATALOGUE_DIR, THEMES_FILE, SCALE_FILE)


@dataclass(frozen=True)
class InitResult:
    """What ``init`` did: the folder, the files it wrote, and every value it had to assume."""

    folder: Path
    settings: dict[str, Any]
    written: tuple[str, ...]
    assumed: tuple[str, ...]
    example: str | None = None
    attested_head: tuple[int, str] | None = None
    problems: tuple[Issue, ...] = ()  # problems of the adopted selection that adoption neither made nor fixes


def data_root() -> Path:
    """Where the catalogue and the examples are: the installed package's data, or the checkout's root."""
    packaged = Path(str(resources.files("crmselect"))) / "_data"
    if (packaged / "criteria").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def examples() -> tuple[str, ...]:
    folder = data_root() / "examples"
    return tuple(sorted(p.name for p in folder.iterdir() if (p / "example.yaml").is_file())) if folder.is_dir() else ()


def _refuse(folder: Path, message: str, code: str, allowed: str, received: str) -> InputError:
    return InputError([Issue(str(folder), "", message, code=code, allowed=allowed, received=received)])


def render_settings(settings: dict[str, Any]) -> str:
    """``selection.yaml`` with a comment on every setting (strings quoted as JSON, which YAML reads back)."""
    text = json.dumps
    return "\n".join([
        "# crmselect selection: this file marks the folder as a selection and holds the settings all of it shares.",
        f"format: {settings['format']}",
        f"id: {settings['id']}     # ties decision_log.jsonl to this selection: never change or copy it",
        f"name: {text(settings['name'], ensure_ascii=False)}",
        f"company: {text(settings['company'], ensure_ascii=False)}",
        f"currency: {settings['currency']}          # three-letter code of every amount in goals and bids",
        f"locale: {settings['locale']}              # en | zh-CN: the language of every surface",
        f"as_of: {settings['as_of']}     # answers are judged at this date; the TCO's contract starts here",
        f"horizon_years: {settings['horizon_years']}         # years of running costs and benefits (3 to 10)",
        f"discount_rate_pct: {settings['discount_rate_pct']}    # discount rate of every NPV, % a year",
        f"price_method: {settings['price_method']}   # lowest_over_price | value_for_money | kept_apart",
        *_optional_settings(settings),
        "",
    ])


def _optional_settings(settings: dict[str, Any]) -> list[str]:
    """The settings an example may carry beyond the required ones: jurisdiction, a domestic stack, ignored codes."""
    text = json.dumps
    lines = []
    if "jurisdiction" in settings:
        lines.append(f"jurisdiction: {settings['jurisdiction']}   # international (SOC 2, ISO 27001) | cn (China: "
                     "MLPS, PIPL, data residency, ICP filing)")
    if "require_domestic_stack" in settings:
        flag = "true" if settings["require_domestic_stack"] else "false"
        lines.append(f"require_domestic_stack: {flag}   # cn only: chip, OS, database, middleware on domestic products")
    if settings.get("ignore"):
        lines.append("ignore:   # check codes the committee leaves out everywhere, each with its reason")
        for entry in settings["ignore"]:
            code, why = (entry, "") if isinstance(entry, str) else (entry["code"], entry.get("reason", ""))
            lines.append(f"  - code: {code}")
            if why:
                lines.append(f"    reason: {text(why, ensure_ascii=False)}")
    return lines


def _new_settings(given: dict[str, Any], fallback: dict[str, Any], assumed: list[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {"format": SELECTION_FORMAT, "id": uuid.uuid4().hex}
    for key in ("name", "company", "currency", "locale", "as_of", "horizon_years", "discount_rate_pct",
                "price_method"):
        if given.get(key) is not None:
            settings[key] = given[key]
        else:
            settings[key] = fallback[key]
            if key in fallback.get("_said_aloud", ()):
                assumed.append(f"{key}: {fallback[key]} (change it in {SELECTION_FILE})")
    for key in OPTIONAL_SETTINGS:  # an example's jurisdiction, domestic stack and ignored codes come along
        if given.get(key) is not None:
            settings[key] = given[key]
        elif key in fallback:
            settings[key] = fallback[key]
    return settings


def _check_empty_target(folder: Path, force: bool) -> None:
    if is_selection(folder):
        raise _refuse(folder, Message("is already a selection; init never replaces one"), "already_a_selection",
                      Message("a new or empty folder"), Message("{file} present", file=SELECTION_FILE))
    if needs_adopting(folder):
        raise _refuse(folder, Message("holds a selection made before {file} existed: adopt it with "
                                      "`crmselect init {folder} --adopt`", file=SELECTION_FILE, folder=str(folder)),
                      "needs_adopting", Message("a new or empty folder"), "criteria/ and vendors/")
    if folder.is_file():
        raise _refuse(folder, Message("is a file"), "not_a_folder", Message("a new or empty folder"), Message("a file"))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        listing = ", ".join(sorted(p.name for p in folder.iterdir())[:8])
        raise _refuse(folder, Message("is not empty; init writes only into a new or empty folder (use --force to "
                                      "write beside what is there)"), "folder_not_empty",
                      Message("a new or empty folder"), listing)


def _copy_catalogue(source: Path, folder: Path, written: list[str]) -> None:
    for rel in CATALOGUE_FILES:
        src, dst = source / rel, folder / rel
        if src.is_dir():
            for path in sorted(src.glob("*.yaml")):
                write_text_atomic(dst / path.name, path.read_text(encoding="utf-8"), overwrite=True)
                written.append(f"{rel}/{path.name}")
        else:
            write_text_atomic(dst, src.read_text(encoding="utf-8"), overwrite=True)
            written.append(rel)


def init_selection(folder: str | Path, *, example: str | None = None, force: bool = False,
                   **given: Any) -> InitResult:
    """Create a selection in ``folder`` (new or empty; ``force`` writes beside other files).

    ``example`` copies a shipped example (see :func:`examples`); otherwise the selection starts with
    the catalogue, a starter goal, an empty committee and no vendors.  ``given`` may set any setting
    of ``selection.yaml`` (name, company, currency, locale, as_of, horizon_years, discount_rate_pct,
    price_method); what is not given is taken from the example, or assumed and reported.
    """
    target = Path(folder)
    _check_empty_target(target, force)
    root = data_root()
    assumed: list[str] = []
    written: list[str] = []
    if example is not None:
        if example not in examples():
            raise _refuse(target, Message("asks for an example that is not shipped: {example}", example=example),
                          "unknown_example", ", ".join(examples()) or Message("none installed"), example)
        spec_dir = root / "examples" / example
        fallback = load_plain((spec_dir / "example.yaml").read_text(encoding="utf-8"))
        goals_text = _first_file(spec_dir, root, GOALS_FILE).read_text(encoding="utf-8")
        vendor_dir = spec_dir / "vendors" if (spec_dir / "vendors").is_dir() else root / "vendors"
    else:
        fallback = {"name": target.resolve().name, "company": target.resolve().name, "currency": "USD",
                    "locale": "en", "as_of": dt.date.today().isoformat(), "horizon_years": 5,
                    "discount_rate_pct": 8, "price_method": "lowest_over_price",
                    "_said_aloud": ("name", "company", "currency", "locale", "as_of", "horizon_years",
                                    "discount_rate_pct", "price_method")}
        goals_text = (Path(__file__).with_name("starter_goals.yaml")).read_text(encoding="utf-8")
        vendor_dir = None
    settings = _new_settings(given, fallback, assumed)
    target.mkdir(parents=True, exist_ok=True)
    with selection_lock(target):
        _copy_catalogue(root, target, written)
        write_text_atomic(target / GOALS_FILE, goals_text, overwrite=True)
        written.append(GOALS_FILE)
        if vendor_dir is not None:
            for path in sorted(vendor_dir.glob("*.yaml")):
                write_text_atomic(target / "vendors" / path.name, path.read_text(encoding="utf-8"), overwrite=True)
                written.append(f"vendors/{path.name}")
        else:
            write_text_atomic(target / COMMITTEE_FILE, EMPTY_COMMITTEE, overwrite=True)
            written.append(COMMITTEE_FILE)
        write_text_atomic(target / SELECTION_FILE, render_settings(settings), overwrite=force)
        written.append(SELECTION_FILE)
        if not (target / ".gitignore").exists():  # for committees that keep their selection in git
            write_text_atomic(target / ".gitignore", GITIGNORE)
            written.append(".gitignore")
    return InitResult(target, settings, tuple(written), tuple(assumed), example)


def _first_file(spec_dir: Path, root: Path, rel: str) -> Path:
    own = spec_dir / rel
    return own if own.is_file() else root / rel


GITIGNORE = """\
# crmselect: the lock file is only held while a command writes; exports are regenerated from the selection
.crmselect.lock
exports/
"""

EMPTY_COMMITTEE = """\
# The selection committee and its scores of the scripted vendor demos.
# - members: everyone who scores, e.g.  - {id: wang_fang, name: Wang Fang, role: sales}
#   (roles: sales, marketing, service, it, finance, executive_sponsor, procurement, project_manager)
# - scenarios: the scripted demos, each feeding one DEMO-xxx criterion of the catalogue, e.g.
#   - {id: S01, name: Regional pipeline review, criterion: DEMO-001, script: "..."}
# - scores: member -> vendor -> scenario -> 0 to 5 in half steps (write them with `crmselect scoresheet`
#   and bring them back with `crmselect import-scores`).
members: []
scenarios: []
scores: {}
"""


# ---------------------------------------------------------------------------- adoption
def moved_settings(goals_data: dict[str, Any]) -> dict[str, Any]:
    """The selection-wide settings an old goals.yaml held, under their ``selection.yaml`` names."""
    found: dict[str, Any] = {}
    for path, key in MOVED_FROM_GOALS.items():
        holder: Any = goals_data
        for step in path:
            holder = holder.get(step) if isinstance(holder, dict) else None
        if holder is not None:
            found[key] = holder.isoformat() if isinstance(holder, dt.date) else holder
    return found


def strip_moved_lines(text: str) -> str:
    """goals.yaml without the one-line settings that moved to ``selection.yaml`` (comments and order kept)."""
    top = {path[0] for path in MOVED_FROM_GOALS if len(path) == 1}
    nested = {path[1] for path in MOVED_FROM_GOALS if len(path) == 2}
    out: list[str] = []
    in_assumptions = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0 and stripped and not stripped.startswith("#"):
            in_assumptions = stripped.startswith("assumptions:")
            if stripped.split(":", 1)[0] in top:
                continue
        elif in_assumptions and stripped.split(":", 1)[0] in nested and not stripped.startswith("#"):
            continue
        out.append(line)
    return "".join(out)


# What goals.yaml meant when it left a moved setting out (the old model's defaults).
_OLD_DEFAULTS = {"horizon_years": 5, "discount_rate_pct": 10.0}


def adopt_files(folder: str | Path, **given: Any) -> InitResult:
    """Write ``selection.yaml`` for a folder made before it existed; move goals.yaml's settings into it.

    ``given`` may supply settings goals.yaml did not hold (name, company, currency, locale, as_of ...).
    The new goals.yaml must parse to the old one minus the moved keys, and the selection must load;
    otherwise both files are put back as they were and the problems are raised.
    """
    from crmselect.files.loaders import load_project

    target = Path(folder)
    if not needs_adopting(target):
        state = (Message("is already a selection") if is_selection(target)
                 else Message("has no criteria/ and vendors/ to adopt"))
        raise _refuse(target, Message("{state}; --adopt is for folders made before {file} existed", state=state,
                                      file=SELECTION_FILE),
                      "nothing_to_adopt", Message("a folder with criteria/ and vendors/ but no selection.yaml"), state)
    goals_path = target / GOALS_FILE
    old_text = goals_path.read_text(encoding="utf-8")
    old_data = load_plain(old_text)
    if not isinstance(old_data, dict):
        raise _refuse(goals_path, Message("is not a mapping of goals; fix it before adopting"), "invalid_goals",
                      Message("a YAML mapping"), type(old_data).__name__)
    found = moved_settings(old_data)
    missing = [key for key in ("name", "company", "currency") if key not in found and given.get(key) is None]
    if missing:
        raise _refuse(goals_path, Message("does not say the selection's {keys}: pass {options} to `crmselect init "
                                          "--adopt`", keys=", ".join(missing),
                                          options=" ".join(f"--{key} ..." for key in missing)),
                      "missing_setting", Message("name, company and currency"), Message("none"))
    assumed: list[str] = []
    fallback: dict[str, Any] = {"locale": "en", "price_method": "lowest_over_price",
                                "as_of": dt.date.today().isoformat(), **found}
    said = ["locale", "price_method", "as_of"]
    for key, value in _OLD_DEFAULTS.items():
        if key not in found:
            fallback[key] = value
            said.append(key)
    fallback["_said_aloud"] = tuple(k for k in said if k not in found)
    settings = _new_settings(given, fallback, assumed)
    new_text = strip_moved_lines(old_text)
    expected = {k: v for k, v in old_data.items() if k not in {p[0] for p in MOVED_FROM_GOALS if len(p) == 1}}
    if isinstance(expected.get("assumptions"), dict):
        expected["assumptions"] = {k: v for k, v in expected["assumptions"].items()
                                   if ("assumptions", k) not in MOVED_FROM_GOALS}
    if load_plain(new_text) != expected:
        raise _refuse(goals_path, Message("holds a moved setting that spans several lines; move name, company, "
                                          "currency, horizon_years, discount_rate_pct and start_date to "
                                          "selection.yaml by hand"),
                      "cannot_move", Message("one-line settings"), Message("a multi-line setting"))
    remaining: tuple[Issue, ...] = ()
    with selection_lock(target):
        write_text_atomic(target / SELECTION_FILE, render_settings(settings))
        try:
            write_text_atomic(goals_path, new_text, overwrite=True)
            load_project(target)
        except InputError as exc:
            ours = [i for i in exc.issues if i.file == SELECTION_FILE or i.code == "moved_setting"]
            if ours:
                _put_back(target, goals_path, old_text)
                raise
            remaining = tuple(exc.issues)
        except BaseException:
            _put_back(target, goals_path, old_text)
            raise
    return InitResult(target, settings, (SELECTION_FILE, GOALS_FILE), tuple(assumed), problems=remaining)


def _put_back(target: Path, goals_path: Path, old_text: str) -> None:
    write_text_atomic(goals_path, old_text, overwrite=True)
    (target / SELECTION_FILE).unlink(missing_ok=True)
