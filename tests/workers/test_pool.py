"""Worker processes: every task done once, workers recycled, a dying worker fails only its task."""

from __future__ import annotations

import os

from pooltasks import crashed, dies_on_three, pid_of

from generator.workers.pool import run_in_workers


def test_every_task_runs_once_and_workers_are_recycled() -> None:
    results = dict(run_in_workers(pid_of, range(12), workers=2, crashed=crashed, recycle_after=3))
    assert sorted(results) == list(range(12))
    assert [task for task, _ in (results[i] for i in range(12))] == list(range(12))
    pids = {pid for _, pid in results.values()}
    assert len(pids) >= 4 and os.getpid() not in pids  # 12 tasks, 3 per worker: at least 4 processes


def test_a_worker_that_dies_or_raises_fails_only_its_task() -> None:
    results = dict(run_in_workers(dies_on_three, range(8), workers=2, crashed=crashed, recycle_after=50))
    assert results[3] == "3 failed: its worker process stopped (exit code 7)"
    assert isinstance(results[4], str) and results[4].startswith("4 failed: ValueError: bad task")
    assert {i: results[i] for i in (0, 1, 2, 5, 6, 7)} == {i: i * 10 for i in (0, 1, 2, 5, 6, 7)}


def test_tasks_are_read_lazily_as_workers_free_up() -> None:
    """The batch hands a profile to a worker as soon as it is checked, not after all are."""
    read: list[int] = []

    def tasks():
        for task in range(6):
            read.append(task)
            yield task

    done = run_in_workers(pid_of, tasks(), workers=2, crashed=crashed)
    first = next(done)
    assert len(read) <= 3, read  # two sent, at most one more
    assert first[0] in (0, 1)
    assert len([first, *done]) == 6
