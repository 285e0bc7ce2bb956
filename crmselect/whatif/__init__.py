"""What-if on the goal weights: exact sensitivity (sweeps, stability intervals, smallest flips) and SMAA.

Numbers in, results out: every function takes goal scores (a scorecard or anything with the same
arrays), never the project.
"""

from typing import TYPE_CHECKING

from crmselect.imports import lazy_exports

if TYPE_CHECKING:
    from crmselect.whatif.acceptability import smaa, stakeholder_wins
    from crmselect.whatif.sensitivity import GoalScores, check_ranges, min_flip, min_flips, stability, sweep
    from crmselect.whatif.sensitivity_results import MinFlip, MinFlipTable, RangeCheck, StabilityIntervals, Sweep
    from crmselect.whatif.smaa_results import SmaaResult, StakeholderWins

# each public name -> its module: imported when the name is first used, so that a command loads only
# what it runs
__getattr__, __dir__ = lazy_exports(__name__, {
    "smaa": "acceptability",
    "stakeholder_wins": "acceptability",
    "GoalScores": "sensitivity",
    "check_ranges": "sensitivity",
    "min_flip": "sensitivity",
    "min_flips": "sensitivity",
    "stability": "sensitivity",
    "sweep": "sensitivity",
    "MinFlip": "sensitivity_results",
    "MinFlipTable": "sensitivity_results",
    "RangeCheck": "sensitivity_results",
    "StabilityIntervals": "sensitivity_results",
    "Sweep": "sensitivity_results",
    "SmaaResult": "smaa_results",
    "StakeholderWins": "smaa_results",
})

__all__ = [
    "GoalScores",
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
