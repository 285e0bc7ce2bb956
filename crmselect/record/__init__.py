"""The decision record: the hash-chained decision log, bound to its selection, and the two envelopes."""

from typing import TYPE_CHECKING

from crmselect.imports import lazy_exports

if TYPE_CHECKING:
    from crmselect.record.chain import LogEntry
    from crmselect.record.envelopes import prices_revealed
    from crmselect.record.log import DecisionLog

# each public name -> its module: imported when the name is first used, so that a command loads only
# what it runs
__getattr__, __dir__ = lazy_exports(__name__, {
    "LogEntry": "chain",
    "prices_revealed": "envelopes",
    "DecisionLog": "log",
})

__all__ = ["DecisionLog", "LogEntry", "prices_revealed"]
