"""The set-at-once answer checks of large selections, pinned to the answer-by-answer checks they stand in for.

``check_vendors`` and ``check_answer_ranges`` clear a whole answer set with C-level reads
(:class:`crmselect.files.crosschecks._AnswerKinds`, :class:`crmselect.files.sanity._Ranges`) and walk it answer by
answer only when something is wrong.  So each fast test must say "clean" exactly when the walk finds nothing; and a
selection on disk with problems gives the same issues (file, line, field, message) with the fast tests as with the
walk alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_fixtures import compliance, computed, demo, number, scale, vendor, yes_no

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import Issue
from crmselect.files import crosschecks, sanity
from crmselect.files.yaml_lines import YamlDocument
from crmselect.model.bids import Answer
from crmselect.model.goals import ComplianceScale, Criterion
from crmselect.model.ids import nfc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_large_selection  # noqa: E402

LINEAR = {"kind": "linear", "worst": 0, "best": 100}
CATALOGUE: dict[str, Criterion] = {
    "c1": compliance("c1"), "c2": compliance("c2"),
    "n1": number("n1", LINEAR, unit="%"), "n2": number("n2", LINEAR, unit="days"),
    "y1": yes_no("y1"), "d1": demo("d1"), "k1": computed("k1"),
}
IDS = [*CATALOGUE, "ghost"]  # "ghost" is in no catalogue
DATES = st.none() | st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))
ANSWERS = (st.builds(lambda c, d: Answer(code=c, available=d), st.sampled_from(["S", "C", "F", "N", "Q"]), DATES)
           | st.builds(lambda v: Answer(value=v), st.booleans() | st.floats(-50, 150, allow_nan=False)))
ANSWER_SETS = st.dictionaries(st.sampled_from(IDS), ANSWERS, max_size=len(IDS))
SCALES = st.sampled_from([scale(), None])


def walk(given_answers: dict[str, Answer], scale_: ComplianceScale | None,
         unchecked: frozenset[str] | None = frozenset()) -> list[tuple[Any, ...]]:
    """What the answer-by-answer check reports about one answer set."""
    found: list[tuple[Any, ...]] = []
    letters = frozenset(scale_.letters) if scale_ is not None else frozenset()
    dated = frozenset(c.code for c in scale_.codes if c.needs_date) if scale_ is not None else frozenset()
    crosschecks._check_answers(["answers"], given_answers, CATALOGUE, scale_, letters, dated, unchecked,
                               lambda *problem: found.append(problem))
    return found


def kinds(scale_: ComplianceScale | None) -> crosschecks._AnswerKinds:
    letters = frozenset(scale_.letters) if scale_ is not None else frozenset()
    dated = frozenset(c.code for c in scale_.codes if c.needs_date) if scale_ is not None else frozenset()
    return crosschecks._AnswerKinds.of(CATALOGUE, scale_, letters, dated)


@settings(max_examples=400)
@given(ANSWER_SETS, SCALES)
def test_an_answer_set_is_clean_exactly_when_the_walk_finds_nothing(given_answers: dict[str, Answer],
                                                                   scale_: ComplianceScale | None) -> None:
    assert kinds(scale_).clean(given_answers) == (walk(given_answers, scale_) == [])


@given(ANSWER_SETS, SCALES)
def test_a_set_answering_an_unreadable_criterion_is_walked_and_the_walk_stays_quiet(
        given_answers: dict[str, Answer], scale_: ComplianceScale | None) -> None:
    # "ghost" failed its own validation (already reported): the walk says nothing more about it; the fast
    # test only ever sends such a set to the walk, never calls it clean on its own
    if "ghost" in given_answers:
        assert not kinds(scale_).clean(given_answers)
    assert all(problem[0] != ["answers", "ghost"] for problem in walk(given_answers, scale_, frozenset({"ghost"})))


def test_each_kind_of_problem_makes_a_set_unclean() -> None:
    good = {"c1": Answer(code="S"), "c2": Answer(code="F", available=dt.date(2027, 1, 1)),
            "n1": Answer(value=50.0), "y1": Answer(value=True)}
    assert kinds(scale()).clean(good)
    for cid, wrong in [("c1", Answer(code="Q")), ("c1", Answer(value=1.0)), ("c2", Answer(code="F")),
                       ("n1", Answer(code="S")), ("n1", Answer(value=True)), ("y1", Answer(value=1.0)),
                       ("y1", Answer(code="S")), ("d1", Answer(value=3.0)), ("k1", Answer(value=0.5)),
                       ("ghost", Answer(code="S"))]:
        assert not kinds(scale()).clean({**good, cid: wrong}), (cid, wrong)
        assert walk({**good, cid: wrong}, scale()) != []


class _Lines(YamlDocument):
    """A document whose issues need no YAML: the path is the field, there is no line."""

    def __init__(self) -> None:
        super().__init__("vendors/x.yaml", {})

    def issue(self, path: Any, message: str, code: str, allowed: str, received: object) -> Any:
        return (tuple(path), message, code, allowed, received)


@settings(max_examples=300)
@given(ANSWER_SETS)
def test_answers_are_in_range_exactly_when_the_walk_finds_nothing(given_answers: dict[str, Answer]) -> None:
    found: list[Any] = []
    sanity._check_ranges(["answers"], given_answers, CATALOGUE, _Lines(), found)
    assert sanity._Ranges.of(CATALOGUE).hold(given_answers) == (found == [])


@given(st.text(max_size=20))
def test_text_is_normalised_as_before(text: str) -> None:
    from crmselect.model.frozen import _nfc

    assert _nfc(text) == nfc(text)
    assert _nfc(5) == 5


@given(st.recursive(st.integers() | st.text(max_size=3),
                    lambda inner: st.dictionaries(st.text(max_size=3), inner, max_size=4), max_leaves=12))
def test_freezing_copies_every_mapping_all_the_way_down(tree: Any) -> None:
    from crmselect.model.frozen import FrozenDict, _freeze

    def plain(value: Any) -> Any:  # what _freeze did before its flat fast path
        return FrozenDict({k: plain(v) if isinstance(v, dict) else v for k, v in value.items()})

    def shape(value: Any) -> Any:
        if isinstance(value, dict):
            return (type(value).__name__, [(k, shape(v)) for k, v in value.items()])
        return value

    if isinstance(tree, dict):
        assert shape(_freeze(tree)) == shape(plain(tree))


# ------------------------------------------------------------------ on disk, through the command line
def _plain_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every answer set walked answer by answer, as before the fast tests."""
    monkeypatch.setattr(crosschecks._AnswerKinds, "clean", lambda self, given_answers: False)
    monkeypatch.setattr(sanity._Ranges, "hold", lambda self, given_answers: False)


