"""Atomic, private output: a handbook folder is replaced whole, or not at all.

A handbook is health information. Its folder and files are made readable by their
owner only (0700 / 0600, whatever the umask), or also by the group when asked
(0750 / 0640). The files are written to a hidden sibling, `.<id>.handbook-new-XXXXXXXX`,
made durable (one syncfs, or an fsync each), and swapped in with one atomic exchange of
the two folders (Linux renameat2 RENAME_EXCHANGE), so at every moment `<id>` is the previous handbook or
the new one, whole. Where the system lacks the exchange, two renames are used and the
previous folder waits as `.<id>.handbook-old-XXXXXXXX` in between; a crash there
leaves no `<id>`, and the next run puts the previous one back.

SIGINT, SIGTERM and SIGHUP while the staging folder is written remove it, then stop
the process as they would have; during the swap itself they wait until it is done.
SIGKILL and power loss cannot be caught: the next run sweeps every staging folder
that no live build holds (each build holds an flock on its own), recognised by its
exact name. A folder at `<id>` that this tool did not write (no manifest, no inputs
digest, not empty) is never replaced: it may be someone's own files.

Every folder holds `.handbook.sha256`, the SHA-256 of each of its files in the format
of `sha256sum`, written last: `sha256sum -c .handbook.sha256` checks a handbook is whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from generator.errors import BuildError, InputError, display_path

MANIFEST = ".handbook.sha256"
LEGACY_MARKERS = (".inputs.sha256",)  # the cache's digest file: a handbook written before the manifest existed
# `.<id>.handbook-new-XXXXXXXX`, and `.<id>.new-XXXXXXXX` as versions before this one named them.
_STALE = re.compile(r"\.(?P<name>.+)\.(?:handbook-)?(?P<kind>new|old)-[0-9a-z_]{8}(?P<init>\.init)?")
_INIT_AGE = 60.0  # seconds: a `.init` folder younger than this may be about to be locked and renamed
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def modes(group_readable: bool) -> tuple[int, int]:
    """(folder mode, file mode): the owner's only, or the group may read too."""
    return (0o750, 0o640) if group_readable else (0o700, 0o600)


def replace_folder(target: Path, files: Mapping[str, bytes], keep: Callable[[str], bool] = lambda _n: False,
                   group_readable: bool = False) -> None:
    """Make `target` hold exactly `files` (relative path -> bytes) and their manifest.

    Files of the previous folder for which `keep(relative_path)` is true are
    carried over (an HTML-only build keeps the last PDF).
    """
    dir_mode, file_mode = modes(group_readable)
    parent = target.parent
    with _Guard() as guard:
        with guard.deferring():  # the staging folder and the guard's duty to remove it begin together
            try:
                _make_folders(parent, dir_mode)
                sweep(parent, only=target.name)
                _check_ours(target)
                staging, staging_fd = held_folder(parent / f".{target.name}.handbook-new-{_suffix()}")
                guard.staging = staging  # signals wait meanwhile: none can come between these two lines
            except OSError as error:
                raise BuildError(f"cannot write to {display_path(parent)}: {error.strerror or error}") from None
        try:
            with contextlib.closing(_Descriptor(staging_fd)), _locked(target if target.is_dir() else None) as _:
                guard.deliver()  # a signal that came while the staging folder was made stops the write here
                _fill(staging, target, files, keep, dir_mode, file_mode)
                with guard.deferring():
                    if _worker_parent is not None and os.getppid() != _worker_parent:
                        raise BuildError(
                            f"{display_path(target)} was not written: the batch it belonged to was stopped")
                    retired = _swap(staging, target)
                    guard.staging = retired  # swapped in: what is left to remove is the previous handbook
                    _fsync_folder(parent)
        except OSError as error:
            raise BuildError(f"cannot write {display_path(target)}: {error.strerror or error}") from None
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        guard.deliver()


_worker_parent: int | None = None  # in a batch's worker process: the build that started it


def worker_started() -> None:
    """In a worker process of a batch: stop with the parent, and on Ctrl-C, as the parent does.

    A worker whose parent was killed (SIGKILL) is sent SIGTERM by Linux (PR_SET_PDEATHSIG)
    and removes its staging folder before it stops, instead of writing handbooks for no one.
    """
    global _worker_parent
    _worker_parent = os.getppid()  # replace_folder writes nothing once this parent is gone
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports the interruption
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():  # the parent died before prctl
        os._exit(1)


