"""The ``crmselect`` command and its subcommand groups.

:func:`main` is the console script.  It pauses the garbage collector while the command's modules are imported:
importing makes many objects that live as long as the process, and collecting among them cost a command about
25 ms of its start (issue 21).  They are then frozen out of later collections, and the collector runs as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``crmselect`` command line (``argv``: the words after ``crmselect``; default ``sys.argv[1:]``)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        from crmselect.cli.app import main as run_command
    finally:
        gc.freeze()
        if paused:
            gc.enable()
    return run_command(argv)


__all__ = ["main"]
