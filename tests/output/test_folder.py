from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.output.folder import replace_folder


def test_new_folder_holds_exactly_the_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "ana"
    replace_folder(target, {"index.html": b"1", "assets/a.css": b"2"})
    replace_folder(target, {"index.html": b"3"})
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == ["index.html"]
    assert (target / "index.html").read_bytes() == b"3"


def test_kept_files_survive_a_partial_rebuild(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"old", "handbook.pdf": b"pdf"})
    replace_folder(target, {"index.html": b"new"}, keep=lambda name: name == "handbook.pdf")
    assert (target / "handbook.pdf").read_bytes() == b"pdf"
    assert (target / "index.html").read_bytes() == b"new"


def test_a_failed_write_leaves_the_last_good_folder_and_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "ana"
    replace_folder(target, {"index.html": b"good"})
    with pytest.raises(BuildError):
        # "x" as a file and as a folder at once cannot be written: the write fails half-way.
        replace_folder(target, {"a.html": b"1", "x": b"2", "x/y.html": b"3"})
    assert (target / "index.html").read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana"]
