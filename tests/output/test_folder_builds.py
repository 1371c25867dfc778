"""Real builds on the command line, in subprocesses: private whatever the umask, never over
someone's own folder, nothing left in TMPDIR, and whole after being killed at any moment."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, write_profile

from generator.output.batches import RECORD_FILE
from generator.output.folder import MANIFEST

TMP_FREE_ENV = {"PATH": "/usr/bin:/bin"}


def handbook(*args: str, tmp: Path, umask: int = 0o022, **popen: object) -> subprocess.Popen[str]:
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, umask=umask, start_new_session=True,
                            env={**TMP_FREE_ENV, "TMPDIR": str(tmp), "HOME": str(tmp)}, **popen)  # type: ignore[call-overload]


def run(*args: str, tmp: Path, umask: int = 0o022) -> tuple[int, str]:
    process = handbook(*args, tmp=tmp, umask=umask)
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def whole(folder: Path) -> dict[str, bytes]:
    """The files of a handbook folder, checked against its manifest (every file listed, every hash right)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    listed = dict(reversed(line.split("  ", 1)) for line in files.pop(MANIFEST).decode().splitlines())
    assert sorted(listed) == sorted(files), f"{folder} is not whole"
    assert all(hashlib.sha256(data).hexdigest() == listed[name] for name, data in files.items()), f"{folder}: bad hash"
    return files


@pytest.fixture
def profiles(tmp_path: Path) -> list[Path]:
    return [write_profile(tmp_path / "profiles", f"{name}.yaml", MINIMAL_PROFILE.format(id=name, name=name.title()))
            for name in ("kim", "lee")]


@pytest.mark.parametrize(("umask", "formats"), [(0o000, "html,pdf"), (0o077, "html")])
def test_a_batch_is_private_whatever_the_umask_and_leaves_nothing_in_tmp(tmp_path: Path, profiles: list[Path],
                                                                         umask: int, formats: str) -> None:
    out = tmp_path / "out"
    code, text = run("build", *map(str, profiles), "-o", str(out), "-j", "2", "--format", formats,
                     tmp=tmp_path / "tmp", umask=umask)
    assert code == 0, text
    modes = {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [out, *out.rglob("*")]}
    assert modes == {("dir", 0o700), ("file", 0o600)}
    assert all((out / name / "index.html").is_file() for name in ("kim", "lee"))
    assert list((tmp_path / "tmp").iterdir()) == []  # WeasyPrint's font folders went with the workers


def test_the_group_reads_when_the_clinic_asks(tmp_path: Path, profiles: list[Path]) -> None:
    out = tmp_path / "out"
    code, text = run("build", str(profiles[0]), "-o", str(out), "--format", "html", "--group-readable",
                     tmp=tmp_path / "tmp", umask=0o077)
    assert code == 0, text
    modes = {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode)) for p in [out, *out.rglob("*")]}
    assert modes == {("dir", 0o750), ("file", 0o640)}


def test_a_users_own_folder_at_the_handbooks_place_is_an_error(tmp_path: Path, profiles: list[Path]) -> None:
    out = tmp_path / "out"
    (out / "kim").mkdir(parents=True)
    (out / "kim" / "tax-return.txt").write_text("mine")
    code, text = run("build", *map(str, profiles), "-o", str(out), "--format", "html", tmp=tmp_path / "tmp")
    assert code == 2, text
    assert "kim is not a handbook folder" in text and "Traceback" not in text
    assert (out / "kim" / "tax-return.txt").read_text() == "mine" and len(list((out / "kim").iterdir())) == 1
    assert (out / "lee" / "index.html").is_file()  # the rest of the batch is built
    assert sorted(p.name for p in out.iterdir()) == ["kim", "lee"]


def wait_for_group(process: subprocess.Popen[str]) -> None:
    """Until the build and every worker it started have ended."""
    process.communicate(timeout=600)  # generous: a loaded 2-core CI machine, not a measurement
    for _ in range(600):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail("a worker outlived its killed build")


@pytest.mark.parametrize(("formats", "kills"), [("html", 8), ("html,pdf", 3)])
def test_a_build_killed_at_any_moment_leaves_a_whole_handbook(tmp_path: Path, profiles: list[Path],
                                                              formats: str, kills: int) -> None:
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    dates = ["2031-01-01", "2031-01-02"]
    complete: dict[str, dict[str, dict[str, bytes]]] = {}  # date -> id -> files of a finished build
    for date in dates:
        code, text = run("build", *map(str, profiles), "-o", str(tmp_path / date), "--format", formats,
                         "--today", date, "-j", "2", tmp=tmp)
        assert code == 0, text
        complete[date] = {p.stem: whole(tmp_path / date / p.stem) for p in profiles}
    start = time.monotonic()
    code, text = run("build", *map(str, profiles), "-o", str(out), "--format", formats, "--today", dates[0], tmp=tmp)
    took = time.monotonic() - start
    chance = random.Random(f"{formats}-12")
    for attempt in range(kills):
        date = dates[(attempt + 1) % 2]
        process = handbook("build", *map(str, profiles), "-o", str(out), "--format", formats, "--today", date,
                           "-j", "2", tmp=tmp)
        time.sleep(chance.uniform(0.05, took))
        os.kill(process.pid, signal.SIGKILL if attempt % 2 else signal.SIGTERM)
        wait_for_group(process)
        for profile in profiles:
            files = whole(out / profile.stem)  # the previous handbook or the new one, whole: never nothing
            assert files in (complete[d][profile.stem] for d in dates)
    code, text = run("build", *map(str, profiles), "-o", str(out), "--format", formats, "--today", dates[0], tmp=tmp)
    assert code == 0, text
    # no staging copies of health pages, and the batch's record whole (output/batches.py)
    assert sorted(p.name for p in out.iterdir()) == [RECORD_FILE, "kim", "lee"]
    assert json.loads((out / RECORD_FILE).read_text())["batches"]
    assert all(whole(out / p.stem) == complete[dates[0]][p.stem] for p in profiles)
    assert list(tmp.iterdir()) == []
