"""Skip handbooks whose inputs did not change.

Laying out a PDF is ~98% of a build and the same inputs give the same bytes, so a
handbook whose inputs are all unchanged need not be built again. The inputs are
everything a handbook is a function of: this program's code, the profile file, the
content library, the templates (the project's and the bundled ones behind them),
the language's catalogues, the build date and the options. Their digest is stored
beside the output; a later build with the same digest leaves the folder alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from generator.content.services import table_files
from generator.project import PACKAGE_DIR, Project, template_search_path

DIGEST_FILE = ".inputs.sha256"


def _hash_files(digest: hashlib._Hash, folder: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")


def shared_digest(project: Project) -> str:
    """Code, library, catalogues and templates: the same for every profile of a batch."""
    digest = hashlib.sha256()
    _hash_files(digest, PACKAGE_DIR, PACKAGE_DIR.rglob("*.py"))  # every subpackage too
    for folder in (project.content_dir, *template_search_path(project.templates_dir)):
        digest.update(str(folder).encode() + b"\0")
        _hash_files(digest, folder, folder.rglob("*"))
    for table in table_files(project.content_dir):  # the bundled service table is read beneath a project's
        _hash_files(digest, table.parent, [table])
    return digest.hexdigest()


def inputs_digest(shared: str, profile_path: Path, settings: str) -> str:
    """The digest of everything one handbook is made from (`settings`: date, formats, options)."""
    digest = hashlib.sha256(shared.encode())
    digest.update(profile_path.read_bytes() + b"\0" + settings.encode())
    return digest.hexdigest()


def is_up_to_date(folder: Path, digest: str, expected: Iterable[str]) -> bool:
    """True when `folder` was built from exactly these inputs and still holds its files."""
    stored = folder / DIGEST_FILE
    try:
        same = stored.read_text(encoding="ascii").strip() == digest
    except (OSError, UnicodeDecodeError):
        return False
    return same and all((folder / name).is_file() for name in expected)
