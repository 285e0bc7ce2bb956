"""Where things are in the goals workbook, and its words: shared by the writer, the AHP sheets and the reader.

Sheet names, headers and the labels of the weighting method are in the workbook's language.  An
English workbook's method drop-down holds the method names of ``goals.yaml`` (``points``,
``rank_order``, ``swing``, ``ahp``); a workbook in another language holds their translated labels
(as ``crmselect validate`` names them), and :func:`parse_method` maps either back.  The workbook
records its language and the name of every sheet in its metadata (:mod:`crmselect.excel.form_language`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crmselect.excel.form_language import formula_sheet
from crmselect.model.ids import sheet_names
from crmselect.model.weighting import COMMITTEE_AS_ONE, WeightingMethod
from crmselect.show.i18n import N_, SOURCE_LANGUAGE, _, current, using

if TYPE_CHECKING:
    from crmselect.model.goals import Selection

KIND = "crmselect goals workbook"
VERSION = 1
#: the sheets by role, with their English names (a workbook records its own names)
SHEETS: dict[str, str] = {"instructions": N_("Instructions"), "goals": N_("Goals"), "kpis": N_("KPIs"),
                          "links": N_("Links"), "result": N_("AHP result")}
INSTRUCTIONS, GOALS, KPIS, LINKS, RESULT = SHEETS.values()
COMMITTEE = COMMITTEE_AS_ONE  # the AHP sheet for judgments the committee makes together
METHOD_CELL, CR_CELL = "B4", "B5"
GOALS_HEADER, FIRST_GOAL = 7, 8
GOAL_COLUMNS = (N_("Goal ID"), N_("Goal"), N_("Description"), N_("Points"), N_("Rank (1 = most important)"),
                N_("Swing (0-100)"), N_("Weight (live)"), N_("Criteria linked"))
G_ID, G_NAME, G_DESCRIPTION, G_POINTS, G_RANK, G_SWING, G_WEIGHT, G_LINKED = range(1, 9)
KPI_HEADER = 4
KPI_COLUMNS = (N_("Goal ID"), N_("KPI"), N_("Measure"), N_("Unit"), N_("Baseline"), N_("Target"),
               N_("Value of one unit a year"), N_("Benefit a year at target"))
K_GOAL, K_NUMBER, K_NAME, K_UNIT, K_BASELINE, K_TARGET, K_VALUE, K_BENEFIT = range(1, 9)
KPIS_PER_GOAL = 3
LINKS_HEADER = 4
LINK_FIXED = (N_("ID"), N_("Category"), N_("Criterion"), N_("Description"))
L_FIRST_GOAL = len(LINK_FIXED) + 1
PAIR_HEADER, FIRST_PAIR = 4, 5
PAIR_COLUMNS = (N_("Goal"), N_("versus"), N_("Which matters more"), N_("How much more (1 = equal, 9 = extremely)"),
                N_("Judgment"))
P_A, P_B, P_MORE, P_HOW, P_VALUE = range(1, 6)
MATRIX_COLUMN = 8  # H: the matrix and the power-method rows of an AHP sheet
POWER_STEPS = 24
MIN_SLOTS = 8
METHODS = tuple(m.value for m in WeightingMethod)
#: how a workbook not in English names each method (the words `crmselect validate` uses)
METHOD_TEXT = {"points": N_("points"), "rank_order": N_("rank order (ROC)"), "swing": N_("swing weights"),
               "ahp": N_("AHP pairwise judgments")}


def letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def translated(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_(column) for column in columns)


def method_label(method: str) -> str:
    """The weighting method as the workbook's drop-down shows it in the current language."""
    return method if current().language == SOURCE_LANGUAGE else _(METHOD_TEXT[method])


def method_labels() -> tuple[str, ...]:
    return tuple(method_label(m) for m in METHODS)


