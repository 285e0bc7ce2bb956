"""The words of the vendor questionnaire, in the current language: column headers, how to answer a
criterion, the instructions, and how an offer is named.  The reader asks for the same words in the
language a returned questionnaire records (:mod:`crmselect.excel.form_language`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmselect.excel.bidform_text import deployment_title
from crmselect.excel.form_language import unit, words, yes_no
from crmselect.model.catalogue import number_range
from crmselect.model.goals import AnswerKind, Criterion
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    from crmselect.model.bids import Offer

SHEET = N_("Questionnaire")  # the English sheet names; a questionnaire records its own in its metadata
INSTRUCTIONS = N_("Instructions")
COLUMNS = (
    N_("ID"), N_("Category"), N_("Criterion"), N_("Description"), N_("How to answer"), N_("Required"),
    N_("Answer"), N_("Available from (code F)"), N_("Third-party product (code T)"),
    N_("Third-party cost per year (code T)"), N_("Effort days (codes T, X)"), N_("Comment"),
    N_("Evidence (document, page or link)"),
)


def headers() -> tuple[str, ...]:
    """The questionnaire's column headers in the current language."""
    return tuple(_(column) for column in COLUMNS)


def offer_title(offer: Offer) -> str:
    """How a questionnaire names an offer: "on-premise offer jadeport-onprem"."""
    return _("{kind} offer {offer}").format(kind=deployment_title(offer.deployment.value), offer=offer.id)


def how_to_answer(criterion: Criterion, letters: tuple[str, ...]) -> str:
    if criterion.answer is AnswerKind.compliance:
        return _("Code: {codes}").format(codes=" ".join(letters))
    if criterion.answer is AnswerKind.yes_no:
        yes, no = yes_no()
        return _("{yes} or {no}").format(yes=yes, no=no)
    return _("Number in {unit} ({bounds}; {direction})").format(
        unit=unit(criterion.unit), bounds=bounds(criterion), direction=_("higher is better") if criterion.direction
        and criterion.direction.value.startswith("higher") else _("lower is better"))


def bounds(criterion: Criterion) -> str:
    low, high = number_range(criterion)
    if high is not None:
        return _("{low} to {high}").format(low=f"{low:g}", high=f"{high:g}")
    return _("at least {low}").format(low=f"{low:g}")


def local(text: object) -> str:
    """Catalogue text in the current language."""
    return words(text)


def steps() -> list[str]:
    """The instructions' steps before the bid form's."""
    yes, no = yes_no()
    return [
        _("Answer every criterion on the Questionnaire sheet in the yellow cells; the other cells are protected."),
        _("Rows marked Required must be answered. Others are optional but help the committee."),
        _("Compliance criteria: choose a code from the drop-down (the codes are explained below)."),
        _("Code F (future release) needs the general-availability date in 'Available from'."),
        _("Code T (third party): name the partner product and its yearly cost if it is not in your price bid. "
          "Codes T and X: estimate the effort in person-days."),
        _("Numbers: type the number only, in the unit named in 'How to answer' (e.g. 99.9, not 99.9% or "
          "'about 100')."),
        _("{yes}/{no} criteria: choose {yes} or {no}.").format(yes=yes, no=no),
        _("Comment: anything the committee should know. Evidence: a document and page, or a link, that proves it."),
        _("Do not add, delete, move or rename rows, columns or sheets, and do not type formulas: the returned file "
          "is checked and every change is reported back to you."),
    ]


def last_step() -> str:
    return _("Save as Excel Workbook (.xlsx). Files with macros are refused.")


__all__ = ["COLUMNS", "INSTRUCTIONS", "SHEET", "bounds", "headers", "how_to_answer", "last_step", "local",
           "offer_title", "steps"]
