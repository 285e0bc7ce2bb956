"""Find English interface words in a Chinese surface: what is left after data, ids and acronyms are taken out.

Allowed: the acronyms committees use in Chinese too (TCO, NPV, SLA, ROI, AHP, SMAA, CRM, ID, KPI, ERP,
SaaS), product names (Excel), a formula's ``sqrt``, file names, paths, environment variables and
other identifiers (anything with ``.``, ``_``, ``/``, ``=`` or ``?``), numbers, and the data of the
selection's own files (goal and vendor names, bid labels, reasons written in goals.yaml, member names),
which are passed as ``data``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

ACRONYMS = frozenset({"TCO", "NPV", "SLA", "ROI", "AHP", "SMAA", "CRM", "ID", "KPI", "ERP", "SaaS", "Excel", "sqrt"})
_IDENTIFIER = re.compile(r"[^\s（）()，。：；、]*[._/=?$\\][^\s（）()，。：；、]*")  # also US$1,234
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def visible_text(markup: str) -> str:
    """What a reader sees of some widget HTML: no style blocks, no tags, entities decoded."""
    text = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def english_words(text: str, data: Iterable[str] = ()) -> list[str]:
    """English words in ``text`` once ``data`` (longest first), identifiers and allowed acronyms are removed."""
    def spaced(value: str) -> str:  # browsers write some spaces as U+00A0 (in <select> options)
        return re.sub(r"\s+", " ", value.replace("\xa0", " "))

    text = spaced(text)
    for item in sorted((spaced(d) for d in data if d), key=len, reverse=True):
        text = text.replace(item, " ")
    text = _IDENTIFIER.sub(" ", text)
    return [word for word in _WORD.findall(text) if word not in ACRONYMS]


def project_data(project: object, card: object | None = None) -> list[str]:
    """The selection's own words: goal, vendor and bid names, criterion ids, knock-out reasons, members, company."""
    out: list[str] = []
    selection = project.selection  # type: ignore[attr-defined]
    out += [str(goal.name) for goal in selection.goals] + [goal.id for goal in selection.goals]
    out += [str(selection.name), str(selection.company)]
    bids = project.bids  # type: ignore[attr-defined]
    out += [vendor.name for vendor in project.vendors] + [bid.label for bid in bids] + [bid.id for bid in bids]
    out += [m.name for m in project.committee.members] + [m.id for m in project.committee.members]  # type: ignore[attr-defined]
    out += [rule.reason for rule in selection.must_haves if getattr(rule, "reason", "")]
    out += [rule.criterion for rule in selection.must_haves]
    settings = getattr(project, "settings", None)
    if settings is not None:
        out += [str(settings.name), str(settings.company)]
    if card is not None:
        out += [*card.labels, *card.goal_names]  # type: ignore[attr-defined]
    out += [str(scenario.name) for scenario in project.committee.scenarios]  # type: ignore[attr-defined]
    for vendor in project.vendors:  # type: ignore[attr-defined]
        for offer in vendor.offers:  # partners, their references and third-party products are the vendor's words
            for _role, party in offer.partners.parties():
                out += [str(party.name), *party.references_checked]
            out += list(offer.pricing.third_party_product_names)
            answers = [*offer.answers.values(), *vendor.answers.values()]
            out += [answer.third_party_product for answer in answers if answer.third_party_product]
    return [item for item in out if item]
