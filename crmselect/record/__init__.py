"""The decision record: the hash-chained decision log, bound to its selection, and the two envelopes."""

from crmselect.record.chain import LogEntry
from crmselect.record.envelopes import prices_revealed
from crmselect.record.log import DecisionLog

__all__ = ["DecisionLog", "LogEntry", "prices_revealed"]
