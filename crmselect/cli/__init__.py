"""The ``crmselect`` command and its subcommand groups."""

from crmselect.cli.app import main

__all__ = ["main"]
