"""Fixtures of the profile tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def in_profiles_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path so messages name 'profiles/x.yaml'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    return tmp_path
