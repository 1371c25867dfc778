"""Ctrl-C and SIGTERM during `handbook build`, sent to a real build: one line, exit 128 + signal,
workers stopped, and only whole handbooks in the output folder."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, write_profile

from generator.output.folder import MANIFEST

COUNT = 40
LINE = re.compile(r"interrupted: (\d+) built, the rest not; no half-written handbook was left")


def whole(folder: Path) -> None:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    listed = dict(reversed(line.split("  ", 1)) for line in files.pop(MANIFEST).decode().splitlines())
    assert sorted(listed) == sorted(files), f"{folder} is not whole"
    assert all(hashlib.sha256(data).hexdigest() == listed[name] for name, data in files.items()), f"{folder}: bad hash"


def group_gone(group: int, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize(("signum", "to_group", "jobs", "formats"), [
    (signal.SIGINT, True, "2", "html"),    # Ctrl-C in a terminal: the build and its workers all get SIGINT
    (signal.SIGTERM, False, "2", "html"),  # a service manager stops the build: only the main process hears it
    (signal.SIGINT, False, "1", "html"),   # no workers: the main process itself is writing a handbook
    (signal.SIGTERM, False, "2", "pdf"),   # PDFs are laid out in children of the workers: they stop too
], ids=["ctrl-c-to-the-group", "sigterm-to-the-build", "sigint-without-workers", "sigterm-to-a-pdf-batch"])
def test_an_interrupted_build_says_one_line_and_leaves_only_whole_handbooks(
        tmp_path: Path, signum: int, to_group: bool, jobs: str, formats: str) -> None:
    for n in range(COUNT):
        write_profile(tmp_path / "profiles", f"p{n:02d}.yaml", MINIMAL_PROFILE.format(id=f"p{n:02d}", name=f"Kim{n}"))
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(tmp_path / "profiles"), "-o", str(out), "--format", formats,
         "--today", TODAY.isoformat(), "-j", jobs],
        cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp_path)})
    deadline = time.monotonic() + 240
    while not (out.is_dir() and any(not p.name.startswith(".") for p in out.iterdir())):
        assert build.poll() is None and time.monotonic() < deadline, "no handbook was built"
        time.sleep(0.05)
    (os.killpg if to_group else os.kill)(build.pid, signum)
    _, err = build.communicate(timeout=120)

    assert build.returncode == 128 + signum, err
    assert "Traceback" not in err and "Error" not in err, err
    said = LINE.fullmatch(err.strip().splitlines()[-1])
    assert said, err
    assert group_gone(build.pid), "a worker outlived the interrupted build"
    handbooks = sorted(out.iterdir())
    assert all(not p.name.startswith(".") for p in handbooks), "a staging folder was left"
    for folder in handbooks:
        whole(folder)
    assert not list(tmp_path.glob("handbook-*")), "a temporary folder was left in TMPDIR"
    assert int(said[1]) <= len(handbooks) < COUNT, "it was interrupted in the middle of the batch"
