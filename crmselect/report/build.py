"""The decision paper of a selection: :func:`paper_of` makes the content, :func:`build_report` the file.

``build_report(project, "pdf")`` returns the PDF's bytes (``"html"``: one self-contained HTML file), and
``build_report(project, path)`` writes it atomically, refusing to replace a file unless ``force``.  The paper
speaks ``lang``, else the selection's locale (``selection.yaml``), else English.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crmselect.errors import AnalysisError
from crmselect.model.project import Project
from crmselect.report.content import Paper
from crmselect.report.facts import Facts, gather
from crmselect.report.record_sections import (
    committee_section,
    findings_section,
    log_section,
    method_section,
    sensitivity_section,
    views_section,
)
from crmselect.report.rollout_sections import rollout_section, tracking_section
from crmselect.report.sections import goals_section, money_section, risk_section, scorecard_section, value_section
from crmselect.report.summary import page_one
from crmselect.show.i18n import _, normalise, using

FORMATS = ("pdf", "html")


def _assemble(facts: Facts) -> Paper:
    settings = facts.project.settings
    company = settings.company if settings is not None else ""
    kind = _("Technical report (prices sealed)") if facts.sealed else _("Decision paper")
    subtitle = _("{kind} · {company} · made on {date}").format(kind=kind, company=company or "-",
                                                               date=facts.date(facts.made_on))
    tracked = tracking_section(facts)
    sections = (goals_section(facts), scorecard_section(facts), value_section(facts), money_section(facts),
                risk_section(facts), rollout_section(facts), *((tracked,) if tracked is not None else ()),
                findings_section(facts), sensitivity_section(facts), committee_section(facts),
                views_section(facts), method_section(facts), log_section(facts))
    footer = _("{name} · inputs {digest}").format(name=facts.name, digest=facts.inputs.digest[:16])
    return Paper(title=_("Recommendation: {name}").format(name=facts.name), subtitle=subtitle, lang=facts.lang,
                 sealed=facts.sealed, summary=page_one(facts), sections=sections, footer=footer,
                 digest=facts.inputs.digest, labels={"contents": _("Contents")})


def paper_language(project: Project, lang: str | None = None) -> str:
    if lang:
        return normalise(lang)
    return project.settings.locale if project.settings is not None else "en"


def paper_of(project: Project, *, lang: str | None = None, today: dt.date | None = None) -> Paper:
    """The paper's content (pure data) for ``project`` in ``lang`` (default: the selection's locale)."""
    if not project.bids:
        raise AnalysisError(f"{project.root}: there are no vendor bids yet, so there is nothing to recommend")
    language = paper_language(project, lang)
    with using(language):
        return _assemble(gather(project, lang=language, today=today))


def render(paper: Paper, kind: str) -> bytes:
    if kind == "pdf":
        from crmselect.report.pdf import render_pdf

        return render_pdf(paper)
    if kind == "html":
        from crmselect.report.web import render_html

        return render_html(paper)
    raise AnalysisError(f"a report is one of {', '.join(FORMATS)} (received {kind!r})")


def build_report(project: Project, path_or_format: str | Path, *, lang: str | None = None, force: bool = False,
                 today: dt.date | None = None) -> bytes:
    """The paper as bytes: ``"pdf"`` or ``"html"``; or a path ending in .pdf or .html, written atomically there
    (an existing file is replaced only with ``force``).  What the dashboard's "Download decision paper" calls."""
    target = None
    if isinstance(path_or_format, Path) or str(path_or_format).lower() not in FORMATS:
        target = Path(path_or_format)
        kind = target.suffix.lower().removeprefix(".")
    else:
        kind = str(path_or_format).lower()
    if kind not in FORMATS:
        raise AnalysisError(f"{path_or_format}: a report file ends in .pdf or .html")
    data = render(paper_of(project, lang=lang, today=today), kind)
    if target is not None:
        from crmselect.files.safe_write import write_atomic

        write_atomic(target, lambda tmp: _write(tmp, data), overwrite=force)
    return data



def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


__all__ = ["FORMATS", "build_report", "paper_language", "paper_of", "render"]
