"""WeasyPrint's fonts: a temporary folder that does not outlive a build, and no clock in the bytes.

WeasyPrint writes each @font-face font it loads into a folder of its own in /tmp and
removes it only when its FontConfiguration is garbage collected, which a worker process
of a batch never does (it leaves with os._exit), nor a process that is killed. Here the
folder is ours: `handbook-tmp-XXXXXXXX` in the temporary folder, locked (flock) while its
process lives, removed when the process ends, and swept by the next build if the process was
killed. It is also `tempfile`'s default while WeasyPrint loads: cffi finds its libraries with
ctypes.util.find_library, whose probes write temporary files.

When HarfBuzz's subsetter (Debian's libharfbuzz-subset0) is missing, WeasyPrint subsets
fonts with fontTools, which stamps the time of saving into each font's 'head' table, as it
does for WOFF and variable fonts: the same handbook would give other PDF bytes every second.
Fonts are opened here without timestamp recalculation, so an embedded font keeps the date
its file carries, whichever subsetter runs.
"""

from __future__ import annotations

import fcntl
import multiprocessing.util
import os
import re
import secrets
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.output.folder import held_folder, is_stale_candidate

if TYPE_CHECKING:  # for annotations only: WeasyPrint ships no types
    from weasyprint.text.fonts import FontConfiguration

_FOLDER = re.compile(r"handbook-(?:tmp|fonts)-[0-9a-z_]{8}(?P<init>\.init)?")


@lru_cache(maxsize=1)
def temporary_folder() -> Path:
    """This process's own temporary folder, `tempfile`'s default while WeasyPrint loads.

    WeasyPrint's font files go there, and so does what its libraries make while loading (cffi
    looks its libraries up with ctypes.util.find_library, whose probes write temporary files):
    a process killed at any moment leaves only this folder, which the next build sweeps.
    """
    sweep()
    folder, fd = held_folder(Path(tempfile.gettempdir()) / f"handbook-tmp-{secrets.token_hex(4)}")
    # Runs when the process ends normally, a worker of a batch included (atexit does not run there).
    multiprocessing.util.Finalize(None, _remove, args=(folder, fd), exitpriority=0)
    return folder


def load_weasyprint() -> None:
    """Import WeasyPrint with our temporary folder as `tempfile`'s default while it loads."""
    if "weasyprint" in sys.modules:
        return
    folder = temporary_folder()
    before, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        import weasyprint  # noqa: F401
    finally:
        tempfile.tempdir = before


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One FontConfiguration per process, its fonts in our temporary folder (see the module's text)."""
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    config._folder = Path(tempfile.mkdtemp(prefix="fonts-", dir=temporary_folder()))  # else WeasyPrint makes one
    return config


def _remove(folder: Path, fd: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    os.close(fd)


def sweep() -> None:
    """Remove temporary folders of killed builds: ours by name and owner, and no live process holds them."""
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        match = _FOLDER.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if not is_stale_candidate(entry, young=60.0 if match["init"] else None):
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its build is running
        finally:
            os.close(fd)
        shutil.rmtree(entry.path, ignore_errors=True)


def _keeping_dates(ttfont_class: Any) -> Any:
    """fontTools' TTFont, opening fonts without recalculating their 'head' timestamp."""
    if getattr(ttfont_class, "keeps_dates", False):
        return ttfont_class

    class TTFontKeepingDates(ttfont_class):  # type: ignore[misc]
        keeps_dates = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("recalcTimestamp", False)
            super().__init__(*args, **kwargs)

    return TTFontKeepingDates


def install() -> None:
    """Make WeasyPrint open fonts without timestamp recalculation (idempotent)."""
    import weasyprint.pdf.fonts
    import weasyprint.text.fonts

    for module in (weasyprint.pdf.fonts, weasyprint.text.fonts):
        module.TTFont = _keeping_dates(module.TTFont)
