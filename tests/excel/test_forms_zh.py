"""The workbooks vendors and committee members fill in, in zh-CN: written in Chinese, read back exactly.

A zh-CN form records its language and sheet names in its hidden ``_crmselect`` sheet; the import
reads its headers, 是/否, the bid form's choice labels and the weighting method's label in that
language, and reports problems in the CLI's language with sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from partyforms import IMPLEMENTER, copy_inputs, differs_from_defaults, full_party, partnered, write_vendor
from testdata import copy_example

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.excel.bidform_write import HEADER_ROW as BID_HEADER
from crmselect.excel.bidform_write import KEY, VALUE
from crmselect.excel.goals_book import FIRST_PAIR, export_goals_workbook
from crmselect.excel.goals_import import import_goals
from crmselect.excel.questionnaire import ANSWER, AVAILABLE, HEADER_ROW, export_questionnaire
from crmselect.excel.questionnaire_import import import_answers, read_answers
from crmselect.excel.scoresheet import export_scoresheet
from crmselect.excel.scoresheet_import import import_scores
from crmselect.files.loaders import ROUNDS_DIR
from crmselect.model.catalogue import number_range
from crmselect.model.goals import AnswerKind
from crmselect.model.project import Project
from crmselect.show.i18n import translator

ZH = "zh-CN"
EXAMPLE_VENDORS = ("brightquill", "cirrolan", "ferrowell", "harbourline", "jadeport")
VENDOR, VENDOR_ID = "红帆医疗CRM", "红帆医疗crm"
MEMBER = "王丽"
#: a SaaS offer as a Chinese bid manager fills it in: the drop-downs' Chinese labels, 是/否
HONGFAN_SAAS: dict[str, Any] = {
    "deployment": "SaaS 订阅", "edition": "红帆云 企业版", "pricing.subscription_per_user_month": 380,
    "pricing.subscription_discount_pct": 12, "pricing.term_years": 3, "pricing.renewal_cap_pct": 5,
    "implementation.claimed_go_live_days": 150, "implementation.services_cost": 600000,
    "implementation.services_days": 400, "implementation.services_day_rate": 1500,
    "implementation.pricing_model": "固定总价", "implementation.phases.1": ("需求调研", 30, "业务蓝图"),
    "implementation.phases.2": ("系统配置", 250, None), "sla.commitment": "有赔付承诺", "sla.uptime_pct": 99.9,
    "sla.support_hours": "7×24 小时", "sla.credits.1": (99.9, 10), "sla.credits.2": (99.0, 25),
    "sla.response_hours.sev1": 1, "sla.certifications.mlps3": "是", "sla.certifications.iso27001": "是",
    "contract.data_export_on_exit": "是", "contract.export_window_days": 60, "contract.auto_renewal": "否",
}
#: what a zh-CN workbook may show in Latin letters besides the selection's own data
ALLOWED_WORDS = {
    "AHP", "API", "CRM", "CSV", "DIR", "ERP", "FTE", "ID", "IT", "KPI", "KPIs", "NPV", "ROC", "RPO", "RTO", "SaaS",
    "SLA", "TCO", "SOC", "Type", "ISO", "IEC", "II", "Excel", "xlsx", "crmselect", "import", "goals", "member",
    "from", "validate", "import-goals", "Saaty", "Barron", "Barrett", "Aczel", "true-up", "max", "USD", "CNY",
    "AAA", "AA", "BBB", "BB", "CCC",  # credit ratings: the agencies' letter scale, the same in every language
    "ICP",  # ICP备案号: the filing number's name in Chinese too
}


def zh_selection(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "example")
    settings = root / "selection.yaml"
    settings.write_text(re.sub(r"(?m)^locale: en\b", "locale: zh-CN", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    settings_ = load_project(root).settings
    assert settings_ is not None and settings_.locale == ZH
    return root


def sheet_of(path: Path, role: str) -> str:
    """A sheet's name as the workbook records it in its metadata."""
    ws = openpyxl.load_workbook(path)["_crmselect"]
    return next(ws.cell(r, 3).value for r in range(1, ws.max_row + 1)
                if ws.cell(r, 1).value == "sheet" and ws.cell(r, 2).value == role)


