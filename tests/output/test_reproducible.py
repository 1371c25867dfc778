"""Same inputs, same bytes: two builds in separate processes, seconds apart, give identical files.

The second test takes the path a machine without Debian's libharfbuzz-subset0 takes: WeasyPrint
then subsets fonts with fontTools, which stamps the time into each font unless told not to.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO

PROFILE = REPO / "profiles" / "layla-haddad.yaml"  # Arabic: the bundled fonts and the system's Noto fonts

# Runs the command line as a machine without HarfBuzz's subsetter would (WeasyPrint checks this name).
WITHOUT_HARFBUZZ_SUBSET = """
import sys
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None
from generator.cli.main import main
main(sys.argv[1:], prog_name="handbook")
"""


def build(out: Path, tmp: Path, fonttools: bool) -> subprocess.CompletedProcess[str]:
    code = ["-c", WITHOUT_HARFBUZZ_SUBSET] if fonttools else ["-m", "generator"]
    tmp.mkdir(exist_ok=True)
    result = subprocess.run([sys.executable, *code, "build", str(PROFILE), "-o", str(out), "--today", "2031-03-04",
                             "--verbose"], cwd=REPO, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp), "HOME": str(tmp)})
    assert result.returncode == 0, result.stderr
    return result


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fonttools", [False, True], ids=["harfbuzz", "fonttools"])
def test_two_builds_seconds_apart_give_the_same_bytes(tmp_path: Path, fonttools: bool) -> None:
    first = build(tmp_path / "first", tmp_path / "tmp", fonttools)
    time.sleep(2.1)  # a font's 'head' date counts seconds
    build(tmp_path / "second", tmp_path / "tmp", fonttools)
    assert ("Using fontTools instead of HarfBuzz-Subset" in first.stderr) == fonttools
    one, two = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert "layla-haddad/handbook.pdf" in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert list((tmp_path / "tmp").iterdir()) == []  # and nothing left in the temporary folder
