"""The decision paper (issue 19) read back the way a reader gets it: pdftotext for the words, pdftoppm for the
pages; the HTML as a browser gets it.  Expected figures are computed here from evaluate() and the files on disk,
not taken from the paper's own content model."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from systemtools import require
from testdata import copy_example, copy_minimal, replace_in, reveal_prices

from crmselect import load_project
from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.report import build_report
from crmselect.report.facts import RISK_DRAWS
from crmselect.show.formats import format_money, format_number

pytestmark = pytest.mark.filterwarnings("error")


# ---------------------------------------------------------------- reading a PDF as a reader does
def pages(pdf: Path) -> int:
    info = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """The words of ``pdf`` (pages ``first``..``last``), whitespace collapsed to single spaces."""
    command = [require("pdftotext")]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    out = subprocess.run([*command, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def rendered_pages(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([require("pdftoppm"), "-r", "20", "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def sha256sum_digest(folder: Path) -> str:
    """The digest a reader gets with sha256sum over the selection's YAML files (sorted paths), piped into sha256sum."""
    files = sorted([folder / "selection.yaml", *(folder / "criteria").rglob("*.yaml"),
                    *(folder / "vendors").glob("*.yaml")], key=lambda p: p.relative_to(folder).as_posix())
    listing = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
                      for p in files)
    return hashlib.sha256(listing.encode()).hexdigest()


def price_figures(folder: Path) -> set[str]:
    """Every price in the vendors' files (1,000 and more) and every TCO figure, as a paper could print them."""
    numbers: set[float] = set()

    def walk(value: object, money: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, money or key in ("pricing", "implementation"))
        elif isinstance(value, list):
            for item in value:
                walk(item, money)
        elif money and isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1000:
            numbers.add(float(value))

    for path in (folder / "vendors").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), False)
    project = load_project(folder)
    for result in evaluate(project, reveal_prices=True).tco.results:
        numbers |= {result.total, result.npv, float(result.initial.sum())}
    currency = project.selection.currency
    shown = set()
    for value in numbers:
        shown |= {f"{value:,.0f}", format_money(value, currency, "en", digits=0), f"{value:.0f}"}
    return {s for s in shown if len(s.strip("-")) >= 4}


# ---------------------------------------------------------------- the selections
@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("sealed") / "selection")


@pytest.fixture(scope="module")
def revealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reveal_prices(copy_example(tmp_path_factory.mktemp("revealed") / "selection"))


