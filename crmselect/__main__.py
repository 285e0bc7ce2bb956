"""``python -m crmselect``: the same command as ``crmselect``."""

from crmselect.cli.app import main

raise SystemExit(main())
