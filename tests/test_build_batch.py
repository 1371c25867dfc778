"""A batch (build.py): worker processes for HTML-only builds too, the same bytes as one process,
progress heard of every handbook, and templates compiled once per process without leaking data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, TODAY, copy_project

import generator.build.handbooks as build_module
from generator.build import BuildOptions, Outcome, build
from generator.project import find_project

HTML = frozenset({"html"})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_html_only_batch_uses_worker_processes_and_gives_the_same_bytes(tmp_path: Path, monkeypatch) -> None:
    used: list[int] = []
    real = build_module.run_in_workers

    def spy(function, tasks, workers, *args, **kwargs):
        used.append(workers)
        return real(function, tasks, workers, *args, **kwargs)

    monkeypatch.setattr(build_module, "run_in_workers", spy)
    project = find_project(REPO)
    one = build(project, [REPO / "profiles"], BuildOptions(output_dir=tmp_path / "one", formats=HTML, today=TODAY, jobs=1))
    two = build(project, [REPO / "profiles"], BuildOptions(output_dir=tmp_path / "two", formats=HTML, today=TODAY, jobs=2))
    assert one.exit_code == two.exit_code == 0
    assert used == [2]  # --jobs 1 built in this process, --jobs 2 in two workers
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_progress_hears_of_every_handbook_built_unchanged_or_failed(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "profiles" / "broken.yaml").write_text("handbook: 1\nid: broken\n", encoding="utf-8")
    heard: list[tuple[Outcome, int]] = []
    options = BuildOptions(output_dir=tmp_path / "out", formats=HTML, today=TODAY, jobs=2)
    build(find_project(root), [root / "profiles"], options, progress=lambda o, total: heard.append((o, total)))
    again: list[tuple[Outcome, int]] = []
    report = build(find_project(root), [root / "profiles"], options, progress=lambda o, total: again.append((o, total)))
    count = len(list((root / "profiles").glob("*.yaml")))
    assert len(heard) == len(again) == count and {total for _, total in heard + again} == {count}
    assert sorted(o.source for o, _ in again) == sorted(o.source for o in report.outcomes)
    assert sum(o.up_to_date for o, _ in again) == count - 1 and sum(o.error is not None for o, _ in again) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_compiled_templates_are_shared_but_no_profile_data_is(tmp_path: Path, jobs: int) -> None:
    """Two handbooks in one process (or one worker): each shows only its own clinic's numbers
    and its own language, though the compiled page templates and module bodies are reused."""
    project = find_project(REPO)
    out = tmp_path / "out"
    report = build(project, [REPO / "profiles"], BuildOptions(output_dir=out, formats=HTML, today=TODAY, jobs=jobs))
    assert report.exit_code == 0
    alone = tmp_path / "alone"
    for path in sorted((REPO / "profiles").glob("*.yaml")):  # each in a fresh process: nothing cached
        subprocess.run([sys.executable, "-m", "generator", "--project", str(REPO), "build", str(path), "-o", str(alone),
                        "--format", "html", "--today", TODAY.isoformat()], check=True, capture_output=True, timeout=120)
    for outcome in report.outcomes:
        assert tree(out / str(outcome.profile_id)) == tree(alone / str(outcome.profile_id)), outcome.profile_id
