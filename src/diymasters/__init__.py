"""diymasters: plan, track and publish a self-curated masters.

The library comes first; the CLI (and later the web UI) only present it.

The public names are imported on first use (PEP 562), not with the package: the console
script imports the package before it can handle Ctrl-C, so that import must cost nothing
(issue 13).
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: typing imports re and enum, which is the time that
# matters here. Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, MutableMapping

    from diymasters.errors import DiyMastersError
    from diymasters.masters import Masters
    from diymasters.model import (
        Curriculum,
        Domain,
        Kind,
        Resource,
        Rollup,
        Status,
        TimeEntry,
        rollup,
    )
    from diymasters.store import Store
    from diymasters.template import load_template
    from diymasters.tracking import progress_report

__all__ = [
    "Curriculum",
    "DiyMastersError",
    "Domain",
    "Kind",
    "Masters",
    "Resource",
    "Rollup",
    "Status",
    "Store",
    "TimeEntry",
    "load_template",
    "progress_report",
    "rollup",
]

#: The module each public name lives in.
_HOMES = {
    "Curriculum": "diymasters.model",
    "DiyMastersError": "diymasters.errors",
    "Domain": "diymasters.model",
    "Kind": "diymasters.model",
    "Masters": "diymasters.masters",
    "Resource": "diymasters.model",
    "Rollup": "diymasters.model",
    "Status": "diymasters.model",
    "Store": "diymasters.store",
    "TimeEntry": "diymasters.model",
    "load_template": "diymasters.template",
    "progress_report": "diymasters.tracking",
    "rollup": "diymasters.model",
}


def lazy_names(
    package: str,
    homes: Mapping[str, str],
    names: Collection[str],
    namespace: MutableMapping[str, object],
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A package's `__getattr__` and `__dir__`, for its public `names` found in `homes`.

    Here, not in a module of its own, so that importing the package imports nothing else;
    `diymasters.masters` uses it too (issue 18).
    """

    def attribute(name: str) -> object:
        """Import a public name's module the first time the name is used."""
        home = homes.get(name)
        if home is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        from importlib import import_module  # noqa: PLC0415 (the package imports nothing eagerly)

        value = getattr(import_module(home), name)
        namespace[name] = value
        return value

    def listing() -> list[str]:
        """The module's names, with the public ones not yet imported."""
        return sorted({*namespace, *names})

    return attribute, listing


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__, globals())
