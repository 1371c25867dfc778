"""Recognise a batch whose every input is unchanged since it was last built, without checking it again.

`output.cache` decides handbook by handbook, but to know a handbook's inputs it must load
and check the library and the profile (which modules its outline selects): a fixed cost of
every build, most of a rebuild in which nothing changed. So a build that ends with every
handbook built or unchanged records, in the output folder, the batch's key and each
handbook's id, inputs digest and warnings. The key is the SHA-256 of everything any of its
handbooks could be made from: the whole project (code, library versions, every content,
module, template and catalogue file: `cache.project_digest`), the build settings and the
formats, and each profile's place and bytes. The next build with the same key, whose
handbook folders still hold the recorded digests and files, is settled from the record:
the same "up to date" outcomes and warnings the full check would give, since they are a
function of the same inputs. Anything else (another key, a folder rebuilt or removed, an
unreadable or foreign record) goes the whole way, as if there were no record.

The record holds profile ids, paths and warnings: it is written like a handbook's files,
readable by its owner only (or its group, when the handbooks are), atomically: a temporary
file, locked while it is written, renamed over it; the next build sweeps one a killed build left.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import HandbookError, display_path
from generator.inputs.checker import ID_PATTERN
from generator.inputs.source import read_source
from generator.output.cache import is_up_to_date, project_digest
from generator.output.folder import modes
from generator.project import Project

RECORD_FILE = ".handbook-batches.json"
TEMPORARY_PREFIX = ".handbook-batches-"  # a record being written, renamed over RECORD_FILE when whole
FORMAT = "handbook-batches/1"
MAX_BYTES = 16 * 1024 * 1024  # a record of 32 batches of thousands of handbooks is a few MiB
KEPT = 32  # batches remembered per output folder (a clinic builds a few groups into one folder)


@dataclass(frozen=True)
class Settled:
    """One handbook of a recorded batch: its profile's place, its id, inputs digest and warnings."""

    source: str
    profile_id: str
    digest: str
    warnings: tuple[str, ...]


def batch_key(project: Project, paths: Sequence[Path], settings: str, expected_files: Sequence[str],
              shared: str) -> str | None:
    """The key of a batch of these profiles with these settings (`shared`: `cache.shared_digest`), or
    None when a profile cannot be read here (the full check then says why)."""
    whole = project_digest(project, shared)
    digest = hashlib.sha256(f"{FORMAT}\0{whole}\0{settings}\0{','.join(expected_files)}\0".encode())
    for path in paths:
        try:
            read_source(path, root=project.root)  # only a regular file, inside the project when reached by a link
            data = path.read_bytes()
        except (HandbookError, OSError):
            return None
        digest.update(display_path(path).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def recorded(output_dir: Path, key: str, expected_files: Sequence[str]) -> tuple[Settled, ...] | None:
    """The batch recorded under `key`, when every one of its handbooks is still as it was left."""
    batch = _read(output_dir).get(key)
    if not isinstance(batch, list) or not batch:
        return None
    try:
        settled = tuple(Settled(str(source), str(profile_id), str(digest), tuple(map(str, warnings)))
                        for source, profile_id, digest, warnings in batch)
    except (TypeError, ValueError):
        return None
    for handbook in settled:  # a record edited by hand names a folder only as a profile id could
        if not re.fullmatch(ID_PATTERN, handbook.profile_id) or \
                not is_up_to_date(output_dir / handbook.profile_id, handbook.digest, expected_files):
            return None
    return settled


def record(output_dir: Path, key: str, settled: Sequence[Settled], group_readable: bool = False) -> None:
    """Remember a batch whose every handbook was built or found unchanged. Best effort: a record
    that cannot be written only means the next build checks everything again."""
    batches = {name: batch for name, batch in _read(output_dir).items() if name != key}
    batches[key] = [[s.source, s.profile_id, s.digest, list(s.warnings)] for s in settled]
    kept = dict(list(batches.items())[-KEPT:])
    text = json.dumps({"format": FORMAT, "batches": kept}, indent=0).encode("ascii")  # any text, even a lone surrogate
    with contextlib.suppress(OSError):
        fd, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".tmp", dir=output_dir)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held while it is written: `sweep` leaves it alone
            os.fchmod(fd, modes(group_readable)[1])  # the umask may have taken bits away
            os.write(fd, text)
            os.replace(temporary, output_dir / RECORD_FILE)
        except OSError:
            os.unlink(temporary)
            raise
        finally:
            os.close(fd)


def sweep(output_dir: Path) -> None:
    """Remove the temporary records that builds killed while writing one left behind."""
    try:
        names = [entry.name for entry in os.scandir(output_dir) if entry.name.startswith(TEMPORARY_PREFIX)]
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            fd = os.open(output_dir / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live build holds its own: OSError
                    os.unlink(output_dir / name)
            finally:
                os.close(fd)


def _read(output_dir: Path) -> dict[str, object]:
    """The recorded batches; nothing when the record is missing, not a regular file (a FIFO would
    block), too large or not ours."""
    try:
        fd = os.open(output_dir / RECORD_FILE, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return {}
    try:
        with os.fdopen(fd, "rb") as record_file:
            info = os.fstat(record_file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                return {}
            data = json.loads(record_file.read(MAX_BYTES))
    except (OSError, ValueError, RecursionError):  # `[[[[...` three thousand deep is valid JSON's shape
        return {}
    batches = data.get("batches") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return dict(batches) if isinstance(batches, dict) else {}
