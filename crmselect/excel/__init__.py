"""Excel, both ways: safe xlsx, the house style, the scorecard workbook, questionnaires and score sheets
(written, read back and imported), and the YAML write-back.  A surface: it calls ``evaluate()``.
"""

from crmselect.excel.questionnaire import export_questionnaire
from crmselect.excel.questionnaire_import import AnswersImport, import_answers
from crmselect.excel.scorecard import ScorecardExport, build_scorecard, export_scorecard, read_weights
from crmselect.excel.scoresheet import export_scoresheet, export_scoresheets
from crmselect.excel.scoresheet_import import import_scores

__all__ = [
    "AnswersImport",
    "ScorecardExport",
    "build_scorecard",
    "export_questionnaire",
    "export_scorecard",
    "export_scoresheet",
    "export_scoresheets",
    "import_answers",
    "import_scores",
    "read_weights",
]