@pytest.fixture(scope="module")
def revealed_pdf(revealed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "decision.pdf"
    build_report(load_project(revealed), out)
    return out


@pytest.fixture(scope="module")
def sealed_pdf(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "technical.pdf"
    build_report(load_project(example), out)
    return out


def eligible_labels(folder: Path) -> tuple[list[str], str, str, float]:
    card = evaluate(load_project(folder)).scorecard
    ranked = sorted((float(t), label) for t, label, ok in zip(card.totals, card.labels, card.eligible, strict=True)
                    if ok)[::-1]
    return [label for _t, label in ranked], ranked[0][1], ranked[1][1], ranked[0][0] - ranked[1][0]


# ---------------------------------------------------------------- page 1 and the last pages
def test_page_one_names_the_winner_every_eligible_bid_and_the_margin(revealed: Path, revealed_pdf: Path) -> None:
    labels, winner, runner, margin = eligible_labels(revealed)
    first = text_of(revealed_pdf, 1, 1)
    assert f"Recommended: {winner}" in first
    assert f"Runner-up: {runner}" in first
    assert f"Margin: {format_number(margin, 'en', digits=3)} points" in first
    for label in labels:
        assert label in first, label
    assert "Technical report" not in first  # prices are revealed


def test_the_input_digest_is_on_the_last_pages_and_sha256sum_finds_it(revealed: Path, revealed_pdf: Path) -> None:
    count = pages(revealed_pdf)
    digest = sha256sum_digest(revealed)
    assert digest in text_of(revealed_pdf, count - 1, count)
    assert digest not in text_of(revealed_pdf, 1, 1)  # page 1 carries only its first 16 digits in the footer
    assert digest[:16] in text_of(revealed_pdf, 1, 1)


def test_the_digest_changes_with_any_input(revealed: Path, tmp_path: Path) -> None:
    folder = reveal_prices(copy_example(tmp_path / "selection"))
    before = sha256sum_digest(folder)
    replace_in(folder / "vendors" / "ferrowell.yaml", "name: Ferrowell", "name: Ferrowel")
    out = tmp_path / "after.pdf"
    build_report(load_project(folder), out)
    after = sha256sum_digest(folder)
    assert after != before
    assert after in text_of(out) and before not in text_of(out)


def test_pdftoppm_renders_every_page(revealed_pdf: Path, tmp_path: Path) -> None:
    count = pages(revealed_pdf)
    assert count >= 6
    images = rendered_pages(revealed_pdf, tmp_path / "png")
    assert len(images) == count
    assert all(image.stat().st_size > 1000 for image in images)


def test_the_revealed_paper_shows_money(revealed: Path, revealed_pdf: Path) -> None:
    text = text_of(revealed_pdf)
    project = load_project(revealed)
    winner = evaluate(project).scorecard.winner
    assert winner is not None
    result = evaluate(project).tco[winner]
    assert format_money(result.npv, project.selection.currency, "en", digits=0) in text
    assert format_money(result.total, project.selection.currency, "en", digits=0) in text
    for heading in ("Goals and weights", "The scorecard", "Value for money", "Money: TCO, NPV and ROI",
                    "Implementation risk", "SLA and contract findings", "Sensitivity and SMAA", "Committee agreement",
                    "Stakeholder views", "Method notes and assumptions", "The decision log and the inputs"):
        assert heading in text, heading
    assert "Technical scoring locked by" in text_of(revealed_pdf, 1, 1)


# ---------------------------------------------------------------- sealed prices
def test_before_the_reveal_no_price_figure_appears(example: Path, sealed_pdf: Path, tmp_path: Path) -> None:
    figures = price_figures(example)
    assert len(figures) > 30  # the check has something to find
    counts = f"{RISK_DRAWS:,} draws per bid"  # the risk simulation's size, not a price (one bid has a price of 5,000)
    text = text_of(sealed_pdf).replace(counts, "")
    assert "Technical report" in text_of(sealed_pdf, 1, 1)
    assert [f for f in figures if f in text] == []
    page = build_report(load_project(example), "html").decode("utf-8")
    words = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)))
    words = " ".join(words.split()).replace(counts, "")
    assert [f for f in figures if f in words] == []
    assert "Sealed until prices are revealed" in text


def test_the_price_check_would_catch_a_price(revealed_pdf: Path, revealed: Path) -> None:
    text = text_of(revealed_pdf)
    assert [f for f in price_figures(revealed) if f in text]


# ---------------------------------------------------------------- other selections
def test_minimal_selection(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "selection")
    out = tmp_path / "minimal.pdf"
    build_report(load_project(folder), out)
    labels, winner, _runner, _margin = eligible_labels(folder)
    first = text_of(out, 1, 1)
    assert f"Recommended: {winner}" in first
    assert all(label in first for label in labels)
    assert len(rendered_pages(out, tmp_path / "png")) == pages(out)


def test_every_bid_knocked_out_says_so_plainly(tmp_path: Path) -> None:
    folder = copy_minimal(tmp_path / "selection")
    replace_in(folder / "vendors" / "acme.yaml", "SAL-001: {code: S}", "SAL-001: {code: C}")
    replace_in(folder / "criteria" / "goals.yaml", "    minimum: C", "    minimum: S")
    assert not evaluate(load_project(folder)).scorecard.eligible.any()
    out = tmp_path / "none.pdf"
    build_report(load_project(folder), out)
    first = text_of(out, 1, 1)
    assert "No bid can be recommended: every bid is knocked out" in first
    assert "Acme Cloud CRM: SAL-001" in first and "The forecast roll-up must work without custom code." in first
    assert "Recommended:" not in first
    assert len(rendered_pages(out, tmp_path / "png")) == pages(out)


CHINESE = {"Ferrowell Enterprise CRM": "铁韦尔企业客户管理", "Jadeport CRM": "玉港客户管理",
           "Cirrolan Cloud CRM": "云岚客户管理", "Harbourline CRM": "港湾线客户管理", "Brightquill CRM": "明羽客户管理"}


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("zh") / "selection")
    replace_in(folder / "selection.yaml", "locale: en", "locale: zh-CN")
    for path in (folder / "vendors").glob("*.yaml"):
        for old, new in CHINESE.items():
            if f"name: {old}" in path.read_text(encoding="utf-8"):
                replace_in(path, f"name: {old}", f"name: {new}")
    replace_in(folder / "criteria" / "goals.yaml", "name: Raise sales forecast accuracy", "name: 提高销售预测准确度")
    return reveal_prices(folder)


