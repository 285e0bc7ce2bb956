"""The decision paper: page 1 is the recommendation in plain words, then the argument and the record behind it.

``build_report(project, "pdf" | "html" | path)`` is the one entry point (the ``crmselect report`` command and
the dashboard call it); ``paper_of(project)`` gives the content as pure data.  typst and matplotlib are imported
only when a paper is made.
"""

from crmselect.report.build import build_report, paper_of
from crmselect.report.content import Paper
from crmselect.report.digest import InputDigest, input_digest

__all__ = ["InputDigest", "Paper", "build_report", "input_digest", "paper_of"]
