"""The message catalogues: the template is up to date with the source, every zh-CN string is there, the
placeholders survive translation, and the wheel carries compiled catalogues that an installed crmselect reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from crmselect.errors import InputError, Issue, Message
from crmselect.show.i18n import LOCALE_DIR, N_, _, current, ngettext, translator, using

ROOT = Path(__file__).resolve().parents[1]
POT = LOCALE_DIR / "crmselect.pot"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "crmselect.po"
KEYWORDS: dict[str, Any] = {**DEFAULT_KEYWORDS, "Message": None}  # babel.cfg's note: `-k Message`
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
UPDATE = ("the catalogue is out of date; see README, Developer notes: pybabel extract ... && pybabel update ..., "
          "then translate")


def _key(message: Any) -> tuple[str | None, str]:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, ident


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream)


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str | None, str]]:
    """Every message in the source now, extracted as `pybabel extract -F babel.cfg -k Message` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def test_the_template_holds_every_message_of_the_source(extracted: set[tuple[str | None, str]]) -> None:
    template = {_key(m) for m in _catalogue(POT) if m.id}
    assert extracted - template == set(), UPDATE
    assert template - extracted == set(), UPDATE


def test_every_message_has_a_zh_cn_translation(extracted: set[tuple[str | None, str]]) -> None:
    catalogue = _catalogue(PO)
    translated = {_key(m): m for m in catalogue if m.id}
    missing = sorted(str(k) for k in extracted if k not in translated)
    assert missing == [], UPDATE
    fuzzy = sorted(str(k) for k, m in translated.items() if k in extracted and m.fuzzy)
    assert fuzzy == [], "fuzzy entries are never used: check and unmark them"
    empty = sorted(str(k) for k, m in translated.items()
                   if k in extracted and not all(m.string if isinstance(m.string, tuple) else [m.string]))
    assert empty == [], "empty zh-CN strings"


def test_translations_keep_the_placeholders() -> None:
    """A translation may move a placeholder but neither drop one nor invent one (``format`` would fail)."""
    for message in _catalogue(PO):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        allowed = {p for ident in ids for p in PLACEHOLDER.findall(ident)}
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            assert found <= allowed, (message.id, string)
            assert set(PLACEHOLDER.findall(ids[-1])) <= found, (message.id, string)


def test_acronyms_stay_as_they_are() -> None:
    for message in _catalogue(PO):
        source = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else message.string[0]
        for acronym in ("TCO", "SLA", "NPV", "ROI", "AHP", "SMAA", "CRM", "ID"):
            if re.search(rf"\b{acronym}\b", source):
                assert acronym in string, (source, string)


def test_the_language_is_a_context_english_by_default() -> None:
    assert current().language == "en", "importing crmselect sets no language"
    assert _("wrote {path}") == "wrote {path}"
    with using("zh-CN") as chinese:
        assert _("wrote {path}").format(path="a.xlsx") == "已写入 a.xlsx"
        assert ngettext("{count} problem found in the input", "{count} problems found in the input", 3) \
            == "输入中发现 {count} 个问题"
        assert chinese is translator("zh_cn") is current()
        with using("en"):
            assert _("goal") == "goal"
        assert _("goal") == "目标"
    assert current().language == "en"
    assert N_("goal") == "goal"


def test_an_issue_renders_in_the_surface_language() -> None:
    issue = Issue("vendors/acme.yaml", "sla.uptime_pct", Message("Input should be less than or equal to {le}", le=100),
                  line=41, allowed=">= 0", received="100.5")
    assert str(issue) == ("vendors/acme.yaml line 41: sla.uptime_pct: Input should be less than or equal to 100 "
                          "(allowed: >= 0; received: 100.5)")
    chinese = translator("zh-CN")
    assert issue.render(chinese) == ("vendors/acme.yaml 第 41 行：sla.uptime_pct：输入应小于或等于 100"
                                     "（允许：>= 0；实际：100.5）")
    plain = Issue("a.yaml", "", "an English sentence from a loader")
    assert plain.render(chinese) == "a.yaml：an English sentence from a loader", "a plain str stays as written"
    error = InputError([issue, plain])
    assert error.render(chinese, chinese.ngettext).startswith("输入中发现 2 个问题：\n  - vendors/acme.yaml 第 41 行")
    assert str(error).startswith("2 problems found in the input:\n  - vendors/acme.yaml line 41")


def test_validation_templates_translate_with_their_parameters(tmp_path: Path) -> None:
    from crmselect.files.validation import describe_field
    from crmselect.model.bids import Offer

    described = describe_field(Offer, ["deployment"])
    assert described == "one of saas, on_premise, hosted"
    assert isinstance(described, Message)
    assert described.render(translator("zh-CN")) == "以下之一：saas, on_premise, hosted"


@pytest.mark.timeout(180)
def test_the_wheel_carries_compiled_catalogues_an_installed_crmselect_reads(tmp_path: Path) -> None:
    out = tmp_path / "wheel"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", str(out)],
        capture_output=True, text=True, timeout=150, check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("crmselect-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "crmselect/locale/zh_CN/LC_MESSAGES/crmselect.mo" in names
        assert not any(n.endswith((".po", ".pot")) for n in names), "sources stay out of the wheel"
        archive.extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    probe = ("import crmselect.show.i18n as i; t = i.translator('zh-CN'); "
             "print(i.__file__); print(t.gettext('goal'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, word = result.stdout.splitlines()[:2]
    assert Path(module).is_relative_to(tmp_path / "site")
    assert word == "目标"


CALL = re.compile(r"""(?<![\w.])_\((["'])((?:(?!\1)[^\\\n])+)\1\)""")


def test_every_literal_the_code_translates_is_in_the_catalogue() -> None:
    """A ``_("...")`` the extractor cannot see (inside an f-string's braces, say) would stay English on every
    surface: each one-literal call in the package must name a message of the template."""
    known = {ident for _context, ident in map(_key, _catalogue(POT)) if ident}
    missing = []
    for path in sorted((ROOT / "crmselect").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in CALL.finditer(line):
                if match.group(2) not in known:
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {match.group(2)!r}")
    assert not missing, "translated in code but not in the catalogue (move it out of the f-string):\n" + \
        "\n".join(missing)
