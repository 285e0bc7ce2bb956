"""Ids: NFC Unicode (letters of any script, digits, _ and -), ids made from names, file and sheet names (issue 15)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from crmselect.model.goals import Member
from crmselect.model.ids import (
    ID_MAX,
    SHEET_FORBIDDEN,
    SHEET_MAX,
    derive_id,
    file_name,
    id_problem,
    is_id,
    nfc,
    sheet_name,
    sheet_names,
)


@pytest.mark.parametrize("good", ["acme", "红帆医疗crm", "王丽", "m-sales", "SAL_001", "Müller", "२०२६", "हिन्दी"])
def test_ids_of_any_script_are_accepted(good: str) -> None:
    assert is_id(good)
    assert Member(id=good, name=good, role="sales").id == good


@pytest.mark.parametrize(
    ("bad", "why"),
    [("a.b", "'.' (U+002E full stop) at position 2"), ("王 丽", "a space at position 2"), ("-x", "starts with"),
     ("_x", "starts with"), ("红帆，医疗", "U+FF0C"), ("", "is empty"), ("a" * (ID_MAX + 1), "more than 80"),
     ("🚀crm", "starts with")],
)
def test_other_characters_are_refused_saying_which_and_where(bad: str, why: str) -> None:
    problem = id_problem(bad)
    assert problem is not None and why in problem
    with pytest.raises(ValidationError):
        Member(id=bad, name="x", role="sales")


def test_the_error_says_what_an_id_may_hold() -> None:
    with pytest.raises(ValidationError) as caught:
        Member(id="a.b", name="x", role="sales")
    error = caught.value.errors()[0]
    assert error["type"] == "string_pattern_mismatch"
    assert "letters of any script" in error["ctx"]["expected"] and "position 2" in error["msg"]


def test_two_spellings_of_one_id_are_one_id() -> None:
    composed, decomposed = "josé", unicodedata.normalize("NFD", "josé")
    assert composed != decomposed
    assert Member(id=decomposed, name=decomposed, role="sales") == Member(id=composed, name=composed, role="sales")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("红帆医疗CRM", "红帆医疗crm"), ("红帆医疗", "红帆医疗"), ("Acme Corp.", "acme-corp"),
     ("Nova CRM 新星", "nova-crm-新星"), ("  云岚·CRM（华东）", "云岚-crm-华东"), ("Ｆｕｌｌ宽", "ｆｕｌｌ宽"),
     ("a_b", "a_b"), ("__x__", "x")],
)
def test_ids_made_from_names_keep_chinese_letters(name: str, expected: str) -> None:
    derived = derive_id(name)
    assert derived is not None and derived.id == expected and not derived.shortened and derived.note == ""


def test_a_name_with_no_letter_or_digit_makes_no_id() -> None:
    assert derive_id("！？ …") is None and derive_id("🚀") is None


def test_a_long_name_is_shortened_with_a_stable_hash_and_says_so() -> None:
    one, two = derive_id("供应商" * 40 + "甲"), derive_id("供应商" * 40 + "乙")
    assert one is not None and two is not None
    assert len(one.id) == ID_MAX and one.shortened and "shortened" in one.note
    assert one.id != two.id and one.id[:-7] == two.id[:-7]  # same start, different hash
    assert derive_id("供应商" * 40 + "甲") == one


def test_file_names() -> None:
    assert file_name("红帆医疗crm") == "红帆医疗crm.yaml"
    assert file_name("王丽", prefix="scores_", suffix=".xlsx") == "scores_王丽.xlsx"
    assert file_name("con") == "con_.yaml" and file_name("LPT1") == "LPT1_.yaml"
    long = file_name("\U00020000" * ID_MAX)  # four-byte letters (CJK extension B): 320 bytes
    assert len(long.encode("utf-8")) <= 255 and long.endswith(".yaml")


def test_sheet_names() -> None:
    assert sheet_name("AHP 王丽") == "AHP 王丽"
    assert sheet_name("a/b:c*d?[e]\\") == "a_b_c_d__e__"
    assert sheet_name("'quoted'") == "quoted"
    assert sheet_name("history") != "history"
    assert sheet_name("Scores", taken=["scores"]) != "Scores"
    long = sheet_name("AHP " + "华东区域销售总监" * 5)
    assert len(long) == SHEET_MAX and long.startswith("AHP 华东区域") and long[-7] == "~"
    names = sheet_names(["AHP " + "x" * 40, "AHP " + "x" * 41, "AHP " + "x" * 40])
    assert len(names) == 2 and len(set(names.values())) == 2


# ---------------------------------------------------------------- properties
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@given(texts)
def test_nfc_is_idempotent(text: str) -> None:
    once = nfc(text)
    assert nfc(once) == once
    assert nfc(unicodedata.normalize("NFD", text)) == once


@given(texts)
def test_a_derived_id_is_always_a_valid_id(text: str) -> None:
    derived = derive_id(text)
    if derived is not None:
        assert is_id(derived.id), derived
        assert derive_id(derived.id) is not None


def _excel_valid(name: str) -> bool:
    units = len(name.encode("utf-16-le")) // 2
    return (0 < units <= SHEET_MAX and not set(name) & SHEET_FORBIDDEN and not name.startswith("'")
            and not name.endswith("'") and name.casefold() != "history")


@given(st.lists(st.text(max_size=50), max_size=8), st.lists(st.text(max_size=40), max_size=4))
def test_sheet_names_are_always_valid_unique_and_short_enough(texts_: list[str], taken: list[str]) -> None:
    names = sheet_names(texts_, taken=taken)
    assert set(names) == set(texts_)
    chosen = list(names.values())
    assert all(_excel_valid(name) for name in chosen), chosen
    folded = [name.casefold() for name in chosen]
    assert len(set(folded)) == len(folded)
    assert not set(folded) & {t.casefold() for t in taken}
    assert sheet_names(texts_, taken=taken) == names  # stable


@given(st.text(min_size=1, max_size=120))
def test_a_sheet_name_that_fits_is_kept(text: str) -> None:
    name = sheet_name(text)
    if _excel_valid(text) and nfc(text) == text and text.isprintable():  # unprintable characters become _
        assert name == text