def sweep(folder: Path, only: str | None = None) -> None:
    """Remove staging folders that killed builds left in `folder` (or only those of handbook `only`).

    A previous handbook set aside between two renames whose new one never arrived is put back.
    Folders that a live build holds, that are not ours, or whose names we did not make are left.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        match = _STALE.fullmatch(entry.name)
        if match is None or (only is not None and match["name"] != only):
            continue
        try:
            if not is_stale_candidate(entry, young=_INIT_AGE if match["init"] else None):
                continue
            with _locked(Path(entry.path), wait=False) as held:
                if not held:
                    continue  # a build is writing it now
                target = Path(folder) / match["name"]
                if match["kind"] == "old" and not os.path.lexists(target):
                    os.rename(entry.path, target)
                    _fsync_folder(Path(folder))
                    continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)


def untouched(folder: Path) -> bool:
    """True when every file the manifest of `folder` lists is there and none was written, changed
    in mode or replaced since the manifest was (each file's ctime is at most the manifest's: the
    manifest is written last). One stat a file, no hashing (about 0.13 ms a handbook): a handbook
    edited, truncated or with a page deleted by hand is rebuilt, not reported unchanged."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (OSError, ValueError):
        return False
    try:
        manifest = os.stat(MANIFEST, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISREG(manifest.st_mode):
            return False
        with os.fdopen(os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd), "rb") as stream:
            listed = stream.read(_MAX_MANIFEST).decode("utf-8").splitlines()
        for line in listed:  # `<64 hex digits>  <relative path>`, as sha256sum writes it
            name = line[66:] if line[64:66] == "  " else ""
            if not name or name.startswith("/") or ".." in name.split("/"):
                return False
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_ctime_ns > manifest.st_ctime_ns:
                return False
        return True
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    finally:
        os.close(fd)


_MAX_MANIFEST = 1 << 20  # a handbook's manifest is a few KB


def held_folder(path: Path) -> tuple[Path, int]:
    """Make the folder `path` (0700), flock-held through the returned descriptor from its first moment.

    It is made as `path.init`, locked, then renamed: a sweep never takes a folder of a live
    process for a stale one in the instant between its creation and its lock.
    """
    start = path.with_name(path.name + ".init")
    os.mkdir(start, 0o700)
    fd = os.open(start, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(start, path)
    except BaseException:
        os.close(fd)
        shutil.rmtree(start, ignore_errors=True)
        raise
    return path, fd


def is_stale_candidate(entry: os.DirEntry[str], young: float | None = None) -> bool:
    """A real folder of ours (not a link, our uid), and, with `young`, older than `young` seconds."""
    if not entry.is_dir(follow_symlinks=False):
        return False
    info = entry.stat(follow_symlinks=False)
    return info.st_uid == os.getuid() and (young is None or time.time() - info.st_mtime > young)


class _Descriptor:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)


def _suffix() -> str:
    return "".join(secrets.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(8))


