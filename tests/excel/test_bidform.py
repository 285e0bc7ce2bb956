"""The bid form in the vendor questionnaire: offer sheets out, offers back, every problem by sheet and cell."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from bidforms import NOVA_HOSTED, NOVA_SAAS, fill_bid, rows_by_key
from excelcases import INJECTIONS, selection
from partyforms import HOST, IMPLEMENTER, copy_inputs, differs_from_defaults, full_party, partnered, write_vendor
from testdata import copy_example, example_root, load_example, reveal_prices

from crmselect import InputError, load_project
from crmselect.cli.app import main
from crmselect.errors import WorkbookError
from crmselect.evaluation import evaluate
from crmselect.excel.bidform_fields import bid_layout
from crmselect.excel.bidform_write import HEADER_ROW, KEY, VALUE
from crmselect.excel.bidform_yaml import offers_block
from crmselect.excel.questionnaire import SHEET, export_questionnaire
from crmselect.excel.questionnaire_import import import_answers, read_answers
from crmselect.files.loaders import ROUNDS_DIR
from crmselect.files.sanity import check_services_cost
from crmselect.files.yaml_lines import YamlDocument
from crmselect.model.bids import ImplementationPlan, Offer, ProjectPhase, Vendor

EXAMPLE_VENDORS = ("brightquill", "cirrolan", "ferrowell", "harbourline", "jadeport")
NOVA_ANSWERS = {"SAL-001": "S", "SAL-002": 1000, "SAL-003": "No", "SRV-001": "N", "SRV-002": 99.5, "SRV-003": 12}


def cell_of(path: Path, sheet: str, key: str, offset: int = 0) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    return ws.cell(rows_by_key(ws)[key], VALUE + offset).coordinate


def doc_of(text: str, name: str) -> YamlDocument:
    return YamlDocument(name, yaml.safe_load(text), yaml.compose(text))


def issues_of(caught: pytest.ExceptionInfo[InputError]) -> set[tuple[str, str]]:
    return {(i.field, i.code) for i in caught.value.issues}


# ---------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("vendor_id", EXAMPLE_VENDORS)
def test_every_shipped_vendor_round_trips_to_the_same_model_and_file(vendor_id: str, tmp_path: Path) -> None:
    project = load_project(copy_example(tmp_path / "example"))
    vendor = project.vendor(vendor_id)
    target = project.root / "vendors" / f"{vendor_id}.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, vendor_id, tmp_path / "q.xlsx")
    got = read_answers(path, project)
    assert got.bid.offers == vendor.offers  # prices, plan, SLA, contract and each offer's own answers
    spare = max(3, len(vendor.offers) + 1) - len(vendor.offers)  # blank sheets for further offers
    assert [s.known_id for s in got.bid.sheets] == [*(o.id for o in vendor.offers), *([None] * spare)]
    result = import_answers(path, project, force=True)
    assert result.unchanged and result.offers_unchanged == tuple(o.id for o in vendor.offers)
    assert target.read_text(encoding="utf-8") == before  # the file, comments and all, is left as it was


@pytest.mark.parametrize("vendor_id", EXAMPLE_VENDORS)
def test_offers_written_anew_load_as_the_same_model(vendor_id: str) -> None:
    vendor = load_example().vendor(vendor_id)
    data = yaml.safe_load(offers_block(vendor.offers))
    assert tuple(Offer.model_validate(o) for o in data["offers"]) == vendor.offers


def test_a_changed_offer_is_rewritten_and_the_rest_of_the_file_kept(tmp_path: Path) -> None:
    project = load_project(copy_example(tmp_path / "example"))
    target = project.root / "vendors" / "jadeport.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "jadeport", tmp_path / "q.xlsx")
    fill_bid(path, {"Offer 2": {"pricing.licence_discount_pct": 30, "implementation.services_days": 900,
                                "implementation.services_day_rate": 300,
                                "implementation.phases.1": ("Design", 40, "Workshops and blueprint"),
                                "implementation.phases.2": ("Build", 120, None)}})
    result = import_answers(path, project, force=True)
    assert result.offers_updated == ("jadeport-onprem",) and result.offers_unchanged == ("jadeport-saas",)
    assert any("comments inside the rewritten or removed offers jadeport-onprem" in n for n in result.notes)
    reloaded = load_project(project.root).vendor("jadeport")
    old = project.vendor("jadeport")
    onprem = reloaded.offer("jadeport-onprem")
    assert onprem.pricing.licence_discount_pct == 30 and onprem.implementation.services_day_rate == 300
    assert onprem.implementation.phases == (ProjectPhase(name="Design", days=40, description="Workshops and blueprint"),
                                            ProjectPhase(name="Build", days=120))
    assert onprem.answers == old.offer("jadeport-onprem").answers  # the offer's own answers survive
    assert reloaded.offer("jadeport-saas") == old.offer("jadeport-saas") and reloaded.answers == old.answers
    after = target.read_text(encoding="utf-8")
    saas = before[before.index("  - id: jadeport-saas"):before.index("  - id: jadeport-onprem")]
    assert saas in after  # the unchanged offer keeps its lines and comments
    assert after.startswith(before[:before.index("offers:")])
    assert after.endswith(before[before.index("\nanswers:"):])
    again = export_questionnaire(load_project(project.root), "jadeport", tmp_path / "again.xlsx")
    assert import_answers(again, load_project(project.root), force=True).unchanged


# ---------------------------------------------------------------------------- the workbook
def test_layout_protection_validation_and_metadata(tmp_path: Path) -> None:
    project = load_example()
    path = export_questionnaire(project, "jadeport", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", SHEET, "Offer 1", "Offer 2", "Offer 3", "_crmselect"]
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "Offer 1 to Offer 3" in instructions and "leave the sheets you do not need completely empty" in instructions
    ws = wb["Offer 1"]
    assert "SaaS offer jadeport-saas" in ws["A1"].value and ws.protection.sheet and ws.freeze_panes == "B5"
    rows = rows_by_key(ws)
    layout = [row.key for row in bid_layout({"credit": 5, "phase": 8, "trigger": 4, "reference": 4}) if row.key]
    assert list(rows) == layout
    assert ws.cell(rows["id"], VALUE).value == "jadeport-saas" and ws.cell(rows["id"], VALUE).protection.locked
    for key in ("deployment", "pricing.subscription_per_user_month", "sla.credits.1", "contract.escrow"):
        cell = ws.cell(rows[key], VALUE)
        assert not cell.protection.locked and cell.fill.start_color.rgb.endswith("FFF2CC")
    assert ws.cell(rows["pricing.term_years"], 1).protection.locked
    assert ws.cell(rows["pricing.subscription_per_user_month"], VALUE).value == 68
    assert ws.cell(rows["sla.credits.2"], VALUE).value == 99.5 and ws.cell(rows["sla.credits.2"], VALUE + 1).value == 20
    assert ws.cell(rows["sla.certifications.mlps3"], VALUE).value == "Yes"
    assert ws.cell(rows["sla.response_hours.sev4"], VALUE).value is None
    assert ws.cell(rows["pricing.term_years"], 4).value == "a whole number from 1 to 10; blank means 3"  # pydantic's
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}

    def validation(key: str) -> Any:
        coordinate = ws.cell(rows[key], VALUE).coordinate
        return next(dv for ref, dv in validations.items() if coordinate in ref.split())

    assert validation("deployment").formula1 == '"saas,on_premise,hosted"'
    assert validation("contract.escrow").formula1 == '"Yes,No"'
    term = validation("pricing.term_years")
    assert (term.type, term.formula1, term.formula2) == ("whole", "1", "10")
    assert validation("sla.response_hours.sev1").operator == "greaterThan"
    blank = wb["Offer 3"]
    assert not blank.cell(rows_by_key(blank)["id"], VALUE).protection.locked  # a new offer names itself
    assert blank.cell(rows_by_key(blank)["deployment"], VALUE).value is None
    meta = {(r[0].value, r[1].value): r[2].value for r in wb["_crmselect"].iter_rows() if r[0].value != "bid_row"}
    assert meta[("offer_sheet", "Offer 1")] == "jadeport-saas" and meta[("offer_sheet", "Offer 3")] is None


def test_sheet_count_options_and_offer_questionnaires(tmp_path: Path) -> None:
    project = load_project(selection(tmp_path))
    new = export_questionnaire(project, "Nova CRM", tmp_path / "nova.xlsx", offer_sheets=2)
    assert openpyxl.load_workbook(new).sheetnames[2:] == ["Offer 1", "Offer 2", "_crmselect"]
    none = export_questionnaire(project, "acme", tmp_path / "answers.xlsx", offer_sheets=0)
    assert openpyxl.load_workbook(none).sheetnames == ["Instructions", SHEET, "_crmselect"]
    assert not read_answers(none, project).bid.present
    offer = export_questionnaire(project, "borealis", tmp_path / "hosted.xlsx", offer="borealis-hosted")
    assert "Offer 1" not in openpyxl.load_workbook(offer).sheetnames  # one offer's answers only
    with pytest.raises(InputError) as caught:
        export_questionnaire(project, "borealis", tmp_path / "x.xlsx", offer_sheets=1)
    (issue,) = caught.value.issues
    assert issue.file == "--offer-sheets" and issue.allowed.startswith("0 (no bid form), or 2 to 9")


def test_vendor_text_in_offers_is_stored_as_text(tmp_path: Path) -> None:
    root = selection(tmp_path)
    target = root / "vendors" / "borealis.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("Northern Hosting", f"'{INJECTIONS[0]}'"),
                      encoding="utf-8")
    project = load_project(root)
    path = export_questionnaire(project, "borealis", tmp_path / "q.xlsx")
    ws = openpyxl.load_workbook(path)["Offer 2"]
    cell = ws.cell(rows_by_key(ws)["hosting_partner"], VALUE)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == INJECTIONS[0]
    assert read_answers(path, project).bid.offers == project.vendor("borealis").offers


# ---------------------------------------------------------------------------- a new vendor's whole bid
def test_a_new_vendor_returns_a_whole_bid_and_is_ranked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = selection(tmp_path)
    out = tmp_path / "nova.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "Nova CRM", "--out", str(out), "--offer-sheets", "3"]) == 0
    assert "bid form: 3 offer sheets" in capsys.readouterr().out
    fill_bid(out, {"Offer 1": NOVA_SAAS, "Offer 2": NOVA_HOSTED}, NOVA_ANSWERS)
    assert main(["import-answers", str(root), "--from", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "created" in printed and "6 answers and 2 offers" in printed
    assert "offers created (2):\n    nova-crm-saas\n    nova-crm-hosted" in printed
    assert "offer nova-crm-hosted: services cost 150,000 is not services days x day rate (140,000)" in printed
    text = (root / "vendors" / "nova-crm.yaml").read_text(encoding="utf-8")
    assert "offers: []" not in text
    project = load_project(root)  # validates
    nova = project.vendor("nova-crm")
    saas, hosted = nova.offers
    assert saas.sla.credits[1].below_pct == 99.0 and [c.value for c in saas.sla.certifications] == [
        "soc2_type2", "iso27001"]
    assert saas.implementation.phases[0].name == "Discovery" and saas.sla.response_hours == {"sev1": 1}
    assert hosted.hosting_partner == "Harbour Data Centres"
    assert hosted.contract.escrow_triggers == ("insolvency", "end of support")
    assert hosted.operations.admin_fte == 0.5  # blank: the model's default
    notes = check_services_cost([(nova, doc_of(text, "vendors/nova-crm.yaml"))])
    assert [n.code for n in notes] == ["services_cost_mismatch"] and "offers[1].implementation" in notes[0].field
    scorecard = evaluate(project, reveal_prices=True).scorecard
    assert {"nova-crm-saas", "nova-crm-hosted"} <= set(scorecard.bid_ids)
    reveal_prices(root)  # the committee locks the technical scoring and opens the price envelope
    capsys.readouterr()
    assert main(["rank", str(root)]) == 0
    ranked = capsys.readouterr().out
    assert "Nova CRM (SaaS)" in ranked and "Nova CRM (hosted)" in ranked and "Prices hidden" not in ranked


def test_updating_a_vendor_adds_changes_and_withdraws_offers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = selection(tmp_path)
    out = tmp_path / "borealis.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "borealis", "--out", str(out)]) == 0
    assert "answers and 2 offers filled in; bid form: 3 offer sheets" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    ws = wb["Offer 1"]  # borealis-onprem: withdrawn by clearing every yellow cell
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if not cell.protection.locked:
                cell.value = None
    wb.save(out)
    fill_bid(out, {"Offer 2": {"pricing.hosting_per_year": 32000}, "Offer 3": NOVA_SAAS | {"id": "borealis-cloud"}})
    assert main(["import-answers", str(root), "--from", str(out), "--force"]) == 0
    printed = capsys.readouterr().out
    assert "offers created (1):\n    borealis-cloud" in printed
    assert "offers updated (prices, plan, SLA or contract changed) (1):\n    borealis-hosted" in printed
    assert "offers removed (their sheet came back empty) (1):\n    borealis-onprem" in printed
    vendor = load_project(root).vendor("borealis")
    assert [o.id for o in vendor.offers] == ["borealis-hosted", "borealis-cloud"]
    assert vendor.offer("borealis-hosted").pricing.hosting_per_year == 32000


def test_an_empty_bid_form_keeps_the_offers(tmp_path: Path) -> None:
    project = load_project(selection(tmp_path))
    target = project.root / "vendors" / "acme.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx", prefill=False)
    fill_bid(path, {}, {"SAL-001": "S", "SAL-002": 1000, "SAL-003": "No", "SRV-001": "N", "SRV-002": 99.5,
                        "SRV-003": 12})
    result = import_answers(path, project, force=True)
    assert "the bid form came back empty: the offers in the file are kept" in result.notes
    assert load_project(project.root).vendor("acme").offers == project.vendor("acme").offers
    assert target.read_text(encoding="utf-8") != before  # the answers changed, the offers did not


# ---------------------------------------------------------------------------- hostile workbooks
def exported(tmp_path: Path) -> tuple[Any, Path, Path, str]:
    project = load_project(selection(tmp_path))
    target = project.root / "vendors" / "borealis.yaml"
    return project, export_questionnaire(project, "borealis", tmp_path / "q.xlsx"), target, target.read_text()


def test_every_problem_in_the_bid_form_is_reported_by_sheet_and_cell(tmp_path: Path) -> None:
    project, path, target, before = exported(tmp_path)
    cells = {key: cell_of(path, "Offer 1", key) for key in (
        "pricing.licence_per_user", "pricing.term_years", "sla.support_hours", "contract.renewal_notice_days",
        "implementation.claimed_go_live_days", "pricing.maintenance_pct", "sla.uptime_pct")}
    fill_bid(path, {
        "Offer 1": {"pricing.licence_per_user": "=1200*0.8",  # a formula where a price belongs
                    "pricing.term_years": 2.5,  # not whole
                    "sla.support_hours": "always",  # not a choice
                    "contract.renewal_notice_days": 1000,  # out of range (pydantic's le=730)
                    "implementation.claimed_go_live_days": None,  # required
                    "pricing.maintenance_pct": "about 20",  # not a number
                    "sla.uptime_pct": 100.5,  # out of range
                    "sla.credits.1": (99.0, 10), "sla.credits.2": (99.5, 20), "sla.credits.3": (None, 5)},
        "Offer 2": {"id": "borealis-renamed"},  # an altered offer id
    })
    wb = openpyxl.load_workbook(path)
    ws = wb["Offer 1"]
    rows = rows_by_key(ws)
    ws.cell(rows["pricing.hosting_per_year"], KEY).value = "pricing.hosting_discount_pct"  # an altered key
    ws.cell(ws.max_row + 2, 2).value = "our notes"  # outside the form
    wb.save(path)
    credit = {n: cell_of(path, "Offer 1", f"sla.credits.{n}") for n in (2, 3)}
    with pytest.raises(InputError) as caught:
        import_answers(path, project, force=True)
    found = issues_of(caught)
    key_cell = f"F{rows['pricing.hosting_per_year']}"
    expected = {
        (f"Offer 1!{cells['pricing.licence_per_user']}", "formula"),
        (f"Offer 1!{cells['pricing.term_years']}", "not_a_whole_number"),
        (f"Offer 1!{cells['sla.support_hours']}", "invalid_choice"),
        (f"Offer 1!{cells['contract.renewal_notice_days']}", "out_of_range"),
        (f"Offer 1!{cells['implementation.claimed_go_live_days']}", "missing_value"),
        (f"Offer 1!{cells['pricing.maintenance_pct']}", "not_a_number"),
        (f"Offer 1!{cells['sla.uptime_pct']}", "out_of_range"),
        (f"Offer 1!{credit[2]}", "credits_out_of_order"),
        (f"Offer 1!{credit[3]}", "missing_value"),
        (f"Offer 1!{key_cell}", "altered_key"),
        (f"Offer 2!{cell_of(path, 'Offer 2', 'id')}", "altered_id"),
    }
    assert expected <= found
    assert any(code == "outside_table" for _, code in found)
    by_code = {i.code: i for i in caught.value.issues}
    assert by_code["formula"].received == "'=1200*0.8'"
    assert by_code["out_of_range"].allowed.startswith(("a whole number from 0 to 730", "a number from 0 to 100"))
    assert by_code["invalid_choice"].allowed.startswith("one of: 24x7, 24x5, business_hours")
    assert by_code["credits_out_of_order"].allowed == "a percentage below 99" and by_code[
        "credits_out_of_order"].received == "99.5"
    assert by_code["altered_key"].received == "'pricing.hosting_discount_pct'"
    assert str(by_code["formula"]).startswith("q.xlsx: Offer 1!B")
    assert target.read_text() == before  # nothing written


def test_a_missing_offer_sheet_and_model_rules_are_reported(tmp_path: Path) -> None:
    project, path, target, before = exported(tmp_path)
    fill_bid(path, {"Offer 2": {"hosting_partner": None},  # a hosted offer without its host (Offer validation)
                    "Offer 3": {"deployment": "saas", "implementation.claimed_go_live_days": 90,
                                "implementation.services_cost": 1000, "sla.commitment": "none"}})
    wb = openpyxl.load_workbook(path)
    wb.remove(wb["Offer 1"])
    wb.save(path)
    with pytest.raises(InputError) as caught:
        import_answers(path, project, force=True)
    found = issues_of(caught)
    assert ("Offer 1", "missing_sheet") in found
    assert (f"Offer 2!{cell_of(path, 'Offer 2', 'hosting_partner')}", "required_for_deployment") in found
    saas = (f"Offer 3!{cell_of(path, 'Offer 3', 'pricing.subscription_per_user_month')}", "required_for_deployment")
    assert saas in found
    issue = next(i for i in caught.value.issues if i.field == saas[0])
    assert "subscription_per_user_month is required for a saas offer" in issue.message
    assert issue.received == "nothing"
    assert target.read_text() == before


def test_duplicate_offer_ids_and_a_deployment_left_blank(tmp_path: Path) -> None:
    project, path, target, before = exported(tmp_path)
    fill_bid(path, {"Offer 3": {"id": "acme-saas", "pricing.licence_per_user": 100}})
    with pytest.raises(InputError) as caught:
        import_answers(path, project, force=True)
    found = issues_of(caught)
    assert (f"Offer 3!{cell_of(path, 'Offer 3', 'id')}", "duplicate_id") in found  # acme's offer
    assert (f"Offer 3!{cell_of(path, 'Offer 3', 'deployment')}", "missing_value") in found
    assert target.read_text() == before


def test_an_altered_layout_record_is_refused(tmp_path: Path) -> None:
    project, path, _, _ = exported(tmp_path)
    wb = openpyxl.load_workbook(path)
    meta = wb["_crmselect"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 3).value == "pricing.term_years")
    meta.cell(row, 3).value = "pricing.something_else"
    wb.save(path)
    with pytest.raises(WorkbookError, match="bid form's record in the hidden _crmselect sheet was altered"):
        read_answers(path, project)


def test_services_cross_check_on_the_plan() -> None:
    plan = ImplementationPlan(claimed_go_live_days=100, services_cost=100_000, services_days=400,
                              services_day_rate=250)
    assert plan.services_days_times_rate == 100_000
    root = example_root()
    docs = []
    for name in EXAMPLE_VENDORS:
        text = (root / "vendors" / f"{name}.yaml").read_text(encoding="utf-8")
        docs.append((Vendor.model_validate(yaml.safe_load(text)), doc_of(text, f"vendors/{name}.yaml")))
    assert check_services_cost(docs) == []  # the examples give no days and rate: nothing to note
    vendor, doc = docs[0]
    off = vendor.offers[0]
    within = off.replace(implementation=off.implementation.replace(services_days=100.0,
                                                                   services_day_rate=off.implementation.services_cost
                                                                   / 100 * 1.009))
    assert check_services_cost([(vendor.replace(offers=(within,)), doc)]) == []


@pytest.mark.libreoffice
def test_bid_form_saved_by_libreoffice_reads_back_identically(tmp_path: Path) -> None:
    from lo import recalculated

    project = load_example()
    path = export_questionnaire(project, "jadeport", tmp_path / "q.xlsx")
    (saved,) = recalculated([path], tmp_path / "lo")
    assert read_answers(saved, project).bid.offers == project.vendor("jadeport").offers


def test_diff_of_a_rewritten_file_touches_offers_only(tmp_path: Path) -> None:
    project = load_project(selection(tmp_path))
    target = project.root / "vendors" / "acme.yaml"
    before = target.read_text(encoding="utf-8")
    path = export_questionnaire(project, "acme", tmp_path / "q.xlsx")
    fill_bid(path, {"Offer 1": {"pricing.term_years": 4}})
    assert import_answers(path, project, force=True).offers_updated == ("acme-saas",)
    after = target.read_text(encoding="utf-8")
    head, tail = before.split("\noffers:")[0], before[before.index("\nanswers:"):]
    assert after.startswith(head) and after.endswith(tail)
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert "+    term_years: 4" in changed or any("term_years: 4" in line for line in changed)


# ---------------------------------------------------------------------------- partners and the offer round
def partnered_selection(tmp_path: Path) -> tuple[Path, Vendor]:
    """borealis at round 2 (round 1 archived): its on-premise offer with an implementation partner, its hosted
    offer with both partners, every field of each party given (their own SLA and contract too)."""
    root = selection(tmp_path)
    old = load_project(root).vendor("borealis")
    onprem, hosted = old.offers
    offers = (partnered(onprem, full_party(IMPLEMENTER), None),
              partnered(hosted, full_party(IMPLEMENTER, "A", "50m_250m"), full_party(HOST, "AA", "over_250m")))
    target = root / "vendors" / "borealis.yaml"
    (root / ROUNDS_DIR).mkdir(parents=True)
    shutil.copy(target, root / ROUNDS_DIR / "borealis.r1.yaml")  # the first bid, kept as history
    vendor = old.replace(offers=offers, round=2)
    write_vendor(target, vendor)
    return root, vendor


def test_every_partner_field_and_the_round_survive_the_round_trip(tmp_path: Path) -> None:
    assert differs_from_defaults(full_party(HOST)) == []  # so a field the form dropped could not go unseen
    root, vendor = partnered_selection(tmp_path)
    project = load_project(root)
    assert project.vendor("borealis") == vendor
    path = export_questionnaire(project, "borealis", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Offer 2"]
    assert ws["A3"].value == "Offer round 2 of your bid (for information; it cannot be changed here)"
    assert ws["A3"].protection.locked and ws.protection.sheet
    rows = rows_by_key(ws)
    assert ws.cell(rows["partners.hosting.name"], 1).value == "Hosting partner: Partner's company name"
    assert ws.cell(rows["partners.hosting.sla.credits.3"], VALUE).value == 98
    assert ws.cell(rows["partners.implementation.references_checked.2"], VALUE).value == "Kiel Pumps AG"
    assert ws.cell(rows["partners.hosting.contract.audit_rights"], VALUE).value == "at_will"
    meta = [tuple(c.value for c in r) for r in wb["_crmselect"].iter_rows()]
    assert ("bid_round", 2, None) in meta and ("offer_party", "Offer 2", "hosting") in meta
    got = read_answers(path, project)  # read: every partner field comes from the form itself
    assert got.bid.round == 2 and got.bid.offers == vendor.offers and got.bid.notes == ()
    before = (root / "vendors" / "borealis.yaml").read_text(encoding="utf-8")
    assert import_answers(path, project, force=True).unchanged
    assert (root / "vendors" / "borealis.yaml").read_text(encoding="utf-8") == before

    # fill: a new vendor types the same hosted offer into its blank form; import writes YAML; load reads it
    out = export_questionnaire(project, "Nova CRM", tmp_path / "nova.xlsx", offer_sheets=1)
    assert openpyxl.load_workbook(out)["Offer 1"]["A3"].value.startswith("Offer round 1 of your bid")
    copy_inputs(path, "Offer 2", out, "Offer 1", id=None)
    fill_bid(out, {}, NOVA_ANSWERS)
    result = import_answers(out, project)
    assert result.created and result.offers_created == ("nova-crm-hosted",)
    nova = load_project(root).vendor("nova-crm")
    (offer,) = nova.offers
    assert nova.round == 1
    assert in_form_order(offer.model_dump(exclude={"id", "answers"})) == in_form_order(
        vendor.offers[1].model_dump(exclude={"id", "answers"}))  # a new offer lists certificates as the form does


def in_form_order(data: Any) -> Any:
    """``data`` with every list of certificates sorted (the form asks for them in a fixed order)."""
    if isinstance(data, dict):
        return {k: sorted(v) if k == "certifications" else in_form_order(v) for k, v in data.items()}
    return data


def test_a_partner_block_is_validated_cell_by_cell(tmp_path: Path) -> None:
    root, _vendor = partnered_selection(tmp_path)
    project = load_project(root)
    path = export_questionnaire(project, "borealis", tmp_path / "q.xlsx")
    fill_bid(path, {"Offer 2": {"partners.hosting.credit_rating": "AAA+",  # not one of the choices
                                "partners.hosting.references": -1,  # out of range
                                "partners.hosting.sla.commitment": None,  # required once the SLA block is filled
                                "partners.hosting.sla.credits.2": (99.9, 15),  # not below the tier above
                                "partners.implementation.name": "Someone Else Ltd"}},  # not the plan's partner
             )
    before = (root / "vendors" / "borealis.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_answers(path, project, force=True)
    found = issues_of(caught)
    cell = {key: f"Offer 2!{cell_of(path, 'Offer 2', key)}" for key in (
        "partners.hosting.credit_rating", "partners.hosting.references", "partners.hosting.sla.commitment",
        "partners.hosting.sla.credits.2")}
    assert {(cell["partners.hosting.credit_rating"], "invalid_choice"),
            (cell["partners.hosting.references"], "out_of_range"),
            (cell["partners.hosting.sla.commitment"], "missing_value"),
            (cell["partners.hosting.sla.credits.2"], "credits_out_of_order")} <= found
    by_code = {i.code: i for i in caught.value.issues}
    assert by_code["invalid_choice"].allowed.startswith("one of: AAA, AA, A, BBB")
    assert "Hosting partner: Credit rating is not one of the choices" in by_code["invalid_choice"].message
    assert by_code["missing_value"].allowed == "one of: financially_backed, reasonable_efforts, none; required " \
                                               "when this block is filled in"
    assert (root / "vendors" / "borealis.yaml").read_text(encoding="utf-8") == before
    # the name mismatch is found once the cells are clean (Offer validation), on the partner's name cell
    fill_bid(path, {"Offer 2": {"partners.hosting.credit_rating": "AA", "partners.hosting.references": 7,
                                "partners.hosting.sla.commitment": "reasonable_efforts",
                                "partners.hosting.sla.credits.2": (99.0, 15)}})
    with pytest.raises(InputError) as caught:
        import_answers(path, project, force=True)
    (issue,) = caught.value.issues
    assert issue.code == "partner_name_differs" and issue.field == \
        f"Offer 2!{cell_of(path, 'Offer 2', 'partners.implementation.name')}"
    validations = {str(dv.sqref): dv for dv in openpyxl.load_workbook(path)["Offer 2"].data_validations.dataValidation}
    rating = cell_of(path, "Offer 2", "partners.hosting.credit_rating")
    assert next(dv for ref, dv in validations.items() if rating in ref.split()).formula1 == '"AAA,AA,A,BBB,BB,B,CCC"'


def clear_block(path: Path, sheet: str, prefix: str) -> None:
    """Empty every input cell of the rows whose key starts with ``prefix``."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for key, row in rows_by_key(ws).items():
        if key.startswith(prefix):
            for cell in ws[row]:
                if not cell.protection.locked:
                    cell.value = None
    wb.save(path)


