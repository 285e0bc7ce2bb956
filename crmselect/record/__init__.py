"""The decision record: the hash-chained decision log, bound to its selection, and the two envelopes."""

from crmselect.record.chain import LogEntry
from crmselect.record.log import DecisionLog, prices_revealed

__all__ = ["DecisionLog", "LogEntry", "prices_revealed"]
