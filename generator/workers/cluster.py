"""A batch on a Dask cluster: `handbook build --scheduler tls://HOST:PORT` (docs/scale.md).

The client (the machine that runs `handbook build`) checks every profile, as for a local
build, and sends each handbook's task to the scheduler; a worker renders it in memory and
sends the files back; the client writes them (output/folder.py), so a handbook folder is
replaced atomically, with the same bytes as a local build, and the workers never need the
output folder. At most a window of tasks is in flight (`--jobs`, else twice the cluster's
threads), so a batch of ten thousand profiles is not pickled onto the scheduler at once.

A worker renders only from the files the client would: before its first task of a batch it
finds the project at the client's path (shared storage) and compares what it sees there, file
by file (output/cache.py's `ProjectFiles`: content, templates, this package's code, library
versions), with what the client sees. A worker that cannot see the project, or sees other
files, fails those handbooks with a message naming the worker and the path; it never builds
from other files. A task that raises, or whose worker dies (Dask gives up on it after
`distributed.scheduler.allowed-failures` retries, elsewhere), fails only its handbook.

Dask is an optional extra (`pip install 'handbook[cluster]'`): it is imported only here and
only when a batch is sent to a scheduler, so `validate` and local builds never load it.
Security (TLS certificates, authentication) is Dask's own configuration: a `tls://` address
uses `distributed.comm.tls.*` from Dask's config files or DASK_* environment variables.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import secrets
import shutil
import socket
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar, cast

from generator.errors import BuildError, HandbookError, counted, did_you_mean, quote
from generator.output.cache import ProjectFiles, project_files
from generator.project import BUNDLED_ROOT, Project, find_project

T = TypeVar("T")
R = TypeVar("R")

CONNECT_SECONDS = 10.0  # how long to try to reach the scheduler before the build stops with a message
MIN_IN_FLIGHT = 4  # tasks sent ahead while the cluster has (as yet) few or no workers
NO_WORKERS_SECONDS = 300.0  # a batch waits this long for a cluster without workers (an adaptive one starts them)
WAIT_SECONDS = 0.05  # how often the client looks for a finished task, or a scheduler gone
RESEND = 1  # times a task lost with another task's worker (its result not yet fetched) is sent again
SHOWN_DIFFERENCES = 5  # files named when a worker sees other files than the client


@dataclass(frozen=True)
class Refused:
    """What a worker sends back instead of a result: the task raised, or the worker may not render it."""

    reason: str


@dataclass(frozen=True)
class Done(Generic[R]):
    """What a worker sends back for a task it rendered. The client reads a task's fate from what came
    back, never from the future's status afterwards: a worker that dies once the result is fetched
    makes Dask compute it again, and the status then says "pending"."""

    value: R


SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")  # Dask's transports between machines


def address_problem(address: str) -> str | None:
    """Why `address` is no scheduler address (before Dask is asked: an unknown scheme made its
    half-built client hang 20 s and print a traceback at exit), else None."""
    scheme, _, rest = address.rpartition("://") if "://" in address else ("tcp", "", address)
    if scheme not in SCHEMES:
        hint = did_you_mean(scheme.lower(), SCHEMES)
        return (f"--scheduler {quote(address)}: unknown address scheme {quote(scheme)}:"
                f"{hint + ' Expected' if hint else ' expected'} one of "
                f"{', '.join(f'{known}://' for known in SCHEMES)} then HOST:PORT, such as tcp://10.0.0.5:8786")
    if not rest.strip():
        return f"--scheduler {quote(address)}: no host: expected {scheme}://HOST:PORT, such as tcp://10.0.0.5:8786"
    host, colon, port = rest.rpartition(":") if not rest.endswith("]") else (rest, "", "")
    if colon and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return f"--scheduler {quote(address)}: {quote(port)} is not a port: expected a number from 1 to 65535"
    if host.count("[") != host.count("]") or (colon and not host):
        return f"--scheduler {quote(address)}: no host: expected {scheme}://HOST:PORT, such as tcp://10.0.0.5:8786"
    return None


def unencrypted(address: str) -> str | None:
    """A warning when `address` would send health data unencrypted to another machine, else None."""
    scheme, _, rest = address.rpartition("://") if "://" in address else ("tcp", "", address)
    host = rest.rsplit(":", 1)[0].strip("[]") if ":" in rest else rest
    if scheme != "tcp" or host in ("localhost", "::1") or host.startswith("127."):
        return None
    return (f"{quote(address)} is not encrypted: the profiles (health data) and the handbooks will cross the network "
            "in clear; use a tls:// address with Dask's TLS settings (docs/scale.md)")


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError:
        raise BuildError("--scheduler needs Dask's distributed package, which is not installed: "
                         "pip install 'handbook[cluster]'") from None
    return distributed


def _connect(distributed: ModuleType, address: str, seconds: float) -> Any:
    """A client of the scheduler at `address`, or a BuildError within about `seconds`."""
    if "://" not in address:
        address = f"tcp://{address}"
    try:
        return distributed.Client(address, timeout=seconds, set_as_default=False)
    except Exception as error:  # noqa: BLE001 - refused, timed out, TLS misconfigured: all one message
        hint = (" (a tls:// address needs Dask's TLS settings: distributed.comm.tls.ca-file, .client.cert "
                "and .client.key, see docs/scale.md)" if address.startswith("tls://") else "")
        raise BuildError(f"cannot reach the Dask scheduler at {address} within {seconds:g} s: "
                         f"{type(error).__name__}: {error}{hint}") from None


def _threads(client: Any) -> int:
    workers = client.scheduler_info(n_workers=-1).get("workers", {})
    return sum(int(worker.get("nthreads", 1)) for worker in workers.values())


def run_on_cluster(address: str, function: Callable[[T, Project], R], tasks: Iterable[T], project: Project,
                   crashed: Callable[[T, str], R], *, with_pdf: bool, in_flight: int = 0,
                   connect_seconds: float | None = None, ship: bool = False) -> Iterator[tuple[T, R]]:
    """Run `function(task, project as the worker sees it)` on the cluster's workers, for each task.

    Yields (task, result) as each finishes. `tasks` is read lazily, a window ahead of the results.
    `crashed(task, reason)` makes the result of a task that raised, whose worker died or that
    the worker refused; `in_flight` bounds the tasks sent at once (0: twice the cluster's threads).
    `ship`: send the project's own content/ and templates/ to every worker (`ShippedProject`)
    instead of the workers reading them at the project's path. A scheduler that cannot be reached
    (within `connect_seconds`, default CONNECT_SECONDS), or Dask not installed, is a BuildError.
    """
    distributed = _distributed()
    seconds = connect_seconds or CONNECT_SECONDS
    client = _connect(distributed, address, seconds)
    shipped: str | None = None
    try:
        expected = project_files(project, with_pdf)  # each task carries only its digest (a worker may die
        # with anything scattered to it); a worker that sees other files sends back what it sees
        root: str | None = str(project.root)
        batch = secrets.token_hex(8)  # each worker checks the project once per batch, never trusting an older check
        if ship:
            shipped = _ship(client, project, expected.digest, batch)
            root = None
        source = iter(tasks)
        # Results are fetched as soon as each is done: one kept on a worker that dies later would be lost.
        running = distributed.as_completed(loop=client.loop, with_results=True, raise_errors=False)
        owners: dict[str, tuple[T, int]] = {}  # a future's key: its task, and how often it was sent again
        exhausted = False
        staffed = time.monotonic()  # when the cluster last had a worker

        def send(task: T, again: int) -> None:
            future = client.submit(_on_worker, function, task, root, expected.digest, with_pdf, batch, pure=False)
            owners[future.key] = (task, again)
            running.add(future)

        while True:
            window = in_flight or max(2 * _threads(client), MIN_IN_FLIGHT)
            while not exhausted and len(owners) < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                send(task, 0)
            if not owners:
                return
            while not running.has_ready():
                if client.status in ("closing", "closed", "failed"):  # Dask gave up reconnecting to the scheduler
                    raise BuildError(f"the batch on the Dask cluster at {address} stopped: the scheduler went "
                                     f"away; the {counted(len(owners), 'handbook')} it held were not built")
                if _threads(client):
                    staffed = time.monotonic()
                elif time.monotonic() - staffed > NO_WORKERS_SECONDS:
                    raise BuildError(f"the Dask cluster at {address} has had no workers for {NO_WORKERS_SECONDS:g} s, "
                                     f"so {counted(len(owners), 'handbook')} waited unbuilt; a worker that cannot load "
                                     "handbook's code (another version) stops itself: see the workers' logs "
                                     "(docs/scale.md)")
                time.sleep(WAIT_SECONDS)
            done, result = next(running)
            task, again = owners.pop(done.key)
            done.release()
            if isinstance(result, Done):
                yield task, result.value
            elif isinstance(result, Mismatch):
                yield task, crashed(task, result.reason(expected))
            elif isinstance(result, Refused):
                yield task, crashed(task, result.reason)
            elif isinstance(result, CancelledError) and again < RESEND:
                send(task, again + 1)  # lost with another task's worker, not by its own doing
            else:  # an error Dask reports: (type, exception, traceback), or the CancelledError sent again
                error = result[1] if isinstance(result, tuple) and len(result) == 3 else result
                yield task, crashed(task, _lost(error if isinstance(error, BaseException) else RuntimeError(error)))
    except HandbookError:
        raise
    except Exception as error:  # noqa: BLE001 - the cluster itself failed (the scheduler went away)
        raise BuildError(f"the batch on the Dask cluster at {address} stopped: {type(error).__name__}: {error}; "
                         "the handbooks reported before were written") from None
    finally:
        if shipped is not None:
            with contextlib.suppress(Exception):  # the workers remove their copies (or do when they stop)
                client.unregister_worker_plugin(shipped)
        client.close(timeout=seconds)


def _lost(error: BaseException) -> str:
    """Why a task came back without a result, in words."""
    if type(error).__name__ == "KilledWorker":
        return (f"the Dask worker that ran it died ({error}); each handbook is tried again on another worker "
                "as often as the scheduler's distributed.scheduler.allowed-failures says")
    if isinstance(error, ImportError) or "deserializ" in str(error):
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return (f"the Dask cluster could not load it: {type(error).__name__}: {first} (the scheduler and every "
                "worker need handbook installed, the same version as here: docs/scale.md)")
    return f"it was lost on the Dask cluster: {type(error).__name__}: {error}"


# -- on the worker -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mismatch:
    """What a worker sends back when it sees other project files than the client: what it sees."""

    worker: str
    root: str
    seen: ProjectFiles

    def reason(self, expected: ProjectFiles) -> str:
        differences = expected.differences(self.seen)
        shown = ", ".join(differences[:SHOWN_DIFFERENCES])
        more = f" and {len(differences) - SHOWN_DIFFERENCES} more" if len(differences) > SHOWN_DIFFERENCES else ""
        return (f"the Dask worker {self.worker} sees other files in the project folder {self.root} than this "
                f"computer ({shown}{more}), so it did not build this handbook from them; the workers need the same "
                "project files, the same version of handbook and the same libraries (docs/scale.md)")


_projects: dict[tuple[str, str, str], Project | Refused | Mismatch] = {}  # (root, digest, batch): what it sees
_one_at_a_time = threading.Lock()  # WeasyPrint shares fonts per process: one render at a time per worker process


def _on_worker(function: Callable[[T, Project], R], task: T, root: str | None, digest: str, with_pdf: bool,
               batch: str) -> Done[R] | Refused | Mismatch:
    """Run on a worker: render the task if this worker sees the project the client sees
    (at `root`, or shipped to it when `root` is None)."""
    with _one_at_a_time:
        key = (root or "", digest, batch)
        if key not in _projects:
            if len(_projects) >= 8:  # a long-lived worker serves batch after batch
                _projects.clear()
            shipped = _shipped.get(batch)
            folder = root or (str(shipped) if shipped else None)
            _projects[key] = _project_here(folder, digest, with_pdf) if folder else Refused(
                f"the Dask worker {_worker_name()} did not receive the project's files shipped with the batch "
                "(see its log)")
        project = _projects[key]
        if not isinstance(project, Project):
            return project
        try:
            return Done(function(task, project))
        except Exception as error:  # noqa: BLE001 - this task's failure, never the batch's
            return Refused(f"{type(error).__name__}: {error}")


def _worker_name() -> str:
    try:
        from distributed import get_worker

        address = str(get_worker().address)
    except (ImportError, ValueError):
        address = "(not a Dask worker)"
    return f"{address} on host {socket.gethostname()}"


def _project_here(root: str, digest: str, with_pdf: bool) -> Project | Refused | Mismatch:
    """The project at `root` as this worker sees it, or why this worker must not render from it."""
    worker = _worker_name()
    try:
        project = find_project(Path(root))
        seen = project_files(project, with_pdf)
    except (HandbookError, OSError) as error:
        return Refused(f"the Dask worker {worker} cannot use the project folder {root}: {error}; every worker "
                       "needs the project at the same path, on shared storage, or --ship-project (docs/scale.md)")
    return project if seen.digest == digest else Mismatch(worker, root, seen)


# -- the project's files shipped to the workers (--ship-project) -----------------------------------

SHIP_LIMIT = 64 * 2**20  # bytes: a library and templates larger than this belong on shared storage
# On a worker: each batch's shipped project, by the batch (two batches of one project at once each
# have their own copy: one ending never removes the files the other still renders from).
_shipped: dict[str, Path] = {}


def pack_project(project: Project) -> bytes:
    """The project's own content/ and templates/ (not the bundled ones, which every worker has) as a
    gzipped tar, the same bytes for the same files: names, contents, nothing of owners or times."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, folder in (("content", project.content_dir), ("templates", project.templates_dir)):
            if folder.parent == BUNDLED_ROOT:
                continue
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    data = path.read_bytes()
                    info = tarfile.TarInfo(f"{name}/{path.relative_to(folder).as_posix()}")
                    info.size, info.mode = len(data), 0o600
                    tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def unpack_project(pack: bytes, folder: Path) -> None:
    """Unpack what `pack_project` made into `folder`: regular files only, each inside it."""
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(pack)), mode="r") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not member.isfile() or member.name.startswith("/") or ".." in parts \
                    or parts[0] not in ("content", "templates"):
                raise ValueError(f"the shipped project holds an unexpected entry: {member.name!r}")
            source = tar.extractfile(member)
            assert source is not None  # a regular file
            target = folder.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(target, "xb", opener=lambda p, flags: os.open(p, flags, 0o600)) as out:
                shutil.copyfileobj(source, out)


