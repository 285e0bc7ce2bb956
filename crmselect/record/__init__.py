"""The decision record: the hash-chained decision log and the two envelopes (lock, reveal prices)."""

from crmselect.record.log import DecisionLog, LogEntry, prices_revealed

__all__ = ["DecisionLog", "LogEntry", "prices_revealed"]
