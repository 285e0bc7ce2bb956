"""What-if on the goal weights: exact sensitivity (sweeps, stability intervals, smallest flips) and SMAA.

Numbers in, results out: every function takes goal scores (a scorecard or anything with the same
arrays), never the project.
"""

from crmselect.whatif.acceptability import smaa, stakeholder_wins
from crmselect.whatif.sensitivity import check_ranges, min_flip, min_flips, stability, sweep
from crmselect.whatif.sensitivity_results import MinFlip, MinFlipTable, RangeCheck, StabilityIntervals, Sweep
from crmselect.whatif.smaa_results import SmaaResult, StakeholderWins

__all__ = [
    "MinFlip",
    "MinFlipTable",
    "RangeCheck",
    "SmaaResult",
    "StabilityIntervals",
    "StakeholderWins",
    "Sweep",
    "check_ranges",
    "min_flip",
    "min_flips",
    "smaa",
    "stability",
    "stakeholder_wins",
    "sweep",
]
