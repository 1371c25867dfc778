"""Worker processes for a batch: one task at a time each, recycled, a crash isolated.

Laying out a PDF runs on one core, so a batch uses one worker process per core. Each
worker is sent one task at a time (the next goes to whichever finishes first, so a
long handbook never holds up a queue behind it), and exits after `recycle_after` tasks
to be replaced by a fresh one. With `fork_each` (PDF batches) each task after a worker's
first runs in a child of the worker: a layout leaves memory behind (Pango, Fontconfig and
Python's fragmented heap) that goes with the child, so the worker's memory stays flat.
A worker that dies (killed, out of memory, a crash in native code) fails only the task it
held, with a message; the batch goes on.

Workers are forked from the main process (which runs no threads), so a new or recycled
worker costs a fork, not an interpreter start and the imports again, and runs exactly
the code the main process runs. (A fork server would keep the main process's memory out
of the workers, but on Python 3.11 it imports its preloaded modules before it takes the
main process's sys.path, so it can load another copy of the package.) Where fork is not
available, workers are spawned.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Tasks per worker process before it is replaced: a safety net now, not a cure. A PDF worker forks
# a child per handbook (fork_each) and keeps its own memory; an HTML worker's stays near 60 MiB
# (measured over 400 handbooks). A new worker compiles every template again (about 0.5 s of CPU):
# at 50, that was a tenth of an HTML batch's time.
RECYCLE_AFTER = 500


@dataclass(frozen=True)
class Failure:
    """What a worker reports instead of a result when its task raised or could not be sent back."""

    reason: str


PARENT_CHECK_SECONDS = 1.0  # how often an idle worker checks that its parent still lives
STOP_SECONDS = 10.0  # how long a stopped batch waits for its workers to clean up before killing them


def _serve(function: Callable[[T], R], conn: Connection, limit: int,
           initializer: Callable[[], None] | None = None, fork_each: bool = False) -> None:
    """A worker: run up to `limit` tasks received on `conn`, sending each result back.

    With `fork_each`, the first task runs here and every later one in a child forked from this
    worker (`_run_forked`): the worker keeps what the first task warmed (imports, fonts, caches)
    and each task's own memory goes with its child.
    """
    if initializer is not None:
        initializer()
    fork_each = fork_each and hasattr(os, "fork")  # where workers are spawned, tasks run in the worker
    parent = os.getppid()
    for done in range(limit):
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
        if fork_each and done > 0:
            result = _run_forked(function, task, initializer, conn)
        else:
            result = _run(function, task)
            if fork_each:
                _settle()
        try:
            conn.send(result)
        except Exception as error:  # noqa: BLE001 - a result that cannot be pickled
            conn.send(Failure(f"the result could not be sent back: {type(error).__name__}: {error}"))


def _run(function: Callable[[T], R], task: T) -> object:
    try:
        return function(task)
    except Exception as error:  # noqa: BLE001 - reported as this task's failure, never a dead batch
        return Failure(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=-3)}")


def _settle() -> None:
    """Before a worker forks its first task: what it holds is every child's starting point, so hold
    little (collect, give free heap back to the system) and keep it still (gc.freeze: a child's
    collections never touch, and so never copy, the pages of what the worker made)."""
    gc.collect()
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)
    gc.freeze()


_STOP = (signal.SIGINT, signal.SIGTERM)


def _run_forked(function: Callable[[T], R], task: T, initializer: Callable[[], None] | None,
                conn: Connection) -> object:
    """Run one task in a child of this worker and return its result (or the Failure of its death).

    Measured on PDF batches (issue 12): a worker laying out handbook after handbook grew from
    146 MiB to 172 MiB (Python's and the font libraries' heaps fragment; gc and malloc_trim gave
    little back), while a child forked from a worker that laid out one handbook peaks at 130-140
    MiB every time. A SIGTERM that stops the batch is passed on to the child, and the worker
    waits for it (a child writing a handbook first removes its staging folder), then stops too.
    """
    received: list[int] = []
    child = 0

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        if child and signum == signal.SIGTERM:  # SIGINT (Ctrl-C) reached the child itself
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGTERM)

    previous = {signum: signal.signal(signum, pass_on) for signum in _STOP}
    try:
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:  # the child: run the task, write the pickled result, leave without cleanup of the worker's
            code = 1
            try:
                for signum, handler in previous.items():
                    signal.signal(signum, handler)
                os.close(read_end)
                conn.close()  # the worker's pipe to the batch: only the worker answers on it
                if initializer is not None:
                    initializer()  # its own parent-death signal, with this worker as the parent
                result = _run(function, task)
                try:
                    data = pickle.dumps(result)
                except Exception as error:  # noqa: BLE001 - a result that cannot be pickled
                    data = pickle.dumps(Failure(f"the result could not be sent back: {type(error).__name__}: {error}"))
                with open(write_end, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        if signal.SIGTERM in received:
            os.kill(child, signal.SIGTERM)
        with open(read_end, "rb") as source:
            data = source.read()
        _, status = os.waitpid(child, 0)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        signal.raise_signal(received[0])  # stop as the signal would have stopped this worker
    if not data:
        return Failure(_stopped(os.waitstatus_to_exitcode(status)))
    return pickle.loads(data)


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
                   initializer: Callable[[], None] | None = None,
                   fork_each: bool = False) -> Generator[tuple[int, R], None, None]:
    """Run `function` (a module-level function) on each task in `workers` processes.

    Yields (index of the task in `tasks`, result) as each finishes. `tasks` is read lazily,
    one ahead of the free workers, so the caller may still be preparing the later ones.
    `crashed(task, reason)` makes the result of a task whose worker died or raised;
    `initializer` runs first in each worker process (and in each child of one, with `fork_each`:
    then every task after a worker's first runs in a child forked from that worker, see `_serve`).
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
        process = context.Process(target=_serve, args=(function, theirs, recycle_after, initializer, fork_each),
                                  daemon=True)
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