def _whole(issue: Issue) -> tuple[Any, ...]:
    """Every field of an issue, and how it reads."""
    return (*dataclasses.astuple(issue), str(issue))


def _issues(folder: Path) -> tuple[Issue, ...]:
    with pytest.raises(InputError) as caught:
        load_project(folder)
    return caught.value.issues


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_selection(tmp_path_factory.mktemp("large") / "selection", 8, 120, 3)


def test_a_committee_edits_bids_and_validate_names_each_problem_as_the_plain_walk_does(
        large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "selection"
    shutil.copytree(large, folder)
    assert main(["validate", str(folder)]) == 0
    bid = folder / "vendors" / "v003.yaml"
    lines = bid.read_text(encoding="utf-8").splitlines()

    def replace(prefix: str, answer: str) -> None:
        index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        lines[index] = prefix + " " + answer

    compliance_ids = [line.split(":")[0].strip() for line in lines if "{code:" in line]
    number_ids = [line.split(":")[0].strip() for line in lines if "{value:" in line and "true" not in line
                  and "false" not in line]
    yes_no_ids = [line.split(":")[0].strip() for line in lines if "{value: true}" in line or "{value: false}" in line]
    replace(f"  {compliance_ids[3]}:", "{code: Q}")  # not on the scale
    replace(f"  {compliance_ids[5]}:", "{value: 2.5}")  # a number for a compliance criterion
    replace(f"  {number_ids[2]}:", "{value: -4.0}")  # below the sensible range
    replace(f"  {number_ids[4]}:", "{code: S}")  # a code for a number criterion
    replace(f"  {yes_no_ids[1]}:", "{value: 7.0}")  # a number for a yes/no criterion
    lines.insert(lines.index("answers:") + 1, "  nosuch: {code: S}")
    bid.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["validate", str(folder)]) != 0
    shown = capsys.readouterr()
    fast = _issues(folder)
    text = bid.read_text(encoding="utf-8").splitlines()
    expected = {
        ("answers.nosuch", "unknown_criterion"), (f"answers.{compliance_ids[3]}.code", "unknown_code"),
        (f"answers.{compliance_ids[5]}.value", "wrong_answer_type"),
        (f"answers.{number_ids[2]}.value", "out_of_range"), (f"answers.{number_ids[4]}", "wrong_answer_type"),
        (f"answers.{yes_no_ids[1]}", "wrong_answer_type"),
    }
    assert {(issue.field, issue.code) for issue in fast} == expected
    for issue in fast:
        assert issue.file == "vendors/v003.yaml"
        cid = issue.field.split(".")[1]
        assert issue.line is not None and text[issue.line - 1].startswith(f"  {cid}:")
        assert f"line {issue.line}" in shown.out + shown.err
    _plain_only(monkeypatch)
    assert [_whole(issue) for issue in _issues(folder)] == [_whole(issue) for issue in fast]


def test_a_linked_answer_removed_is_missed_as_the_plain_walk_misses_it(large: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "selection"
    shutil.copytree(large, folder)
    project = load_project(folder)
    linked = [cid for cid in project.linked_criteria if project.criterion(cid).answer.value != "committee_score"]
    bid = folder / "vendors" / "v001.yaml"
    kept = [line for line in bid.read_text(encoding="utf-8").splitlines()
            if not any(line.startswith(f"  {cid}:") for cid in (linked[4], linked[1]))]
    bid.write_text("\n".join(kept) + "\n", encoding="utf-8")
    fast = _issues(folder)
    assert [(issue.field, issue.code) for issue in fast] == [
        (f"answers.{cid}", "missing_answer") for cid in sorted((linked[1], linked[4]))]
    _plain_only(monkeypatch)
    assert [_whole(issue) for issue in _issues(folder)] == [_whole(issue) for issue in fast]


@given(ANSWER_SETS, st.dates(dt.date(2024, 1, 1), dt.date(2030, 1, 1)))
def test_past_promises_are_noted_in_answer_order_as_before(answers: dict[str, Answer], as_of: dt.date) -> None:
    scale_ = scale()
    notes = sanity.past_promises([(vendor("v1", answers), _Lines())], scale_, as_of)
    before = [cid for cid, answer in answers.items()  # the loop the C-level read replaced
              if answer.code == "F" and answer.available is not None and answer.available < as_of]
    assert [note[0] for note in notes] == [("answers", cid, "available") for cid in before]
    assert [note[-1] for note in notes] == [str(answers[cid].available) for cid in before]
