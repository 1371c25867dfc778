"""Atomic output: a handbook folder is replaced whole, or not at all.

Files are written to a hidden folder beside the target and swapped in with
renames, so a failed or interrupted build leaves the last good handbook in
place and no temporary files behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.errors import BuildError, display_path


def replace_folder(target: Path, files: Mapping[str, bytes], keep: Callable[[str], bool] = lambda _n: False) -> None:
    """Make `target` hold exactly `files` (relative path -> bytes).

    Files of the previous folder for which `keep(relative_path)` is true are
    carried over (an HTML-only build keeps the last PDF).
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    except OSError as error:
        raise BuildError(f"cannot write to {display_path(parent)}: {error.strerror}") from None
    old: Path | None = None
    try:
        if target.is_dir():
            for path in sorted(target.rglob("*")):
                relative = path.relative_to(target).as_posix()
                if path.is_file() and relative not in files and keep(relative):
                    destination = staging / relative
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)
        for relative, data in files.items():
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
        os.chmod(staging, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except OSError:
            if old is not None:
                os.rename(old, target)
                old = None
            raise
    except OSError as error:
        raise BuildError(f"cannot write {display_path(target)}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