def _ship(client: Any, project: Project, digest: str, batch: str) -> str:
    """Register the packed project with the scheduler, which gives it to every worker, now and later,
    under a name of this batch's own."""
    pack = pack_project(project)
    if len(pack) > SHIP_LIMIT:
        raise BuildError(f"--ship-project: the project's content and templates are {len(pack) // 2**20} MiB "
                         f"packed, more than {SHIP_LIMIT // 2**20} MiB: put the project on shared storage instead")
    name = f"handbook-project-{digest[:16]}-{batch}"
    client.register_plugin(_plugin_class()(digest, pack, batch), name=name)
    return name


def _plugin_class() -> type:
    """The Dask worker plugin that unpacks a shipped project (made on first use: it needs distributed)."""
    made = globals().get("ShippedProject")
    if made is not None:
        return cast(type, made)
    from distributed.diagnostics.plugin import WorkerPlugin

    class ShippedProject(WorkerPlugin):
        """Each worker unpacks the project into a private temporary folder (0700), removed when
        the batch ends (the client unregisters the plugin) or the worker stops."""

        def __init__(self, digest: str, pack: bytes, batch: str) -> None:
            self.digest, self.pack, self.batch = digest, pack, batch
            self.folder: Path | None = None

        def setup(self, worker: object) -> None:
            self.folder = Path(tempfile.mkdtemp(prefix=f"handbook-project-{self.digest[:12]}-"))
            unpack_project(self.pack, self.folder)
            _shipped[self.batch] = self.folder

        def teardown(self, worker: object) -> None:
            _shipped.pop(self.batch, None)
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)

    ShippedProject.__module__, ShippedProject.__qualname__ = __name__, "ShippedProject"  # pickled by name
    globals()["ShippedProject"] = ShippedProject
    return ShippedProject


def __getattr__(name: str) -> object:
    """A worker unpickling the plugin finds its class here, made on demand."""
    if name == "ShippedProject":
        return _plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
