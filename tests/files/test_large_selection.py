"""A large selection from YAML on disk (benchmarks/synthetic.py writes it), cold and warm; the fast YAML
constructor pinned to PyYAML's; and problems deep in big files still named by file, line and field."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testdata import copy_minimal

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.files import cache as cache_module
from crmselect.files import yaml_lines
from crmselect.files.cache import CACHE_DIR, CACHE_SWITCH
from crmselect.scoring.engine import score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import large_project, write_large_selection  # noqa: E402

SIZE = (12, 150, 4)  # vendors x criteria x members: large enough for deep lines, quick enough for a test


@pytest.fixture(autouse=True)
def cache_on(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path_factory.mktemp("user-cache") / "parse-cache.key"
    monkeypatch.setattr(cache_module, "user_key_file", lambda: key)
    monkeypatch.delenv(CACHE_SWITCH, raising=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_selection(tmp_path_factory.mktemp("large") / "selection", *SIZE)


def _fresh(written: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "selection"
    shutil.copytree(written, target, ignore=shutil.ignore_patterns(CACHE_DIR))
    return target


def test_the_written_selection_loads_as_the_model_it_was_written_from(written: Path, tmp_path: Path) -> None:
    folder = _fresh(written, tmp_path)
    expected = large_project(*SIZE)
    cold = load_project(folder)
    warm = load_project(folder)
    assert warm == cold
    assert cold.vendors == expected.vendors
    assert cold.criteria == tuple(c.replace(category=cold.criterion(c.id).category) for c in expected.criteria)
    assert cold.committee.scores == expected.committee.scores
    assert cold.selection.goals == expected.selection.goals
    cards = [score(p, reveal_prices=False) for p in (cold, warm, expected)]
    assert cards[0].frame().equals(cards[1].frame())
    assert cards[0].frame().equals(cards[2].frame())


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


@pytest.mark.parametrize("warm", [False, True])
def test_a_bad_answer_deep_in_a_big_vendor_file_names_its_file_line_and_field(written: Path, tmp_path: Path,
                                                                             warm: bool) -> None:
    folder = _fresh(written, tmp_path)
    if warm:
        load_project(folder)  # every file cached; the edited one is then parsed again, the others are not
    bid = folder / "vendors" / "v007.yaml"
    text = bid.read_text(encoding="utf-8")
    deep = "  c00127: {value: "  # a number criterion, far down the file
    start = text.index(deep)
    end = text.index("}", start)
    text = text[:start] + "  c00127: {value: -5.0}" + text[end + 1:]
    bid.write_text(text.replace("  c00125: {code: ", "  c00125: {value: 2, code: ", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(folder)
    [issue] = caught.value.issues
    assert (issue.file, issue.field, issue.line, issue.code) == (
        "vendors/v007.yaml", "answers.c00125.value", _line_of(bid, "c00125:"), "code_and_value")
    assert issue.line is not None and issue.line > 100
    # the value out of range is a cross-file check: it needs the file to validate, so it shows once that is fixed
    bid.write_text(bid.read_text(encoding="utf-8").replace("{value: 2, code: ", "{code: "), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(folder)
    [issue] = caught.value.issues
    assert (issue.file, issue.field, issue.line, issue.code) == (
        "vendors/v007.yaml", "answers.c00127.value", _line_of(bid, "c00127:"), "out_of_range")
    assert issue.received == "-5"


def test_a_check_across_files_finds_lines_in_files_read_from_the_cache(written: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _fresh(written, tmp_path)
    load_project(folder)
    settings_file = folder / "selection.yaml"
    settings_file.write_text(settings_file.read_text(encoding="utf-8").replace("currency: EUR", "currency: USD"),
                             encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(folder)
    mixed = [i for i in caught.value.issues if i.code == "mixed_currency"]
    assert len(mixed) == SIZE[0]
    assert {(i.field, i.line) for i in mixed} == {("currency", _line_of(folder / "vendors" / "v000.yaml", "currency:"))}


def test_a_committee_edits_a_bid_and_the_command_line_shows_it(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_minimal(tmp_path / "minimal")
    assert main(["rank", str(folder)]) == 0
    assert (folder / CACHE_DIR).is_dir()
    assert "Acme Cloud CRM " in capsys.readouterr().out
    acme = folder / "vendors" / "acme.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace("name: Acme Cloud CRM", "name: Acme Nimbus"),
                    encoding="utf-8")
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["rank", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Acme Nimbus" in out and "Acme Cloud CRM" not in out


# ------------------------------------------------------------------ the fast constructor is PyYAML's
def _both(text: str) -> tuple[Any, Any]:
    """(fast data and size, or None; PyYAML's data and expanded size) of ``text`` composed once by libyaml."""
    fast = yaml_lines._compose_fast(text)
    assert fast is not None
    node, loader = fast
    plain = yaml_lines._construct_plain(node, loader)
    reference = (loader.construct_document(node), yaml_lines._expanded_count(node))
    loader.dispose()
    return (None if plain is None else plain[:2]), reference


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, width=64), st.text(max_size=12), st.dates(),
                    st.sampled_from(["yes", "no", "on", "0x1F", "1_000", "12:30", "~", ".inf", "2026-09-30", "="]))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 9)), inner,
                                                 max_size=5)), max_leaves=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.sampled_from([None, True, False]))
def test_the_fast_constructor_builds_what_pyyaml_builds(tree: Any, flow: bool | None) -> None:
    text = yaml.safe_dump({"data": tree}, default_flow_style=flow, allow_unicode=True)
    if yaml_lines._python_only(text):
        return
    fast, (data, size) = _both(text)
    assert fast is not None
    assert repr(fast) == repr((data, size))


@pytest.mark.parametrize("text", [
    "a: &x {b: 1}\nc: *x\n",  # an alias to a mapping: PyYAML shares it
    "a: &x [1]\nb: {<<: {c: 1}, d: 2}\n",  # a merge key
    "a: 2026-09-31\n",  # an impossible date: PyYAML's constructor reports it
    "a: =\n",
    "a: 1\na: 2\n",  # a repeated key: constructed, and flagged for the duplicate-key check
    "a: &s x\nb: *s\nc: *s\n",  # an alias to a scalar: counted each time, as the expanded size counts it
])
def test_the_fast_constructor_hands_back_what_it_does_not_build(text: str) -> None:
    fast = yaml_lines._compose_fast(text)
    assert fast is not None
    node, loader = fast
    plain = yaml_lines._construct_plain(node, loader)
    if text.startswith("a: 1\na: 2"):
        assert plain is not None and plain[0] == {"a": 2} and plain[2] is True
    elif text.startswith("a: &s"):
        assert plain is not None and plain[0] == {"a": "x", "b": "x", "c": "x"}
        assert plain[1] == yaml_lines._expanded_count(node)
    else:
        assert plain is None
    loader.dispose()
