"""handbook: personalised rehabilitation handbooks (website and PDF) from patient profiles.

The public API is small, like WeasyPrint's: load and check a profile, build handbooks,
and the one error class to catch. Names load on first use, so `import generator`
stays cheap for the commands that never lay out a page.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["BuildOptions", "HandbookError", "InputError", "BuildError", "build", "find_project", "load_profile"]

_HOMES = {
    "BuildOptions": "build", "build": "build", "find_project": "project", "load_profile": "profile.load",
    "HandbookError": "errors", "InputError": "errors", "BuildError": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
