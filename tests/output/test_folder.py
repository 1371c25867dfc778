"""Writing a handbook folder: whole or not at all, private, and never over a folder that is not ours."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO

import generator.output.folder as folder
from generator.errors import BuildError, InputError
from generator.output.folder import MANIFEST, replace_folder, sweep


def files_of(target: Path) -> dict[str, bytes]:
    return {p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}


def modes_of(root: Path) -> set[tuple[str, int]]:
    """(kind, permission bits) of `root` and everything under it."""
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [root, *root.rglob("*")]}


def assert_whole(target: Path) -> dict[str, bytes]:
    """The folder holds exactly the files its manifest lists, each with the bytes the manifest hashes."""
    files = files_of(target)
    listed = dict(reversed(line.split("  ", 1)) for line in files.pop(MANIFEST).decode().splitlines())
    assert sorted(listed) == sorted(files)
    assert all(hashlib.sha256(data).hexdigest() == listed[name] for name, data in files.items())
    return files


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    before = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(before)


def test_new_folder_holds_exactly_the_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "ana"
    replace_folder(target, {"index.html": b"1", "assets/a.css": b"2"})
    replace_folder(target, {"index.html": b"3"})
    assert assert_whole(target) == {"index.html": b"3"}


def test_kept_files_survive_a_partial_rebuild(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"old", "handbook.pdf": b"pdf"})
    replace_folder(target, {"index.html": b"new"}, keep=lambda name: name == "handbook.pdf")
    assert assert_whole(target) == {"index.html": b"new", "handbook.pdf": b"pdf"}


def test_a_failed_write_leaves_the_last_good_folder_and_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"good"})
    with pytest.raises(BuildError):
        # "x" as a file and as a folder at once cannot be written: the write fails half-way.
        replace_folder(target, {"a.html": b"1", "x": b"2", "x/y.html": b"3"})
    assert (target / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077], indirect=True)
def test_folders_and_files_are_the_owners_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "out" / "clinic"
    replace_folder(out / "ana", {"index.html": b"1", "assets/fonts/a.woff2": b"2"})
    assert modes_of(out) == {("dir", 0o700), ("file", 0o600)}
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700  # made by us: no one else lists the patients


@pytest.mark.parametrize("umask", [0o000, 0o077], indirect=True)
def test_the_group_reads_only_when_asked(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "out"
    replace_folder(out / "ana", {"index.html": b"1", "assets/a.css": b"2"}, group_readable=True)
    assert modes_of(out) == {("dir", 0o750), ("file", 0o640)}
    replace_folder(out / "ana", {"index.html": b"1"})
    assert modes_of(out / "ana") == {("dir", 0o700), ("file", 0o600)}


def test_a_kept_file_from_an_older_build_becomes_private(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"old", "handbook.pdf": b"pdf"})
    os.chmod(target / "handbook.pdf", 0o644)  # as builds before this version left it
    replace_folder(target, {"index.html": b"new"}, keep=lambda name: name == "handbook.pdf")
    assert modes_of(target) == {("dir", 0o700), ("file", 0o600)}


def test_an_existing_output_folder_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    replace_folder(out / "ana", {"index.html": b"1"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # the clinic's folder, the clinic's choice


def test_a_folder_that_is_not_a_handbook_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(InputError) as raised:
        replace_folder(target, {"index.html": b"1"})
    message = str(raised.value)
    assert str(target.name) in message and "not a handbook folder" in message and MANIFEST in message
    assert files_of(target) == {"notes.txt": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_file_or_link_in_place_of_the_folder_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "ana"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    replace_folder(elsewhere / "ana", {"index.html": b"theirs"})
    if kind == "file":
        target.write_text("mine")
    else:
        target.symlink_to(elsewhere / "ana")
    with pytest.raises(InputError, match="not a handbook folder"):
        replace_folder(target, {"index.html": b"1"})
    assert (elsewhere / "ana" / "index.html").read_bytes() == b"theirs"


def test_an_empty_folder_and_a_handbook_from_an_older_version_are_taken(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    replace_folder(tmp_path / "empty", {"index.html": b"1"})
    older = tmp_path / "older"
    older.mkdir()
    (older / ".inputs.sha256").write_text("0" * 64 + "\n")  # the cache's digest file: written by an older build
    (older / "index.html").write_text("old")
    replace_folder(older, {"index.html": b"1"})
    assert assert_whole(older) == {"index.html": b"1"}


def test_stale_staging_folders_are_swept_and_others_left(tmp_path: Path) -> None:
    replace_folder(tmp_path / "ana", {"index.html": b"1"})
    stale = [tmp_path / ".ana.handbook-new-abcd1234", tmp_path / ".ana.handbook-old-x_y9ab12", tmp_path / ".kim.handbook-new-00000000"]
    for path in stale:
        path.mkdir()
        (path / "index.html").write_text("health data")
    stale.append(tmp_path / ".ana.new-ab_cd123")  # as versions before this one named them
    for path in stale[-1:]:
        path.mkdir()
    theirs = [tmp_path / ".ana.handbook-new-mine", tmp_path / ".ana.backup", tmp_path / "notes.handbook-new-abcd1234"]
    for path in theirs:
        path.mkdir()
    sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ana", *(p.name for p in theirs)])
    assert (tmp_path / "ana" / "index.html").read_bytes() == b"1"


def test_the_next_write_sweeps_its_own_stale_siblings(tmp_path: Path) -> None:
    stale = tmp_path / ".ana.handbook-new-abcd1234"
    stale.mkdir()
    replace_folder(tmp_path / "ana", {"index.html": b"1"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]


def test_a_folder_being_made_is_not_swept_until_it_is_old(tmp_path: Path) -> None:
    young = tmp_path / ".ana.handbook-new-abcd1234.init"  # made, not yet locked and renamed
    young.mkdir()
    sweep(tmp_path)
    assert young.is_dir()
    os.utime(young, (0, 0))  # a build killed in that instant, long ago
    sweep(tmp_path)
    assert not young.exists()


def test_a_staging_folder_still_being_written_is_not_swept(tmp_path: Path) -> None:
    live = tmp_path / ".ana.handbook-new-abcd1234"
    live.mkdir()
    fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the build writing it holds it
        sweep(tmp_path)
        assert live.is_dir()
    finally:
        os.close(fd)
    sweep(tmp_path)
    assert not live.exists()


class PowerLoss(BaseException):
    """Stands for the machine stopping: nothing after it runs, no cleanup either."""


def test_power_loss_between_the_two_renames_gives_back_the_previous_handbook(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"previous", "handbook.pdf": b"pdf"})
    monkeypatch.setattr(folder, "_exchange", lambda _a, _b: False)  # a filesystem without RENAME_EXCHANGE
    real_rename = os.rename

    def rename(source: Path, destination: Path) -> None:
        if Path(destination) == target:  # the previous one is set aside; the new one never arrives
            raise PowerLoss
        real_rename(source, destination)

    monkeypatch.setattr(folder.os, "rename", rename)
    monkeypatch.setattr(folder.shutil, "rmtree", lambda *_a, **_k: None)  # no cleanup runs after a power loss
    with pytest.raises(PowerLoss):
        replace_folder(target, {"index.html": b"new"})
    monkeypatch.undo()
    assert not target.exists()
    sweep(tmp_path)
    assert assert_whole(target) == {"index.html": b"previous", "handbook.pdf": b"pdf"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]


def test_the_swap_is_one_atomic_exchange_where_the_system_has_it(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"previous"})
    real_rename = os.rename

    def rename(source: Path, destination: Path) -> None:
        if target in (Path(source), Path(destination)):
            pytest.fail("renamed: the handbook was missing for a moment")
        real_rename(source, destination)

    monkeypatch.setattr(folder.os, "rename", rename)
    replace_folder(target, {"index.html": b"new"})
    assert assert_whole(target) == {"index.html": b"new"}


def test_every_file_is_durable_before_the_swap(tmp_path: Path, monkeypatch) -> None:
    """One syncfs of the staging folder's filesystem (or an fsync of each path) comes before the exchange."""
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"previous"})
    events: list[str] = []
    real_syncfs, real_exchange = folder._syncfs, folder._exchange
    assert real_syncfs is not None, "Linux has syncfs"

    def syncfs(fd: int) -> int:
        assert os.listdir(fd) and folder._STALE.fullmatch(Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        events.append("syncfs of the staging folder")
        return real_syncfs(fd)

    def exchange(first: Path, second: Path) -> bool:
        events.append("swap")
        return real_exchange(first, second)

    monkeypatch.setattr(folder, "_syncfs", syncfs)
    monkeypatch.setattr(folder, "_exchange", exchange)
    replace_folder(target, {"index.html": b"new", "css/site.css": b"css"})
    assert events == ["syncfs of the staging folder", "swap"]

    synced: list[str] = []
    monkeypatch.setattr(folder, "_syncfs", None)  # a system without syncfs: each path is fsynced

    def fsync_path(path: Path) -> None:
        if path == tmp_path:
            events.append("fsync of the parent")
            return
        staging = tmp_path / path.relative_to(tmp_path).parts[0]
        assert folder._STALE.fullmatch(staging.name) and staging.is_dir()
        synced.append(path.relative_to(staging).as_posix())

    monkeypatch.setattr(folder, "_fsync_path", fsync_path)
    events.clear()
    replace_folder(target, {"index.html": b"newer", "css/site.css": b"css"})
    assert sorted(synced) == sorted([".", "css", "index.html", "css/site.css", MANIFEST]) and events == ["swap", "fsync of the parent"]
    assert assert_whole(target) == {"index.html": b"newer", "css/site.css": b"css"}


SCRIPT = """
import os, signal, sys
from pathlib import Path
import generator.output.folder as folder

target = Path(sys.argv[1])
folder.replace_folder(target, {"index.html": b"previous"})
when, signum = sys.argv[2], getattr(signal, sys.argv[3])
if when in ("writing", "twice"):
    real = folder._write_file
    count = []
    def write_file(path, data, mode):
        count.append(path)
        if len(count) == 3:
            os.kill(os.getpid(), signum)
        real(path, data, mode)
    folder._write_file = write_file
if when == "twice":
    real_rmtree = folder.shutil.rmtree
    def rmtree(path, **options):
        os.kill(os.getpid(), signal.SIGTERM)  # the batch stops its workers while this one cleans up
        real_rmtree(path, **options)
    folder.shutil = type("shutil", (), {"rmtree": staticmethod(rmtree)})
if when == "created":
    real = folder.held_folder
    def held_folder(path):
        made = real(path)
        os.kill(os.getpid(), signum)  # the instant the staging folder exists, before a byte is written
        return made
    folder.held_folder = held_folder
elif when == "refused":
    def check_ours(target):
        os.kill(os.getpid(), signum)  # held back while the folder is checked: an error then must not lose it
        raise OSError(13, "Permission denied")
    folder._check_ours = check_ours
elif when == "swapping":
    real = folder._exchange
    def exchange(a, b):
        os.kill(os.getpid(), signum)  # arrives in the middle of the swap: it waits until the swap is done
        return real(a, b)
    folder._exchange = exchange
folder.replace_folder(target, {f"page{i}.html": b"new" for i in range(6)})
print("not stopped")
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
@pytest.mark.parametrize("when", ["refused", "created", "writing", "swapping"])
def test_a_signal_removes_the_staging_folder_and_then_stops_the_process(tmp_path: Path, when: str, signame: str) -> None:
    target = tmp_path / "ana"
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), str(target), when, signame],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == -getattr(signal, signame), result.stderr
    assert "not stopped" not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]
    expected = {"index.html": b"previous"} if when != "swapping" else {f"page{i}.html": b"new" for i in range(6)}
    assert assert_whole(target) == expected


def test_a_second_signal_while_the_staging_folder_is_removed_waits_for_the_removal(tmp_path: Path) -> None:
    """Ctrl-C reaches a worker, then the batch's SIGTERM comes while the worker removes its staging folder."""
    target = tmp_path / "ana"
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), str(target), "twice", "SIGINT"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == -signal.SIGINT and "_Interrupted: 15" not in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]
    assert assert_whole(target) == {"index.html": b"previous"}


def test_a_worker_whose_batch_was_stopped_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker of a killed batch (its parent gone) never swaps in a handbook after the fact:
    a later build's handbook could otherwise be replaced by a stale one."""
    import generator.output.folder as folder
    from generator.errors import BuildError

    target = tmp_path / "out" / "kim"
    folder.replace_folder(target, {"index.html": b"first"})
    monkeypatch.setattr(folder, "_worker_parent", os.getppid() + 1)  # not this process's parent: it is gone
    with pytest.raises(BuildError, match="the batch it belonged to was stopped"):
        folder.replace_folder(target, {"index.html": b"stale"})
    assert (target / "index.html").read_bytes() == b"first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["kim"]  # no staging left