def test_a_selection_with_chinese_names_gets_a_chinese_paper(chinese: Path, tmp_path: Path) -> None:
    out = tmp_path / "决策.pdf"
    assert main(["report", str(chinese), "--out", str(out)]) == 0  # the selection's locale: zh-CN
    labels, winner, runner, margin = eligible_labels(chinese)
    assert any("客户管理" in label for label in labels)
    first = text_of(out, 1, 1)
    assert "推荐" in first and "Recommended" not in first
    packed = first.replace(" ", "")
    assert f"推荐：{winner}".replace(" ", "") in packed and f"第二名：{runner}".replace(" ", "") in packed
    for label in labels:
        assert label.replace(" ", "") in first.replace(" ", ""), label
    assert format_number(margin, "zh-CN", digits=3) in first
    assert "提高销售预测准确度" in text_of(out)
    fonts = subprocess.run([require("pdffonts"), str(out)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # the Chinese text is set in a CJK font, embedded
    assert len(rendered_pages(out, tmp_path / "png")) == pages(out)


# ---------------------------------------------------------------- untrusted text
HOSTILE = "<script>alert(1)</script> {{x}} #panic(\"typst\") *bold* $x^2$ ] \\ @ref <lbl>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_minimal(tmp_path_factory.mktemp("hostile") / "selection")
    text = (folder / "vendors" / "acme.yaml").read_text(encoding="utf-8")
    (folder / "vendors" / "acme.yaml").write_text(
        text.replace("name: Acme Cloud CRM", "name: " + yaml.safe_dump(HOSTILE).strip().removesuffix("...").strip(),
                     1), encoding="utf-8")
    replace_in(folder / "criteria" / "goals.yaml", "reason: The forecast roll-up must work without custom code.",
               "reason: '#set page(fill: red) and <img src=x onerror=alert(2)>'")
    replace_in(folder / "vendors" / "acme.yaml", "SAL-001: {code: S}", "SAL-001: {code: R}")  # its reason is shown
    assert load_project(folder).bids[0].vendor.name == HOSTILE
    return folder


def test_html_escapes_untrusted_text(hostile: Path) -> None:
    page = build_report(load_project(hostile), "html").decode("utf-8")
    assert "<script" not in page.lower() and "onerror=" not in page.replace("onerror=alert(2)&gt;", "")
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{x}}" in page  # shown as written: there is no template engine to expand it
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.count("<svg") >= 3
    assert re.findall(r'(?:src|href)="(?!#)', page) == []  # nothing is fetched from elsewhere


def test_typst_prints_untrusted_text_as_written(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "hostile.pdf"
    build_report(load_project(hostile), out)
    text = text_of(out)
    assert "<script>alert(1)</script> {{x}} #panic(\"typst\") *bold* $x^2$ ]" in text
    assert "#set page(fill: red)" in text


# ---------------------------------------------------------------- the command
def test_the_command_writes_refuses_to_overwrite_and_prints_the_digest(
    revealed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "paper.html"
    assert main(["report", str(revealed), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")
    out.write_bytes(b"the committee's own notes")
    assert main(["report", str(revealed), "--out", str(out)]) == 2
    assert out.read_bytes() == b"the committee's own notes"
    assert "already exists" in capsys.readouterr().err
    assert main(["report", str(revealed), "--out", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")
    assert main(["report", str(revealed), "--out", str(tmp_path / "paper.docx")]) == 2
    capsys.readouterr()
    assert main(["report", str(revealed), "--digest"]) == 0
    printed = capsys.readouterr().out
    assert sha256sum_digest(revealed) in printed and "vendors/jadeport.yaml" in printed
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_committee_journey_from_yaml_to_the_paper(tmp_path: Path) -> None:
    """Edit the goals' weights in YAML, lock and reveal from the shell, then the paper: it follows the new winner."""
    folder = copy_example(tmp_path / "selection")
    _labels, before, _runner, _margin = eligible_labels(folder)
    replace_in(folder / "criteria" / "goals.yaml",
               "name: Shorten customer service response\n    description: Customers calling about orders, deliveries "
               "and complaints get a fast answer from an agent who sees everything.\n    weight: 14\n",
               "name: Shorten customer service response\n    description: Customers calling about orders, deliveries "
               "and complaints get a fast answer from an agent who sees everything.\n    weight: 400\n")
    reveal_prices(folder)
    out = tmp_path / "paper.pdf"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    _labels, winner, _runner, _margin = eligible_labels(folder)
    assert winner != before  # the service goal now decides
    assert f"Recommended: {winner}" in text_of(out, 1, 1)