def answer_all(path: Path, project: Project, answers: dict[str, Any]) -> None:
    """Answer every asked criterion: ``answers`` where given, else a valid answer in the form's words."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_of(path, "questionnaire")]
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        cid = ws.cell(row, 1).value
        if not cid:
            continue
        criterion = project.criterion(cid)
        if cid in answers:
            value = answers[cid]
        elif criterion.answer is AnswerKind.compliance:
            value = "S"
        elif criterion.answer is AnswerKind.yes_no:
            value = "是"
        else:
            low, high = number_range(criterion)
            value = low if high is None else (low + high) / 2
        if isinstance(value, tuple):
            value, date = value
            ws.cell(row, AVAILABLE).value = date
        ws.cell(row, ANSWER).value = value
    wb.save(path)


def fill_offer(path: Path, sheet: str, values: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    rows = {ws.cell(r, KEY).value: r for r in range(BID_HEADER + 1, ws.max_row + 1) if ws.cell(r, KEY).value}
    for key, value in values.items():
        for offset, part in enumerate(value if isinstance(value, tuple) else (value,)):
            ws.cell(rows[key], VALUE + offset).value = part
    wb.save(path)


def first(project: Project, kind: AnswerKind) -> str:
    return next(c.id for c in project.criteria if c.answer is kind and c.id in set(project.linked_criteria))


# ---------------------------------------------------------------------------- (1) a new Chinese vendor
def test_a_new_chinese_vendor_returns_a_whole_bid_in_chinese(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = zh_selection(tmp_path)
    out = tmp_path / "红帆.xlsx"
    assert main(["questionnaire", str(root), "--vendor", VENDOR, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"红帆医疗CRM [{VENDOR_ID}]" in printed and "已写入" in printed
    assert openpyxl.load_workbook(out).sheetnames == ["说明", "问卷", "报价方案1", "报价方案2", "报价方案3",
                                                      "_crmselect"]
    project = load_project(root)
    code_f, yes_no, number = (first(project, k) for k in (AnswerKind.compliance, AnswerKind.yes_no,
                                                            AnswerKind.number))
    low, _high = number_range(project.criterion(number))
    answer_all(out, project, {code_f: ("F", dt.datetime(2027, 6, 30)), yes_no: "否", number: low})
    fill_offer(out, "报价方案1", HONGFAN_SAAS)
    assert main(["import-answers", str(root), "--from", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "新建的报价方案" in printed and f"{VENDOR_ID}-saas" in printed
    vendor = load_project(root).vendor(VENDOR_ID)  # the selection loads: the vendor validates
    assert vendor.name == VENDOR
    answer = vendor.answers[code_f]
    assert (answer.code, answer.available) == ("F", dt.date(2027, 6, 30))
    assert vendor.answers[yes_no].value is False and vendor.answers[number].value == low
    (offer,) = vendor.offers
    assert offer.id == f"{VENDOR_ID}-saas" and offer.deployment.value == "saas" and offer.edition == "红帆云 企业版"
    assert offer.implementation.pricing_model.value == "fixed_price"
    assert offer.sla.commitment.value == "financially_backed" and offer.sla.support_hours.value == "24x7"
    assert [c.value for c in offer.sla.certifications] == ["iso27001", "mlps3"]
    assert offer.contract.auto_renewal is False and offer.contract.data_export_on_exit is True
    assert [p.name for p in offer.implementation.phases] == ["需求调研", "系统配置"]
    # exported again, in Chinese, the vendor's answers and offer come back filled in: importing changes nothing
    again = tmp_path / "again.xlsx"
    assert main(["questionnaire", str(root), "--vendor", VENDOR, "--out", str(again)]) == 0
    ws = openpyxl.load_workbook(again)["报价方案1"]
    shown = {ws.cell(r, KEY).value: ws.cell(r, VALUE).value for r in range(BID_HEADER + 1, ws.max_row + 1)}
    assert shown["deployment"] == "SaaS 订阅" and shown["sla.certifications.mlps3"] == "是"
    assert main(["import-answers", str(root), "--from", str(again), "--force"]) == 0
    capsys.readouterr()
    assert load_project(root).vendor(VENDOR_ID) == vendor


# ---------------------------------------------------------------------------- (2) every shipped vendor
@pytest.mark.parametrize("vendor_id", EXAMPLE_VENDORS)
def test_every_shipped_vendor_round_trips_through_a_chinese_bid_form(vendor_id: str, tmp_path: Path) -> None:
    project = load_project(zh_selection(tmp_path))
    vendor = project.vendor(vendor_id)
    target = project.root / "vendors" / f"{vendor_id}.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, vendor_id, tmp_path / "q.xlsx", language=ZH)
    got = read_answers(path, project)
    assert got.answers == dict(vendor.answers)
    assert got.bid.offers == vendor.offers
    result = import_answers(path, project, force=True)
    assert result.unchanged and result.offers_unchanged == tuple(o.id for o in vendor.offers)
    assert target.read_text(encoding="utf-8") == before


def test_partners_and_the_round_survive_a_chinese_bid_form(tmp_path: Path) -> None:
    """Every field of both partners (their own SLA and contract too) and the offer round: written in Chinese,
    read back, typed into a new vendor's Chinese form with Chinese choice labels, imported to YAML and loaded."""
    root = zh_selection(tmp_path)
    old = load_project(root).vendor("harbourline")
    host = full_party("杭州钱塘数据港有限公司", "AA", "over_250m")
    assert differs_from_defaults(host) == []
    vendor = old.replace(round=2, offers=(partnered(old.offers[0], full_party(IMPLEMENTER), host),))
    target = root / "vendors" / "harbourline.yaml"
    (root / ROUNDS_DIR).mkdir(parents=True)
    shutil.copy(target, root / ROUNDS_DIR / "harbourline.r1.yaml")
    write_vendor(target, vendor)
    project = load_project(root)
    path = export_questionnaire(project, "harbourline", tmp_path / "q.xlsx", language=ZH)
    ws = openpyxl.load_workbook(path)["报价方案1"]
    assert ws["A3"].value == "贵方报价的第2轮（仅供参考，不可在此修改）"
    shown = {ws.cell(r, KEY).value: (ws.cell(r, 1).value, ws.cell(r, VALUE).value)
             for r in range(BID_HEADER + 1, ws.max_row + 1)}
    assert shown["partners.hosting.name"] == ("托管合作伙伴：合作伙伴公司名称", "杭州钱塘数据港有限公司")
    assert shown["partners.hosting.revenue_band"][1] == "2.5亿以上"
    assert shown["partners.hosting.sla.support_hours"][1] == "5×24 小时"  # the Chinese label, not "24x5"
    got = read_answers(path, project)
    assert got.bid.round == 2 and got.bid.offers == vendor.offers
    assert import_answers(path, project, force=True).unchanged

    new = export_questionnaire(project, VENDOR, tmp_path / "new.xlsx", language=ZH, offer_sheets=1)
    copy_inputs(path, "报价方案1", new, "报价方案1", id=None)
    fill_offer(new, "报价方案1", {"partners.implementation.revenue_band": "1000万至5000万",  # typed in Chinese
                                 "partners.implementation.sla.certifications.iso27001": "否"})
    answer_all(new, project, {})
    result = import_answers(new, project)
    assert result.created
    (offer,) = load_project(root).vendor(VENDOR_ID).offers
    expected = vendor.offers[0].partners
    assert offer.partners.hosting == expected.hosting.model_copy(update={"sla": expected.hosting.sla.model_copy(
        update={"certifications": tuple(sorted(expected.hosting.sla.certifications,
                                               key=lambda c: ["soc2_type2", "soc2_type1", "iso27001", "iso27017",
                                                              "iso27018", "mlps3"].index(c.value)))})})
    implementer = offer.partners.implementation
    assert implementer is not None and implementer.revenue_band is not None
    assert implementer.revenue_band.value == "10m_50m" and implementer.references_checked == (
        "Fjord Foods AS", "Kiel Pumps AG", "Bergen Bank")
    assert implementer.sla is not None and [c.value for c in implementer.sla.certifications] == ["soc2_type2", "mlps3"]


