"""What the browser tests (tests/browser/) share: where the tools are, the widths, where screenshots go."""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers import REPO

CHROMIUM = Path(os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "output" / "screenshots"
PDF_SAMPLE = "jo-hand-injury"  # the one sample built with its PDF, for the link's file size
WIDTHS = {"desktop": 1280, "phone": 320}


def missing_tools() -> list[str]:
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the Python package playwright (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    for path in (AXE, VNU):
        if not path.is_file():
            missing.append(f"{path.relative_to(REPO)} (npm ci)")
    return missing


@dataclass(frozen=True)
class Site:
    """One built site: its folder name under the served root, and its pages (relative paths)."""

    name: str
    pages: tuple[str, ...]
