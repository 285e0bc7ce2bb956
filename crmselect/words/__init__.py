"""The words every surface uses for results: one rendering of a knock-out, a rule, a seal warning ... in the
current language, shared by the CLI, the workbooks and the widgets (a layer above evaluation, below them)."""

from crmselect.words.results import (
    UNITS,
    answer,
    answer_text,
    entry_kind,
    knockout_text,
    local,
    marker_text,
    method_text,
    rule_text,
    seal_warning_lines,
    seal_warning_text,
    unchecked_text,
    why_unchecked,
)

__all__ = [
    "UNITS",
    "answer",
    "answer_text",
    "entry_kind",
    "knockout_text",
    "local",
    "marker_text",
    "method_text",
    "rule_text",
    "seal_warning_lines",
    "seal_warning_text",
    "unchecked_text",
    "why_unchecked",
]
