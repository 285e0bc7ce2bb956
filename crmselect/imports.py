"""Imports paid for when first used, so that a command starts in the time a committee expects.

Two tools, both for run time only (type checkers see the plain imports under ``TYPE_CHECKING``):

- :func:`lazy_module` stands for a library a module needs only in some of its functions (pandas builds
  the tables, but ``crmselect rank`` prints its scorecard without it)::

      if TYPE_CHECKING:
          import pandas as pd
      else:
          pd = lazy_module("pandas")

- :func:`lazy_exports` gives a package its public names without importing every module behind them
  (PEP 562): ``from crmselect.money import tco`` imports ``crmselect.money.costs`` alone.

This module imports nothing of crmselect, so any layer may use it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


class LazyModule:
    """A stand-in for a module, imported on the first attribute asked of it.

    Each attribute is then copied onto the stand-in, so later look-ups are plain attribute look-ups (a
    table of thousands of cells asks ``pd.NA`` once per cell)."""

    def __init__(self, name: str) -> None:
        self.__name = name

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(importlib.import_module(self.__name), attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<module {self.__name!r}, imported on first use>"


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it when one of its attributes is first used."""
    return LazyModule(name)


def lazy_exports(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``homes`` maps each public name to the module (relative
    to the package, e.g. ``"costs"``) that defines it.  The module is imported when the name is first asked for,
    and the name is then kept in the package's namespace."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the PEP 562 hook's own name
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    def __dir__() -> list[str]:  # noqa: N807 - the PEP 562 hook's own name
        return sorted({*homes, *vars(importlib.import_module(package))})

    return __getattr__, __dir__
