"""Worker processes for a batch: one task at a time each, recycled, a crash isolated.

Laying out a PDF runs on one core, so a batch uses one worker process per core. Each
worker is sent one task at a time (the next goes to whichever finishes first, so a
long handbook never holds up a queue behind it), and exits after `recycle_after` tasks
to be replaced by a fresh one: Pango and Fontconfig keep a little native memory per
document that Python cannot free. A worker that dies (killed, out of memory, a crash
in native code) fails only the task it held, with a message; the batch goes on.

Workers are forked from the main process (which runs no threads), so a new or recycled
worker costs a fork, not an interpreter start and the imports again, and runs exactly
the code the main process runs. (A fork server would keep the main process's memory out
of the workers, but on Python 3.11 it imports its preloaded modules before it takes the
main process's sys.path, so it can load another copy of the package.) Where fork is not
available, workers are spawned.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RECYCLE_AFTER = 50  # tasks per worker process before it is replaced


@dataclass(frozen=True)
class Failure:
    """What a worker reports instead of a result when its task raised or could not be sent back."""

    reason: str


PARENT_CHECK_SECONDS = 1.0  # how often an idle worker checks that its parent still lives
STOP_SECONDS = 10.0  # how long a stopped batch waits for its workers to clean up before killing them


def _serve(function: Callable[[T], R], conn: Connection, limit: int,
           initializer: Callable[[], None] | None = None) -> None:
    """A worker: run up to `limit` tasks received on `conn`, sending each result back."""
    if initializer is not None:
        initializer()
    parent = os.getppid()
    for _ in range(limit):
        try:
            # Wait for a task, but not for ever: a parent killed with SIGKILL may leave this pipe
            # open in a sibling worker (forked later, it inherited the parent's end), so no EOF
            # comes; a worker whose parent is gone stops instead of waiting for no one.
            while not conn.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:
                    return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            result: object = function(task)
        except Exception as error:  # noqa: BLE001 - reported as this task's failure, never a dead batch
            result = Failure(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=-3)}")
        try:
            conn.send(result)
        except Exception as error:  # noqa: BLE001 - a result that cannot be pickled
            conn.send(Failure(f"the result could not be sent back: {type(error).__name__}: {error}"))


@dataclass
class _Worker(Generic[T]):
    process: BaseProcess
    conn: Connection
    done: int = 0
    task: tuple[int, T] | None = None


_Context = multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext


def _context() -> _Context:
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _stopped(code: int | None) -> str:
    if code is not None and code < 0:
        return f"its worker process was killed by signal {-code}"
    return f"its worker process stopped (exit code {code})"


def run_in_workers(function: Callable[[T], R], tasks: Iterable[T], workers: int,
                   crashed: Callable[[T, str], R], recycle_after: int = RECYCLE_AFTER,
                   initializer: Callable[[], None] | None = None) -> Generator[tuple[int, R], None, None]:
    """Run `function` (a module-level function) on each task in `workers` processes.

    Yields (index of the task in `tasks`, result) as each finishes. `tasks` is read lazily,
    one ahead of the free workers, so the caller may still be preparing the later ones.
    `crashed(task, reason)` makes the result of a task whose worker died or raised;
    `initializer` runs first in each worker process.
    """
    context = _context()
    source = enumerate(tasks)
    queue: deque[tuple[int, T]] = deque()
    live: list[_Worker[T]] = []
    exhausted = False

    def next_task() -> tuple[int, T] | None:
        nonlocal exhausted
        if queue:
            return queue.popleft()
        if not exhausted:
            item = next(source, None)
            if item is not None:
                return item
            exhausted = True
        return None

    def start() -> _Worker[T]:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(function, theirs, recycle_after, initializer), daemon=True)
        process.start()
        theirs.close()
        worker: _Worker[T] = _Worker(process, ours)
        live.append(worker)
        return worker

    def retire(worker: _Worker[T]) -> None:
        live.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    finished = False
    try:
        while True:
            for worker in [w for w in live if w.task is None] + [None] * (workers - len(live)):
                item = next_task()
                if item is None:
                    break
                worker = worker or start()
                worker.task = item
                worker.conn.send(item[1])
            busy = [w for w in live if w.task is not None]
            if not busy:
                finished = True
                return
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                assert worker.task is not None
                index, task = worker.task
                worker.task = None
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    retire(worker)
                    yield index, crashed(task, _stopped(worker.process.exitcode))
                    continue
                worker.done += 1
                if worker.done >= recycle_after:
                    retire(worker)
                yield index, crashed(task, result.reason) if isinstance(result, Failure) else result
    finally:
        if finished:
            for worker in list(live):
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
                retire(worker)
        else:
            _stop(live)


def _stop(live: list[_Worker[T]]) -> None:
    """Stop a batch now (Ctrl-C, SIGTERM, an error in the caller): no worker finishes its handbook.

    SIGTERM first, which a worker in the middle of writing a handbook answers by removing its
    staging folder (output.folder); one that has not stopped after STOP_SECONDS is killed, and
    the staging folder it leaves is swept by the caller (its lock went with it).
    """
    for worker in live:
        with contextlib.suppress(OSError):
            worker.process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for worker in live:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
    live.clear()
