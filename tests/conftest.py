"""Shared fixtures. PDFs cost ~2.5 s each, so every sample is built once per session.

Plain helpers (REPO, TODAY, copy_project ...) are in helpers.py, which tests import by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, write_profile

from generator.build import BuildOptions, BuildReport, build
from generator.project import find_project


@pytest.fixture(scope="session")
def project():
    return find_project(REPO)


@pytest.fixture(scope="session")
def samples_report(tmp_path_factory, project) -> tuple[Path, BuildReport]:
    """Every sample profile built once (HTML and PDF) into a session folder, with its report."""
    out = tmp_path_factory.mktemp("samples")
    report: BuildReport = build(project, [REPO / "profiles"], BuildOptions(output_dir=out, today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return out, report


@pytest.fixture(scope="session")
def samples_out(samples_report) -> Path:
    return samples_report[0]


@pytest.fixture(scope="session")
def large_print_letter_caregiver(tmp_path_factory, project) -> tuple[Path, tuple[str, ...]]:
    """The caregiver sample in large print on Letter paper: the hardest page layout, built once."""
    root = tmp_path_factory.mktemp("large-letter")
    text = (REPO / "profiles" / "sam-after-surgery.yaml").read_text(encoding="utf-8")
    text = text.replace("paper: A4", "paper: Letter").replace("large_print: false", "large_print: true")
    assert "large_print: true" in text and "paper: Letter" in text
    path = write_profile(root, "sam-after-surgery.yaml", text)
    report = build(project, [path], BuildOptions(output_dir=root / "out", today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return root / "out" / "sam-after-surgery" / "handbook.pdf", report.outcomes[0].layout_notes


@pytest.fixture(scope="session")
def minimal_out(tmp_path_factory, project) -> Path:
    """A profile with only the required keys, built once (HTML and PDF)."""
    root = tmp_path_factory.mktemp("minimal")
    path = write_profile(root, "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    report = build(project, [path], BuildOptions(output_dir=root / "out", today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return root / "out" / "kim"
