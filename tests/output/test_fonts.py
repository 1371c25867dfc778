"""WeasyPrint's temporary files stay in a folder of ours, swept after a killed build; fonts keep their dates."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from generator.output import fonts


def test_the_sweep_removes_only_unheld_folders_of_ours(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = [tmp_path / "handbook-tmp-abcd1234", tmp_path / "handbook-fonts-x_y9ab12"]
    live, theirs = tmp_path / "handbook-tmp-live0000", [tmp_path / "handbook-tmp-mine", tmp_path / "weasyprint-abcd1234"]
    for folder in (*stale, live, *theirs):
        folder.mkdir()
        (folder / "font.ttf").write_bytes(b"x")
    fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the build using it holds it
        fonts.sweep()
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (live, *theirs))


def test_fonts_are_opened_without_a_new_timestamp() -> None:
    import weasyprint.pdf.fonts
    import weasyprint.text.fonts

    fonts.install()
    fonts.install()  # twice: still one subclass deep
    for module in (weasyprint.pdf.fonts, weasyprint.text.fonts):
        font = module.TTFont()
        assert font.recalcTimestamp is False
        assert module.TTFont.__mro__[1].__name__ == "TTFont"