def test_an_empty_partner_block_withdraws_a_partner_shown_and_keeps_one_never_shown(tmp_path: Path) -> None:
    root, _vendor = partnered_selection(tmp_path)
    project = load_project(root)
    path = export_questionnaire(project, "borealis", tmp_path / "q.xlsx")
    clear_block(path, "Offer 2", "partners.hosting.")  # the vendor clears the host it was shown
    clear_block(path, "Offer 2", "partners.implementation.contract.")  # and the implementer's own contract
    result = import_answers(path, project, force=True)
    assert result.offers_updated == ("borealis-hosted",)
    assert f"offer borealis-hosted: Hosting partner {HOST} withdrawn (its block came back empty)" in result.notes
    hosted = load_project(root).vendor("borealis").offer("borealis-hosted")
    assert hosted.partners.hosting is None and hosted.partners.implementation is not None
    assert hosted.partners.implementation.contract is None and hosted.partners.implementation.sla is not None

    # a partner added to the file after the form was exported: the form is silent on it, so it is kept
    root2, _ = partnered_selection(tmp_path / "second")
    plain = load_project(root2)
    bare = plain.vendor("borealis")
    write_vendor(root2 / "vendors" / "borealis.yaml",
                 bare.replace(offers=tuple(partnered(o, None, None) for o in bare.offers)))
    form = export_questionnaire(load_project(root2), "borealis", tmp_path / "silent.xlsx")
    write_vendor(root2 / "vendors" / "borealis.yaml", bare)  # the committee adds the partners meanwhile
    fill_bid(form, {"Offer 2": {"pricing.hosting_per_year": 31000}})
    result = import_answers(form, load_project(root2), force=True)
    kept = (f"offer borealis-hosted: the form does not state the Hosting partner ({HOST}); the file's is kept")
    assert kept in result.notes
    again = load_project(root2).vendor("borealis").offer("borealis-hosted")
    assert again.partners == bare.offer("borealis-hosted").partners and again.pricing.hosting_per_year == 31000


