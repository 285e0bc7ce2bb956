"""The ``crmselect`` command and its subcommand groups.

:func:`main` is the console script.  It pauses the garbage collector while the command's modules are imported:
importing makes many objects that live as long as the process, and collecting among them cost a command about
25 ms of its start (issue 21).  They are then frozen out of later collections, and the collector runs as usual.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``crmselect`` command line (``argv``: the words after ``crmselect``; default ``sys.argv[1:]``)."""
    if "crmselect.cli.app" not in sys.modules:  # the first call in this process: the imports happen now
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            importlib.import_module("crmselect.cli.app")
        finally:
            gc.freeze()  # only the objects the imports made (and what was there before): never a second time
            if was_enabled:
                gc.enable()
    from crmselect.cli.app import main as run_command

    return run_command(argv)


__all__ = ["main"]