# ---------------------------------------------------------------------------- (3) score sheets
def add_member(root: Path, member_id: str, name: str) -> None:
    path = root / "vendors" / "committee.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["members"].append({"id": member_id, "name": name, "role": "service"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_chinese_members_score_sheet_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = zh_selection(tmp_path)
    add_member(root, MEMBER, MEMBER)
    sheet = tmp_path / "王丽.xlsx"
    assert main(["scoresheet", str(root), "--member", MEMBER, "--out", str(sheet)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(sheet)
    assert wb.sheetnames == ["说明", "评分", "_crmselect"]
    ws = wb["评分"]
    assert ws["A1"].value.startswith("演示评分表：王丽（客服）")
    project = load_project(root)
    first_vendor = project.vendors[0]
    ws.cell(6, 4).value, ws.cell(6, 5).value = 4.5, "演示流畅，工单流转清楚"
    wb.save(sheet)
    assert main(["import-scores", str(root), "--from", str(sheet)]) == 0
    assert "已更新" in capsys.readouterr().out
    committee = load_project(root).committee
    scenario = committee.scenario_ids[0]
    assert committee.scores[MEMBER][first_vendor.id][scenario] == 4.5
    assert committee.notes[MEMBER][first_vendor.id][scenario] == "演示流畅，工单流转清楚"
    again = tmp_path / "again.xlsx"
    export_scoresheet(load_project(root), MEMBER, again, language=ZH)
    result = import_scores([again], load_project(root))
    assert result.unchanged


# ---------------------------------------------------------------------------- (4) the goals workbook
def test_the_chinese_goals_workbook_round_trips_and_takes_ahp(tmp_path: Path) -> None:
    root = zh_selection(tmp_path)
    project = load_project(root)
    path = export_goals_workbook(project, tmp_path / "goals.xlsx", language=ZH)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["说明", "目标", "KPI", "关联"] and "AHP 委员会" in wb.sheetnames
    assert wb["目标"]["B4"].value == "直接打分"
    before = (root / "criteria" / "goals.yaml").read_text(encoding="utf-8")
    result = import_goals(path, project)
    assert result.unchanged
    assert (root / "criteria" / "goals.yaml").read_text(encoding="utf-8") == before
    # the committee switches to AHP: the method's Chinese label, and every pair judged on its sheet
    ws = wb["目标"]
    ws["B4"].value = "AHP 两两比较判断"
    ids = project.selection.goal_ids
    pairs = [(ids[i], ids[j]) for j in range(1, len(ids)) for i in range(j)]
    ahp = wb["AHP 委员会"]
    for k, (a, b) in enumerate(pairs):
        ahp.cell(FIRST_PAIR + k, 3).value, ahp.cell(FIRST_PAIR + k, 4).value = (a, 2) if k % 2 else (b, 3)
    wb.save(path)
    result = import_goals(path, project)
    assert not result.unchanged and result.method
    selection = load_project(root).selection
    assert selection.weighting.value == "ahp" and len(selection.judgments["committee"]) == len(pairs)


# ---------------------------------------------------------------------------- (5) no English interface text
def _data_strings(root: Path) -> set[str]:
    """Every text of the selection's own files (not the bilingual catalogue): data, shown as written."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                found.add(str(key))
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)
        elif isinstance(item, str):
            found.add(item)

    for path in root.rglob("*.yaml"):
        if "catalogue" in path.parts or path.name in ("compliance_scale.yaml", "goal_themes.yaml"):
            continue
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {text for text in found if len(text) > 1}


def _texts(path: Path, skip_columns: dict[str, int]) -> Iterator[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title == "_crmselect":
            continue
        yield ws.title, ws.title
        skip = skip_columns.get("bid") if ws.title.startswith("报价方案") else None
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or cell.column == skip:
                    continue
                if cell.data_type == "f":
                    for literal in re.findall(r'"((?:[^"]|"")*)"', cell.value):
                        yield f"{ws.title}!{cell.coordinate}", literal
                else:
                    yield f"{ws.title}!{cell.coordinate}", cell.value
        for dv in ws.data_validations.dataValidation:
            for part in (dv.prompt, dv.promptTitle, dv.error, dv.errorTitle,
                         dv.formula1 if dv.type == "list" and (dv.formula1 or "").startswith('"') else None):
                if part:
                    yield f"{ws.title} validation {dv.sqref}", part
        footer = ws.oddFooter.center.text if ws.oddFooter is not None and ws.oddFooter.center is not None else ""
        if footer:
            yield f"{ws.title} footer", footer


def english_left(path: Path, data: set[str], ids: set[str]) -> list[tuple[str, str]]:
    """The texts of ``path`` with a Latin word that is no acronym, id, single letter or part of the selection's data."""
    found = []
    for where, text in _texts(path, {"bid": KEY}):
        shown = [item for item in data if item in text]
        words = [w for w in re.findall(r"[A-Za-z]+(?:['-][A-Za-z]+)*", text)
                 if w not in ALLOWED_WORDS and w not in ids and len(w) > 1 and not any(w in item for item in shown)]
        if words:
            found.append((where, text))
    return found


def test_no_english_interface_text_in_any_chinese_workbook(tmp_path: Path) -> None:
    root = zh_selection(tmp_path)
    add_member(root, MEMBER, MEMBER)
    project = load_project(root)
    files = [
        export_questionnaire(project, "jadeport", tmp_path / "q.xlsx", language=ZH),
        export_questionnaire(project, VENDOR, tmp_path / "new.xlsx", language=ZH),
        export_questionnaire(project, "jadeport", tmp_path / "o.xlsx", language=ZH,
                             offer=project.vendor("jadeport").offers[0].id),
        export_goals_workbook(project, tmp_path / "g.xlsx", language=ZH),
        export_scoresheet(project, MEMBER, tmp_path / "s.xlsx", language=ZH),
    ]
    catalogue = [*(t for c in project.criteria for t in (c.name, c.description)), *(c.name for c in project.categories),
                 *(t for c in project.scale.codes for t in (c.label, c.description))]
    data = _data_strings(root) | {project.selection.company, project.selection.name, VENDOR} | {
        text.in_(ZH) for text in catalogue}  # the catalogue's own Chinese (product names such as Outlook)
    ids = {*project.criterion_ids, *(v.id for v in project.vendors), *project.selection.goal_ids,
           *(o.id for v in project.vendors for o in v.offers), *project.committee.member_ids,
           *project.committee.scenario_ids, *project.scale.letters}
    ids |= {part for item in list(ids) for part in re.split(r"[-_]", item)}
    problems = [(path.name, where, text) for path in files for where, text in english_left(path, data, ids)]
    assert problems == [], "\n".join(map(str, problems[:40]))


def test_the_check_finds_english_in_an_english_workbook(tmp_path: Path) -> None:
    """The check above is not blind: the same workbook in English is full of English words."""
    root = zh_selection(tmp_path)
    project = load_project(root)
    path = export_questionnaire(project, "jadeport", tmp_path / "en.xlsx", language="en")
    found = english_left(path, _data_strings(root), set(project.criterion_ids))
    assert len(found) > 100 and any(where == "Questionnaire" for where, _text in found)


# ---------------------------------------------------------------------------- (6) hostile workbooks
def test_a_hostile_chinese_questionnaire_is_reported_in_chinese_by_sheet_and_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = zh_selection(tmp_path)
    project = load_project(root)
    path = export_questionnaire(project, "jadeport", tmp_path / "q.xlsx", language=ZH)
    number = first(project, AnswerKind.number)
    yes_no = first(project, AnswerKind.yes_no)
    wb = openpyxl.load_workbook(path)
    ws = wb["问卷"]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    ws.cell(rows[number], ANSWER).value = "=1+1"  # a formula where a value belongs
    ws.cell(rows[yes_no], ANSWER).value = "Maybe"
    offer = wb["报价方案1"]
    keys = {offer.cell(r, KEY).value: r for r in range(BID_HEADER + 1, offer.max_row + 1) if offer.cell(r, KEY).value}
    offer.cell(keys["sla.uptime_pct"], VALUE).value = 120  # out of range
    offer.cell(keys["sla.support_hours"], VALUE).value = "全天"  # not a choice
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_answers(path, project)
    found = {(i.field, i.code) for i in caught.value.issues}
    uptime = f"报价方案1!{offer.cell(keys['sla.uptime_pct'], VALUE).coordinate}"
    assert {(f"问卷!G{rows[number]}", "formula"), (f"问卷!G{rows[yes_no]}", "invalid_yes_no"),
            (uptime, "out_of_range")} <= found
    text = caught.value.render(translator(ZH).gettext, translator(ZH).ngettext)
    assert "含有公式；请直接填写数值" in text and "不是“是”或“否”" in text and "超出范围" in text
    assert "7×24 小时" in text  # what is allowed, in the workbook's own words
    # the CLI says the same, in the selection's language
    assert main(["import-answers", str(root), "--from", str(path), "--force"]) == 2
    err = capsys.readouterr().err
    assert f"问卷!G{rows[number]}" in err and "含有公式" in err and uptime in err and "q.xlsx 中有" in err
    # and in English when asked to
    assert main(["--lang", "en", "import-answers", str(root), "--from", str(path), "--force"]) == 2
    err = capsys.readouterr().err
    assert "holds a formula; type the value itself" in err and f"问卷!G{rows[number]}" in err


def test_an_english_questionnaire_still_takes_english_words(tmp_path: Path) -> None:
    project = load_project(zh_selection(tmp_path))
    path = export_questionnaire(project, "jadeport", tmp_path / "q.xlsx", language="en")
    assert openpyxl.load_workbook(path).sheetnames[1] == "Questionnaire"
    assert read_answers(path, project).answers == dict(project.vendor("jadeport").answers)
