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
def samples_out(tmp_path_factory, project) -> Path:
    """Every sample profile built once (HTML and PDF) into a session folder."""
    out = tmp_path_factory.mktemp("samples")
    report: BuildReport = build(project, [REPO / "profiles"], BuildOptions(output_dir=out, today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return out


@pytest.fixture(scope="session")
def minimal_out(tmp_path_factory, project) -> Path:
    """A profile with only the required keys, built once (HTML and PDF)."""
    root = tmp_path_factory.mktemp("minimal")
    path = write_profile(root, "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    report = build(project, [path], BuildOptions(output_dir=root / "out", today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return root / "out" / "kim"
