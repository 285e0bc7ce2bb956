"""``python -m crmselect``: the same command as ``crmselect``."""

from crmselect.cli import main

raise SystemExit(main())