def _make_folders(folder: Path, mode: int) -> None:
    """Create `folder` and its missing parents with `mode`; folders that exist keep theirs."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, mode)
            os.chmod(path, mode)  # the umask may have taken bits away


def _check_ours(target: Path) -> None:
    """Refuse to replace anything at `target` but a folder this tool wrote, or an empty one."""
    if not os.path.lexists(target):
        return
    if target.is_symlink() or not target.is_dir():
        what = "a link" if target.is_symlink() else "a file"
        raise InputError(f"{display_path(target)} is {what}, not a handbook folder: handbook will not replace it; "
                         "move it away or choose another output folder (-o)")
    names = set(os.listdir(target))
    if names and not names & {MANIFEST, *LEGACY_MARKERS}:
        raise InputError(f"{display_path(target)} is not a handbook folder (it has no {MANIFEST}) and holds "
                         f"{len(names)} other entries: handbook will not replace it; "
                         "move it away or choose another output folder (-o)")


def _fill(staging: Path, target: Path, files: Mapping[str, bytes], keep: Callable[[str], bool],
          dir_mode: int, file_mode: int) -> None:
    """Write every file into `staging` with its mode, the manifest last, and make it all durable."""
    everything = dict(files)
    if target.is_dir():
        for path in sorted(target.rglob("*")):
            relative = path.relative_to(target).as_posix()
            if relative not in everything and relative != MANIFEST and path.is_file() and keep(relative):
                everything[relative] = path.read_bytes()
    everything.pop(MANIFEST, None)
    folders = {staging}
    for relative, data in sorted(everything.items()):
        destination = staging / relative
        for folder in reversed(destination.parents):
            if folder.is_relative_to(staging) and folder not in folders:
                os.mkdir(folder, dir_mode)
                folders.add(folder)
        _write_file(destination, data, file_mode)
    manifest = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(everything.items()))
    _write_file(staging / MANIFEST, manifest.encode(), file_mode)
    for folder in folders:
        os.chmod(folder, dir_mode)
    _make_durable(staging, [*(staging / name for name in everything), staging / MANIFEST, *folders])


def _make_durable(staging: Path, paths: list[Path]) -> None:
    """Every file and folder of `staging` on disk before the swap, so a power loss after it finds them whole.

    Where Linux's syncfs() exists, one call flushes the data and metadata of everything written on
    the staging folder's filesystem, which includes every file, folder, mode and name in `staging`:
    when it returns they are durable, exactly as if each had been fsynced, so the guarantee holds
    (the swap that follows is made durable by fsyncing the parent). It costs one system call
    instead of ~35 (about 10 ms of a handbook's ~20 ms of writing, half the CPU: issue 12). It also
    flushes what other programs wrote on that filesystem, which on a machine writing gigabytes at
    the same time can make it slower than fsyncing the files; since Linux 5.8 it reports write
    errors. Elsewhere each path is fsynced, together (fsyncs issued at once share the journal's
    commits: about 3 times faster than one after another on a loaded disk).
    """
    if _syncfs is not None:
        fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            if _syncfs(fd) == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise OSError(code, os.strerror(code), str(staging))
        finally:
            os.close(fd)
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(_fsync_path, paths))


def _find_syncfs() -> Callable[[int], int] | None:
    try:
        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None
    return function


_syncfs = _find_syncfs()


def _write_file(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _fsync_path(path: Path) -> None:
    """fsync a file or folder by a new descriptor (fsync flushes the file, whichever descriptor)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    _fsync_path(folder)


def _swap(staging: Path, target: Path) -> Path | None:
    """Put `staging` at `target`; return where the previous folder now is (to delete), if any."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return None
    if _exchange(staging, target):
        return staging
    retired = target.parent / f".{target.name}.handbook-old-{_suffix()}"
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    return retired


_PR_SET_PDEATHSIG = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system or filesystem cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def _locked(folder: Path | None, wait: bool = True) -> Iterator[bool]:
    """Hold an flock on `folder` (released when the process dies): a sweep leaves held folders alone."""
    if folder is None:
        yield True
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Guard:
    """While a staging folder exists: a signal (or any error) removes it first, then acts as it would have.

    The handlers are set before the folder is made, so no instruction lies between the
    folder's creation and the code that removes it.

    Only the main thread may set signal handlers; elsewhere (a thread pool) nothing changes.
    """

    def __init__(self) -> None:
        self.previous: dict[int, signal.Handlers | Callable[[int, FrameType | None], object] | int | None] = {}
        self.pending: list[int] = []
        self.defer = False
        self.staging: Path | None = None  # the folder being written, removed if the write stops

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.defer:
            self.pending.append(signum)
        else:
            raise _Interrupted(signum)

    @contextlib.contextmanager
    def deferring(self) -> Iterator[None]:
        """A signal that comes now waits for `deliver`: the swap is never left half done."""
        self.defer = True
        try:
            yield
        finally:
            self.defer = False

    def deliver(self) -> None:
        if self.pending:
            raise _Interrupted(self.pending[0])

    def __enter__(self) -> _Guard:
        if threading.current_thread() is threading.main_thread():
            for signum in _SIGNALS:
                if signal.getsignal(signum) not in (signal.SIG_IGN, None):
                    self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, kind: object, error: BaseException | None, _trace: object) -> None:
        self.defer = True  # a second signal (Ctrl-C, then the batch's SIGTERM) must not cut the removal short
        if error is not None and self.staging is not None:  # whatever stopped the write, at whatever instruction
            shutil.rmtree(self.staging, ignore_errors=True)
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        stop = error.signum if isinstance(error, _Interrupted) else next(iter(self.pending), None)
        if stop is not None:  # a signal held back while an error was on its way is not lost either
            signal.raise_signal(stop)  # as if it came now: the process stops, or its own handler runs
            raise BuildError(f"the build was interrupted ({signal.Signals(stop).name})")
