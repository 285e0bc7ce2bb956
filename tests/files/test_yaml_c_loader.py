"""libyaml's C parser (the fast path of ``read_yaml``) gives what PyYAML's pure-Python parser gives:
the same data, the same node tree with the same lines, and the same issues for broken files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmselect.errors import Issue
from crmselect.files import yaml_lines
from crmselect.files.loaders import load_project
from crmselect.files.yaml_lines import YamlDocument, read_yaml

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _tree(node: yaml.Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.start_mark.line)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, node.start_mark.line, [_tree(item) for item in node.value])
    return ("mapping", node.tag, node.start_mark.line, [(_tree(k), _tree(v)) for k, v in node.value])


def _read_both(tmp: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    path = tmp / "bid.yaml"
    path.write_text(text, encoding="utf-8")
    outcomes = []
    for parser in (yaml_lines._C_PARSER, None):
        with monkeypatch.context() as patch:
            patch.setattr(yaml_lines, "_C_PARSER", parser)
            issues: list[Issue] = []
            doc = read_yaml(path, "vendors/bid.yaml", issues)
            outcomes.append((None if doc is None else (repr(doc.data), _tree(doc.node)), [repr(i) for i in issues]))
    return outcomes[0], outcomes[1]


LINES = [
    "id: acme", "name: 'Acme: CRM'", "answers:", "  c1: {code: S}", "  c2:", "    value: 12.5", "    note: x #c",
    "  - 1", "- [a, b]", "valid_until: 2026-09-30", "valid_until: 2026-09-31", "a: &x {b: 1}", "c: *x",
    "d: *missing", "e: |", "  text", "f: >-", "  folded", "g: yes", "h: null", "i: ~", "j: 0x1F", "k: 1_000",
    "l: 12:30", "m: \"esc \\u00e9\"", "n: 中文", "o: a: b", "p: [1,", "q: 'it''s'", "id: again", "  bad indent: 1",
    "r: ? x", "s: !!str 3", "t: !x y", "u:\tv", "---", "...", "# comment", "", "w: \"unterminated", "x: {a: 1, a: 2}",
    "y: -1e3", "z: .inf", "aa: @x", "bb: |#", "cc: 2026-01-02T10:00:00Z",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_fast_and_plain_parsers_agree_on_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 lines: list[str], newline: str) -> None:
    fast, plain = _read_both(tmp_path, newline.join(lines) + newline, monkeypatch)
    assert fast == plain


@pytest.mark.parametrize("text", [
    "a: 1\n\tb: 2\n",  # a tab: PyYAML refuses it, libyaml would not
    "a:\tb\n",
    "? [a, b]\n: 1\n",  # a complex key
    "a: b: c\n",  # libyaml words its errors differently: PyYAML's words are kept
    "a: 2026-09-31\n",  # an impossible date, located
    "a: " + "[" * 150 + "]" * 150 + "\n",  # deeper than the fast path takes
    "a: " + "[" * 2000 + "]" * 2000 + "\n",  # deeper than libyaml takes
    "a: &a [*a]\n",  # refers to itself
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)),  # 10^7 values
    "a: 1\nb:\n  - x\n  - y: 1\n    y: 2\n",  # a duplicate key
    "a: \ufeffb\n",
    "a: b\u2028c: d\n",
])
def test_fast_and_plain_parsers_agree_on_awkward_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      text: str) -> None:
    fast, plain = _read_both(tmp_path, text, monkeypatch)
    assert fast == plain


def test_a_broken_bid_names_file_line_and_field_on_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("id: acme\nname: Acme\nvalid_until: 2026-09-31\nanswers:\n  c1: {code: S}\n  c1: {code: C}\n",
                    encoding="utf-8")
    assert yaml_lines._compose_fast(path.read_text(encoding="utf-8")) is not None  # libyaml reads this file
    issues: list[Issue] = []
    assert read_yaml(path, "vendors/acme.yaml", issues) is None
    assert [(i.file, i.line, i.field, i.code) for i in issues] == [("vendors/acme.yaml", 3, "valid_until",
                                                                     "bad_value")]
    path.write_text("id: acme\nanswers:\n  c1: {code: S}\n  c1: {code: C}\n", encoding="utf-8")
    assert read_yaml(path, "vendors/acme.yaml", issues) is None
    assert (issues[-1].line, issues[-1].field, issues[-1].code) == (4, "answers.c1", "duplicate_key")
    path.write_text("id: acme\nanswers:\n  c1:\n    code: S\n    note: [1, 2]\n", encoding="utf-8")
    doc = read_yaml(path, "vendors/acme.yaml", issues)
    assert isinstance(doc, YamlDocument)
    assert doc.line(["answers", "c1", "note", 1]) == 5 and doc.field(["answers", "c1", "note"]) == "answers.c1.note"


@pytest.mark.parametrize("example", ["en", "zh"])
def test_every_shipped_file_takes_the_fast_path_and_loads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   example: str) -> None:
    from crmselect.files.init import init_selection

    folder = init_selection(tmp_path / "example", example=example).folder
    files = sorted(folder.rglob("*.yaml"))
    assert files and all(yaml_lines._compose_fast(f.read_text(encoding="utf-8")) is not None for f in files)
    fast = load_project(folder)
    monkeypatch.setattr(yaml_lines, "_C_PARSER", None)
    plain = load_project(folder)
    assert repr(fast) == repr(plain) and len(repr(fast)) > 10_000


def _outcome(load: Any, text: str) -> tuple[str, str]:
    try:
        return "data", repr(load(text))
    except (yaml.YAMLError, ValueError) as exc:  # an impossible date is PyYAML's ValueError
        return type(exc).__name__, str(exc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_load_plain_is_safe_load(lines: list[str], newline: str) -> None:
    """``load_plain`` (files read without line numbers: the rules' words, files being rewritten) gives what
    ``yaml.safe_load`` gives, data or error, to the character."""
    text = newline.join(lines) + newline
    assert _outcome(yaml_lines.load_plain, text) == _outcome(yaml.safe_load, text)


@pytest.mark.parametrize("text", [
    "a: 1\n\tb: 2\n", "a:\tb\n", "? [a, b]\n: 1\n", "a: b: c\n", "a: 2026-09-31\n",
    "a: " + "[" * 150 + "]" * 150 + "\n", "a: &a [*a]\n", "a: \ufeffb\n", "a: b\u2028c: d\n", "",
])
def test_load_plain_is_safe_load_on_awkward_text(text: str) -> None:
    assert _outcome(yaml_lines.load_plain, text) == _outcome(yaml.safe_load, text)


def test_load_plain_reads_every_shipped_yaml_file_as_safe_load() -> None:
    shipped = sorted((ROOT / "crmselect").rglob("*.yaml")) + sorted((ROOT / "criteria").rglob("*.yaml"))
    assert any(path.name == "rules.yaml" for path in shipped)
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        assert yaml_lines.load_plain(text) == yaml.safe_load(text), path
