"""Tasks for tests/workers/test_cluster.py: a Dask worker imports them by module name (tests/ is on its path)."""

from __future__ import annotations

import os

from generator.project import Project


def times_ten(task: int, project: Project) -> tuple[int, str]:
    return task * 10, str(project.root)


def dies_on_three(task: int, project: Project) -> tuple[int, str]:
    if task == 3:
        os._exit(7)  # as a crash in native code would: no exception, no result
    if task == 4:
        raise ValueError("bad task")
    return times_ten(task, project)


def crashed(task: int, reason: str) -> tuple[int, str]:
    return -task, reason
