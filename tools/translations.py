"""Keep the zh-CN catalogue in step with the source, safely when several people translate at once.

    .venv/bin/python tools/translations.py update               # extract the .pot, merge it into every .po
    .venv/bin/python tools/translations.py missing [PATH ...]   # msgids still untranslated (in files under PATH)
    .venv/bin/python tools/translations.py add FILE.yaml        # update, then set msgstr from {msgid: msgstr}

Every step holds one lock file beside the catalogues, so two translators never overwrite each other's
entries.  In ``add``, a plural entry's value is a list: [singular, plural...] as the language needs
(Chinese has one form).  Unknown msgids are reported, not added: run ``update`` after marking text in
the source.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "crmselect" / "locale"
POT = LOCALE / "crmselect.pot"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "crmselect.po"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
LOCK = FileLock(str(LOCALE / ".translations.lock"))


def _update() -> None:
    subprocess.run([PYBABEL, "extract", "-F", "babel.cfg", "-k", "Message", "-c", "TRANSLATORS:", "--project",
                    "crmselect", "--version", "0.1.0", "--no-wrap", "-o", str(POT.relative_to(ROOT)), "."],
                   cwd=ROOT, check=True, capture_output=True)
    subprocess.run([PYBABEL, "update", "-i", str(POT.relative_to(ROOT)), "-d", "crmselect/locale", "-D",
                    "crmselect", "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching"],
                   cwd=ROOT, check=True, capture_output=True)


def _missing(paths: list[str]) -> list[str]:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            where = [f for f, _ in message.locations]
            if not paths or any(any(f.startswith(p) for p in paths) for f in where):
                ident = message.id if isinstance(message.id, str) else message.id[0]
                out.append(f"{ident!r}  ({', '.join(sorted(set(where)))})")
    return out


def _add(path: Path) -> list[str]:
    wanted = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    unknown = []
    for msgid, text in wanted.items():
        message = catalogue.get(msgid)
        if message is None:
            found = [m for m in catalogue if isinstance(m.id, tuple) and m.id[0] == msgid]
            message = found[0] if found else None
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(message.id, tuple):
            forms = list(text) if isinstance(text, list) else [text]
            message.string = tuple(forms[: catalogue.num_plurals] or [""])
        else:
            message.string = text if isinstance(text, str) else text[0]
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalogue, width=0, ignore_obsolete=True)
    return unknown


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "missing", "add"):
        print(__doc__)
        return 2
    with LOCK:
        _update()
        if argv[0] == "missing":
            found = _missing(argv[1:])
            print("\n".join(found) or "every message is translated")
            return 1 if found else 0
        if argv[0] == "add":
            unknown = _add(Path(argv[1]))
            for msgid in unknown:
                print(f"not in the catalogue (mark it in the source, then run update): {msgid!r}")
            return 1 if unknown else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
