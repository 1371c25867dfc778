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


def test_workers_stop_when_their_parent_is_killed() -> None:
    """A batch killed with SIGKILL leaves no worker behind waiting for it (it hung for ever before:
    a sibling worker kept the dead parent's end of the pipe open, so no end-of-file came)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    script = ("import sys, os; sys.path.insert(0, %r)\n"
              "from generator.workers.pool import run_in_workers\n"
              "import pooltasks\n"
              "for _ in run_in_workers(pooltasks.slow, iter(range(6)), 2, pooltasks.crashed): pass\n") % str(tests)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=tests.parent)
    try:
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
            workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        assert len(workers) == 2, "the workers did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 45  # a task in progress (30 s) finishes, then the worker sees its parent gone
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.5)
            alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                     and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
        assert not alive, f"workers {alive} outlived their killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_with_fork_each_a_worker_runs_its_first_task_and_forks_a_child_for_each_later_one() -> None:
    """What a task leaves in memory goes with its child (issue 12: a worker's peak stays one task's)."""
    from pooltasks import leaves_memory

    results = dict(run_in_workers(leaves_memory, range(8), workers=2, crashed=crashed, fork_each=True))
    assert sorted(results) == list(range(8))
    workers = {parent_pid for _, _, parent_pid, _ in results.values()} - {os.getpid()}
    in_workers = [r for r in results.values() if r[2] == os.getpid()]
    in_children = [r for r in results.values() if r[2] != os.getpid()]
    assert len(in_workers) == 2 and all(held == 0 for *_, held in in_workers)  # each worker's first task
    assert len(in_children) == 6 and {parent for _, _, parent, _ in in_children} <= {pid for _, pid, _, _ in in_workers}
    assert all(held == 1 for *_, held in in_children), "a child starts from its worker, not from the last child"
    assert len({pid for _, pid, _, _ in in_children}) == 6 and workers


def test_with_fork_each_a_child_that_dies_or_raises_fails_only_its_task() -> None:
    from pooltasks import dies_on_three_when_forked

    results = dict(run_in_workers(dies_on_three_when_forked, range(8), workers=1, crashed=crashed, fork_each=True))
    assert results[3] == "3 failed: its worker process stopped (exit code 7)"
    assert isinstance(results[4], str) and results[4].startswith("4 failed: ValueError: bad task")
    assert {i: results[i] for i in (0, 1, 2, 5, 6, 7)} == {i: i * 10 for i in (0, 1, 2, 5, 6, 7)}
