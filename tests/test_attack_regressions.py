"""Drafts from the adversarial review of issue 12 (/work/attack-report.md): each FAILS today.

Each test builds a private copy of the project in a separate process with a hard time limit,
so a hang fails the test instead of stopping the suite. Move each one next to the module it
covers (tests/<stage>/test_<module>.py) when its failure is fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO, copy_project

HARD_LIMIT = 60  # seconds: far above a normal one-handbook HTML build (about 1 s)

EVIL_MODULE = """\
---
id: zz-evil
title: Evil
topic: pacing
audience: both
order: 99
summary: A module written to stop the build.
sources: [physical-therapy]
reviewed: 2026-11-23
reviewed_by: "x"
---

{body}
"""


def _build(project: Path, profile: str, *extra: str, tmpdir: Path | None = None) -> tuple[int, str, float]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--project", str(project), "build", f"profiles/{profile}",
             "--format", "html", "--today", "2026-12-01", "-j1", *extra],
            cwd=project, env=env, capture_output=True, text=True, timeout=HARD_LIMIT)
    except subprocess.TimeoutExpired:
        return -1, "timed out", time.monotonic() - started
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def test_the_inputs_digest_does_not_depend_on_where_the_project_lies(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "a")
    second = copy_project(tmp_path / "somewhere" / "else")
    for project in (first, second):
        code, output, _ = _build(project, "jo-hand-injury.yaml")
        assert code == 0, output
    for name in (".inputs.sha256", ".handbook.sha256"):
        one = (first / "output" / "jo-hand-injury" / name).read_bytes()
        two = (second / "output" / "jo-hand-injury" / name).read_bytes()
        assert one == two, f"{name} differs between two copies of the same project"
