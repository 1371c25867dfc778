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


def maximal_profile(profile_id: str = "max", *, start: str = "2026-12-07") -> str:
    """A valid profile at every limit of generator/profile/limits.py: each list as long as it may be,
    plans of 52 weeks, and nearly all the text a profile may hold. It must still build, in bounded time."""
    from generator.profile import limits

    def items(count: int, words: str, width: int) -> str:
        return "".join(f"  - {f'{words} number {i} ' .ljust(width, 'x')}\n" for i in range(count))

    steps = "".join(f"  - goal: Task {t} {'y' * 40}\n    steps:\n"
                    + "".join(f"      - Step {s} of task {t} {'z' * 30}\n" for s in range(limits.MAX_ITEMS["graded_tasks[].steps"]))
                    for t in range(limits.MAX_ITEMS["graded_tasks"]))
    activities = "".join(f"    - name: Activity {a}\n      unit: minutes\n      recent: "
                         f"[{', '.join(str(10 + (i % 7)) for i in range(limits.MAX_ITEMS['pacing.activities[].recent']))}]\n"
                         for a in range(limits.MAX_ITEMS["pacing.activities"]))
    textures = ", ".join(f"Texture {i}" for i in range(limits.MAX_ITEMS["desensitisation.textures"]))
    return (f"handbook: 1\nid: {profile_id}\npreferred_name: {'Kim ' + 'Q' * 50}\nlanguage: en\n"
            f"start_date: {start}\nclinic:\n  name: Clinic\n  next_review: {start}\n"
            f"condition:\n  cause: {'Nerve injury ' * 70}\n  areas: [left-hand, right-foot, chest]\n"
            f"goals:\n{items(limits.MAX_ITEMS['goals'], 'Goal', 90)}"
            f"pacing:\n  weeks: 52\n  activities:\n{activities}"
            f"desensitisation:\n  textures: [{textures}]\n"
            f"graded_tasks:\n{steps}"
            f"sleep:\n  problems: [night-waking]\n  bedtime: '23:00'\n  wake_time: '07:00'\n"
            f"nutrition:\n  notes: {'Small meals ' * 80}\n"
            "flare_plan:\n"
            + "".join(f"  {key}:\n" + items(limits.MAX_ITEMS[f'flare_plan.{key}'], key.title(), 40).replace("  - ", "    - ")
                      for key in ("warning_signs", "first_steps", "call_if"))
            + "caregivers:\n" + "".join(f"  - name: Helper {i}\n    relation: friend\n"
                                        for i in range(limits.MAX_ITEMS["caregivers"])))
