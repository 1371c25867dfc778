"""Tasks for tests/workers/test_pool.py: worker processes import them by module name."""

from __future__ import annotations

import os


def pid_of(task: int) -> tuple[int, int]:
    return task, os.getpid()


def dies_on_three(task: int) -> int:
    if task == 3:
        os._exit(7)  # as a crash in native code would: no exception, no result
    if task == 4:
        raise ValueError("bad task")
    return task * 10


def crashed(task: int, reason: str) -> str:
    return f"{task} failed: {reason}"


def slow(task: int) -> int:
    import time

    time.sleep(30)  # long enough to be still working when the parent is killed
    return task


KEPT: list[bytes] = []  # what a task leaves behind in its process, as a layout engine's caches do


def leaves_memory(task: int) -> tuple[int, int, int, int]:
    """(task, its process, that process's parent, how many tasks' leftovers the process held before)."""
    held = len(KEPT)
    KEPT.append(b"x" * 1_000_000)
    return task, os.getpid(), os.getppid(), held


def dies_on_three_when_forked(task: int) -> int:
    return dies_on_three(task)
