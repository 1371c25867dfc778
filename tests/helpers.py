"""Helpers the tests share: where the repository is, the build date, and projects to break on purpose.

Fixtures live in conftest.py; plain values and functions live here, so a test imports them
by name (`from helpers import REPO`) instead of importing conftest.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = REPO.parent / "shared" / "profile-example.yaml"
TODAY = dt.date(2026, 11, 23)

PROFILE_HEAD = "handbook: 1\nid: ana\npreferred_name: Ana\nlanguage: en\n"  # the required keys, lines 1-4

MINIMAL_PROFILE = """\
handbook: 1
id: {id}
preferred_name: {name}
language: en
"""

# A one-entry bibliography (content/sources.yaml) for libraries made in a test.
BIBLIOGRAPHY = """\
- key: walking-guide
  title: Walking with nerve pain
  publisher: Example Health Press
  year: 2025
  note: 000_example.txt
"""
REVIEWER = "Dr Test Reviewer"


def write_bibliography(content_dir: Path, text: str = BIBLIOGRAPHY) -> Path:
    content_dir.mkdir(parents=True, exist_ok=True)
    path = content_dir / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def copy_project(tmp_path: Path) -> Path:
    """A private copy of the repository's content, templates and profiles to break on purpose."""
    root = tmp_path / "project"
    for name in ("content", "templates", "profiles"):
        shutil.copytree(REPO / name, root / name)
    return root


def write_profile(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