def test_the_import_says_which_partners_it_kept_or_withdrew(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root, _vendor = partnered_selection(tmp_path)
    path = tmp_path / "q.xlsx"
    assert main(["questionnaire", str(root), "--vendor", "borealis", "--out", str(path)]) == 0
    clear_block(path, "Offer 1", "partners.implementation.")
    capsys.readouterr()
    assert main(["import-answers", str(root), "--from", str(path), "--force"]) == 0
    printed = capsys.readouterr().out
    assert f"note: offer borealis-onprem: Implementation partner {IMPLEMENTER} withdrawn" in printed


def test_a_form_for_an_earlier_round_is_refused(tmp_path: Path) -> None:
    root = selection(tmp_path)
    project = load_project(root)
    path = export_questionnaire(project, "borealis", tmp_path / "q.xlsx")  # round 1
    target = root / "vendors" / "borealis.yaml"
    (root / ROUNDS_DIR).mkdir(parents=True)
    shutil.copy(target, root / ROUNDS_DIR / "borealis.r1.yaml")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("id: borealis\n", "id: borealis\nround: 2\n", 1), encoding="utf-8")
    later = load_project(root)  # round 2 recorded meanwhile
    with pytest.raises(InputError) as caught:
        import_answers(path, later, force=True)
    (issue,) = [i for i in caught.value.issues if i.code == "wrong_round"]
    assert issue.field.startswith("_crmselect!B") and issue.allowed == "round 2" and issue.received == "1"
    assert "written for round 1 of borealis's bid, but the bid is now round 2" in issue.message
