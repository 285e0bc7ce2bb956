"""Bilingual catalogue text: a plain string (English) or {en, zh-CN}, read as a str that knows its translations."""

from __future__ import annotations

import copy
import json
import pickle
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from testdata import DATA, copy_minimal

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.model.catalogue import CategoryFile, ComplianceCode, Criterion, GoalTheme
from crmselect.model.text import LocalText, local

BILINGUAL = DATA / "bilingual"


def bilingual_selection(tmp_path: Path) -> Path:
    """The minimal selection with the bilingual catalogue files of tests/data/bilingual laid over it."""
    root = copy_minimal(tmp_path / "selection")
    for source in BILINGUAL.rglob("*.yaml"):
        shutil.copyfile(source, root / source.relative_to(BILINGUAL))
    return root


# ---------------------------------------------------------------- the type
def test_local_text_is_its_english_text() -> None:
    text = LocalText("Opportunity management", {"zh-CN": "商机管理"})
    assert text == "Opportunity management" and str(text) == "Opportunity management"
    assert f"{text}!" == "Opportunity management!" and hash(text) == hash("Opportunity management")
    assert {text: 1}["Opportunity management"] == 1
    assert text.upper() == "OPPORTUNITY MANAGEMENT" and type(text.upper()) is str


def test_in_gives_the_translation_or_falls_back_to_english() -> None:
    text = LocalText("Opportunity management", {"zh-CN": "商机管理"})
    assert text.in_("zh-CN") == text.in_("zh_CN") == text.in_("zh") == "商机管理"
    assert text.in_("en") == "Opportunity management"
    assert LocalText("Work orders").in_("zh-CN") == "Work orders"
    assert text.locales == ("en", "zh-CN")
    assert text.as_mapping() == {"en": "Opportunity management", "zh-CN": "商机管理"}


def test_translations_count_in_equality_between_local_texts() -> None:
    one, other = LocalText("Cases", {"zh-CN": "工单"}), LocalText("Cases", {"zh-CN": "服务工单"})
    assert one != other and one == LocalText("Cases", {"zh-CN": "工单"}) and one == "Cases"
    with pytest.raises(TypeError):
        one.translations["zh-CN"] = "x"  # type: ignore[index]


def test_copies_and_pickles_keep_the_translations() -> None:
    text = local({"en": "Master data", "zh-CN": "主数据"})
    for again in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text), copy.copy(text)):
        assert again == text and again.in_("zh-CN") == "主数据"
    assert repr(text) == "LocalText('Master data', {'zh-CN': '主数据'})"


# ---------------------------------------------------------------- in the model
CRITERION = {"id": "SAL-001", "description": "d", "answer": "yes_no"}


def test_both_forms_validate_and_dump_as_written() -> None:
    plain = Criterion.model_validate({**CRITERION, "name": "Sales funnel"})
    both = Criterion.model_validate({**CRITERION, "name": {"en": "Sales funnel", "zh-CN": "销售漏斗"}})
    assert isinstance(plain.name, LocalText) and plain.name.in_("zh-CN") == "Sales funnel"
    assert both.name == "Sales funnel" and both.name.in_("zh-CN") == "销售漏斗"
    assert plain.model_dump(mode="json")["name"] == "Sales funnel"
    assert both.model_dump(mode="json")["name"] == {"en": "Sales funnel", "zh-CN": "销售漏斗"}
    assert both.replace(id="SAL-009").name.in_("zh-CN") == "销售漏斗"  # a changed copy keeps the Chinese
    assert both != plain  # the same English, different translations: a different criterion


def test_descriptions_default_to_empty_local_text() -> None:
    theme = GoalTheme(id="t", name="Theme")
    assert isinstance(theme.description, LocalText) and theme.description.in_("zh-CN") == ""


@pytest.mark.parametrize(
    ("name", "code", "field"),
    [({"en": "Funnel", "fr": "Entonnoir"}, "unknown_locale", ("fr",)), ({"zh-CN": "销售漏斗"}, "missing", ("en",)),
     ({"en": "Funnel", "zh-CN": ""}, "string_too_short", ("zh-CN",)), ({"en": 5}, "string_type", ("en",)),
     ("", "string_too_short", ()), (["Funnel"], "local_text_type", None)],
)
def test_bad_text_is_reported_at_the_language_at_fault(name: object, code: str, field: tuple[str, ...] | None) -> None:
    with pytest.raises(ValidationError) as caught:
        Criterion.model_validate({**CRITERION, "name": name})
    error = caught.value.errors()[0]
    assert error["type"] == code and error["loc"] == ("name",)
    if field is not None:
        assert error["ctx"]["field"] == field