def parse_method(typed: str, language: str) -> str | None:
    """The method a cell of a workbook in ``language`` names: by its label there, or by its name in goals.yaml."""
    wanted = typed.strip().casefold()
    with using(language):
        return next((m for m in METHODS if wanted in (m.casefold(), method_label(m).casefold())), None)


def goals_digest(selection: Selection) -> str:
    """A digest of what the goals workbook edits: the goals (with KPIs and links) and the weighting inputs."""
    data = {
        "goals": [g.model_dump(mode="json") for g in selection.goals],
        "weighting": selection.weighting.value,
        "ranking": [r if isinstance(r, str) else list(r) for r in selection.ranking],
        "swing": dict(selection.swing),
        "judgments": {m: [list(j) for j in js] for m, js in selection.judgments.items()},
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def ahp_sheet_name(member: str) -> str:
    """The English name of a member's AHP sheet (a workbook records the names it used)."""
    return f"AHP {member}"[:31]


def ahp_sheet_names(members: tuple[str, ...], taken: tuple[str, ...]) -> dict[str, str]:
    """Each member's AHP sheet name in the current language ("AHP committee", "AHP 委员会", "AHP 王丽"),
    unique and at most 31 characters (:func:`crmselect.model.ids.sheet_names`)."""
    texts = {m: _("AHP {member}").format(member=_("committee") if m == COMMITTEE else m) for m in members}
    names = sheet_names(texts.values(), taken)
    return {m: names[text] for m, text in texts.items()}


@dataclass(frozen=True)
class Layout:
    """Where things are: the goal slots and, per AHP sheet, its member and the matrix rows."""

    slots: int
    members: tuple[str, ...]  # COMMITTEE first, then the committee's members
    names: Mapping[str, str] = field(default_factory=lambda: dict(SHEETS))  # each sheet's name by role
    ahp: Mapping[str, str] = field(default_factory=dict)  # each member's AHP sheet name

    def sheet(self, role: str) -> str:
        return self.names.get(role, SHEETS[role])

    def ahp_sheet(self, member: str) -> str:
        return self.ahp.get(member) or ahp_sheet_name(member)

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """Every pair of slots once, those of the first goals first: (0, 1), (0, 2), (1, 2), (0, 3) ...

        So the pairs of the goals named come first, together, and empty slots' pairs follow below.
        """
        return [(i, j) for j in range(1, self.slots) for i in range(j)]

    def goal_ref(self, slot: int, absolute: bool = True) -> str:
        goals = formula_sheet(self.sheet("goals"))
        return f"{goals}!$A${FIRST_GOAL + slot}" if absolute else f"{goals}!A{FIRST_GOAL + slot}"

    @property
    def matrix_row(self) -> int:
        """Every AHP sheet's matrix starts here, below the longest list of pairs, so its working rows can fold away."""
        return FIRST_PAIR + len(self.pairs) + 3

    @property
    def weights_row(self) -> int:
        """The row holding the final weights of an AHP sheet's matrix."""
        return self.matrix_row + self.slots + 2 + 2 * POWER_STEPS

    @property
    def lambda_row(self) -> int:
        return self.weights_row + 2


__all__ = [
    "COMMITTEE", "CR_CELL", "FIRST_GOAL", "FIRST_PAIR", "GOALS", "GOALS_HEADER", "GOAL_COLUMNS", "INSTRUCTIONS",
    "KIND", "KPIS", "KPIS_PER_GOAL", "KPI_COLUMNS", "KPI_HEADER", "LINKS", "LINKS_HEADER", "LINK_FIXED",
    "L_FIRST_GOAL", "MATRIX_COLUMN", "METHODS", "METHOD_CELL", "METHOD_TEXT", "MIN_SLOTS", "PAIR_COLUMNS",
    "PAIR_HEADER", "POWER_STEPS", "RESULT", "SHEETS", "VERSION", "Layout", "ahp_sheet_name", "ahp_sheet_names",
    "goals_digest", "letter", "method_label", "method_labels", "parse_method", "translated",
]