def test_compliance_codes_and_categories_take_both_forms() -> None:
    code = ComplianceCode(code="X", label={"en": "Customisation", "zh-CN": "二次开发"}, value=0.35)  # type: ignore[arg-type]
    assert code.label == "Customisation" and code.label.in_("zh-CN") == "二次开发"
    assert code.description == "" and isinstance(code.description, LocalText)
    category = CategoryFile.model_validate({"category": "sales", "name": {"en": "Sales", "zh-CN": "销售管理"},
                                            "criteria": [{**CRITERION, "name": "n"}]})
    assert category.name.in_("zh-CN") == "销售管理"


# ---------------------------------------------------------------- through the loaders, the CLI and the schema
def test_a_bilingual_catalogue_loads_and_every_english_reader_is_unchanged(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    english = load_project(copy_minimal(tmp_path / "english"))
    project = load_project(bilingual_selection(tmp_path))
    names = {c.id: c.name for c in project.criteria}
    assert {k: str(v) for k, v in names.items()} == {c.id: str(c.name) for c in english.criteria}  # same English
    assert names["SAL-001"].in_("zh-CN") == "销售预测逐级汇总" and names["SAL-003"].in_("zh-CN") == names["SAL-003"]
    assert project.criterion("SAL-001").description.in_("zh-CN") == "销售经理沿销售组织逐级汇总团队的预测。"
    sales = next(c for c in project.categories if c.id == "sales")
    assert sales.name.in_("zh-CN") == "销售管理" and sales.description.in_("zh-CN") == "日常销售工作。"
    themes = {t.id: t for t in project.themes}
    assert themes["forecast_accuracy"].name.in_("zh-CN") == "提高销售预测准确率"
    assert project.scale.code("S").label.in_("zh-CN") == "标准功能" and project.scale.code("C").label.in_("zh-CN") == (
        "Configuration")
    root = project.root
    assert main(["rank", str(root)]) == 0 and "Sales" not in capsys.readouterr().err
    assert main(["questionnaire", str(root), "--vendor", "acme", "--out", str(tmp_path / "q.xlsx")]) == 0


def test_a_bad_language_key_in_a_file_is_an_issue_with_its_line(tmp_path: Path) -> None:
    root = bilingual_selection(tmp_path)
    path = root / "criteria" / "goal_themes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("zh-CN: 提高", "zh-TW: 提高"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(root)
    issue = next(i for i in caught.value.issues if i.code == "unknown_locale")
    assert "themes[0].name" in issue.field and issue.line == 3 and "zh-CN" in issue.allowed


def test_the_json_schema_describes_both_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schema"
    assert main(["schema", "--out", str(out)]) == 0
    capsys.readouterr()
    schemas = {name: json.loads((out / f"{name}.schema.json").read_text(encoding="utf-8"))
               for name in ("catalogue-category", "goal-themes", "compliance-scale")}
    name = schemas["catalogue-category"]["properties"]["name"]
    assert [form.get("type") for form in name["anyOf"]] == ["string", "object"]
    assert name["anyOf"][1]["required"] == ["en"] and set(name["anyOf"][1]["properties"]) == {"en", "zh-CN"}
    files = {"catalogue-category": "criteria/catalogue/01_sales.yaml", "goal-themes": "criteria/goal_themes.yaml",
             "compliance-scale": "criteria/compliance_scale.yaml"}
    for schema_name, rel in files.items():
        validator = jsonschema.Draft202012Validator(schemas[schema_name])
        for folder in (BILINGUAL, DATA / "minimal"):
            data = yaml.safe_load((folder / rel).read_text(encoding="utf-8"))
            assert not list(validator.iter_errors(data)), (folder, rel)
    validator = jsonschema.Draft202012Validator(schemas["goal-themes"])
    assert list(validator.iter_errors({"themes": [{"id": "t", "name": {"zh-CN": "只有中文"}}]}))
    assert list(validator.iter_errors({"themes": [{"id": "t", "name": {"en": "x", "fr": "y"}}]}))
    assert not list(validator.iter_errors({"themes": [{"id": "提高预测", "name": {"en": "x", "zh-CN": "提高"}}]}))
