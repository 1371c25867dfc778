"""Skip handbooks whose inputs did not change, judged by content, handbook by handbook.

Laying out a PDF is ~98% of a build and the same inputs give the same bytes, so a
handbook whose inputs are all unchanged need not be built again. Its inputs are what
it is made from, hashed by content (never by modification time, so touching a file
changes nothing):

- shared by every handbook: this program's code and the versions of the libraries that
  shape its bytes, the chapter list, bibliography and service table, and the page
  templates (the project's and the bundled ones behind them), less their catalogues;
- its own: the profile file, the module files its outline selected, the interface and
  content catalogues of its language, and the build settings (date, formats, options).

So editing one module rebuilds only the handbooks whose outline uses it, and editing the
Spanish catalogue only the Spanish handbooks. A module that a change of its front
matter newly selects changes the outline, hence the digest. The digest is stored beside
the output; a later build with the same digest leaves the folder alone.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError, display_path
from generator.output.folder import untouched
from generator.project import (
    BUNDLED_FOLDERS,
    BUNDLED_TEMPLATES,
    LOCALE_DIR,
    PACKAGE_DIR,
    Project,
    table_files,
    template_search_path,
)

if TYPE_CHECKING:
    from generator.content.select import Outline

DIGEST_FILE = ".inputs.sha256"
FORMAT = b"handbook-inputs/3\0"  # bump when what a digest covers changes
# Libraries whose version can change a handbook's bytes (layout, fonts, markup, formats).
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "jinja2", "markdown", "nh3",
             "babel", "pyyaml")


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as error:  # unreadable (permissions, a disk error): the user's to mend, not a traceback
        raise InputError(f"cannot read {display_path(path)}: {error.strerror or error}") from None


def files_under(folder: Path) -> Iterator[Path]:
    """Every file below `folder`, through linked folders too, as the library reads them (a topic
    folder may be a link to the installed library's; `rglob` does not follow it, so an edit there
    went unseen). Each real folder is read once, so a link to an ancestor cannot loop."""
    seen: set[tuple[int, int]] = set()
    waiting = [folder]
    while waiting:
        current = waiting.pop()
        try:
            info = current.stat()
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        for entry in entries:
            try:
                is_folder = entry.is_dir()  # through a link
            except OSError:
                continue
            if is_folder:
                waiting.append(Path(entry.path))
            else:
                yield Path(entry.path)


def _hash_files(digest: hashlib._Hash, folder: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(_file_digest(path))


def _versions() -> bytes:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found).encode()


def _is_module(path: Path, content_dir: Path) -> bool:
    """A module file (content/<topic>/<id>.md): hashed only for the handbooks that select it."""
    return path.suffix == ".md" and path.parent.parent == content_dir


def _is_catalogue(path: Path, folder: Path) -> bool:
    """A file under locale/: catalogues are hashed per language, templates (.pot) not at all."""
    return path.relative_to(folder).parts[0] == LOCALE_DIR


def shared_digest(project: Project) -> str:
    """Code, library versions, the library's shared files and the templates: one per batch."""
    digest = hashlib.sha256(FORMAT + _versions() + b"\0")
    _hash_files(digest, PACKAGE_DIR, PACKAGE_DIR.rglob("*.py"))  # every subpackage too
    content = project.content_dir
    # Folders by their role, never their absolute path: two copies of a project (or one moved, or
    # seen from a cluster worker's mount) have the same digests.
    digest.update(b"content:" + _role(content, project) + b"\0")
    _hash_files(digest, content, (p for p in files_under(content)
                                  if not _is_module(p, content) and not _is_catalogue(p, content)))
    for folder in template_search_path(project.templates_dir):
        digest.update(b"templates:" + _role(folder, project) + b"\0")
        _hash_files(digest, folder, (p for p in files_under(folder) if not _is_catalogue(p, folder)))
    for table in table_files(content):  # the bundled service table is read beneath a project's
        _hash_files(digest, table.parent, [table])
    return digest.hexdigest()


def project_digest(project: Project, shared: str | None = None) -> str:
    """Everything any handbook of `project` could be made from, besides its profile and settings:
    `shared_digest`'s files (`shared`, when known) and every module and catalogue too (`output/batches.py`)."""
    shared = shared if shared is not None else shared_digest(project)
    digest = hashlib.sha256(b"project:" + shared.encode() + b"\0")
    content = project.content_dir
    digest.update(b"content:" + _role(content, project) + b"\0")
    _hash_files(digest, content,
                (p for p in files_under(content) if _is_module(p, content) or _is_catalogue(p, content)))
    for folder in template_search_path(project.templates_dir):
        digest.update(b"templates:" + _role(folder, project) + b"\0")
        _hash_files(digest, folder, (p for p in files_under(folder) if _is_catalogue(p, folder)))
    return digest.hexdigest()


def _role(path: Path, project: Project) -> bytes:
    """Where a file or folder of the inputs lies, by its role and its place in that folder, never
    the machine's part of its path: `templates/locale/...`, `bundled-templates/...` (as ProjectFiles)."""
    roles = (("content", project.content_dir), ("templates", project.templates_dir),
             ("bundled-templates", BUNDLED_TEMPLATES), ("bundled-content", BUNDLED_FOLDERS[0]))
    real = path.resolve()
    for label, folder in roles:
        if real.is_relative_to(folder.resolve()):
            return f"{label}/{real.relative_to(folder.resolve()).as_posix()}".encode()
    return f"elsewhere/{path.name}".encode()


class InputDigests:
    """The digest of each handbook of a batch: every file is read and hashed once."""

    def __init__(self, project: Project, shared: str | None = None) -> None:
        self.project = project
        self.shared = shared if shared is not None else shared_digest(project)
        self._modules = {display_path(p): p for p in project.content_dir.glob("*/*.md")}
        self._files: dict[Path, bytes] = {}
        self._languages: dict[str, bytes] = {}

    def _file(self, path: Path) -> bytes:
        if path not in self._files:
            self._files[path] = _file_digest(path)
        return self._files[path]

    def _every_module(self) -> bytes:
        """For a module whose file is not where the library lists it: every module file (safe)."""
        digest = hashlib.sha256()
        for path in sorted(self._modules.values()):
            digest.update(_role(path, self.project) + b"\0" + self._file(path))
        return digest.digest()

    def _language(self, tag: str) -> bytes:
        """The interface and content catalogues that serve `tag` (es-MX, else es): their paths and bytes."""
        if tag not in self._languages:
            # here, not above: a batch settled from its record (output/batches.py) never reads a catalogue
            from generator.i18n.catalogs import CONTENT_DOMAIN, UI_DOMAIN, find_po
            from generator.language import Language

            language = Language.of(tag)
            digest = hashlib.sha256()
            for domain in (UI_DOMAIN, CONTENT_DOMAIN):
                path = find_po(self.project, domain, language)
                place = _role(path, self.project) if path else b"-"
                digest.update(f"{domain}:".encode() + place + b"\0" + (self._file(path) if path else b""))
            self._languages[tag] = digest.digest()
        return self._languages[tag]

    def of(self, profile_path: Path, outline: Outline, language: str, settings: str) -> str:
        """One handbook's digest (`settings`: date, formats, options)."""
        digest = hashlib.sha256(self.shared.encode() + b"\0" + settings.encode() + b"\0")
        digest.update(self._file(profile_path) + self._language(language))
        for module in outline.modules:
            path = self._modules.get(module.path)
            digest.update(module.id.encode() + b"\0")
            digest.update(self._file(path) if path else self._every_module())
        return digest.hexdigest()


def is_up_to_date(folder: Path, digest: str, expected: Iterable[str]) -> bool:
    """True when `folder` was built from exactly these inputs and still holds its files."""
    stored = folder / DIGEST_FILE
    try:
        same = stored.read_text(encoding="ascii").strip() == digest
    except (OSError, UnicodeDecodeError):
        return False
    return same and all((folder / name).is_file() for name in expected) and untouched(folder)


# -- the same project, seen from another machine ---------------------------------------------


@dataclass(frozen=True)
class ProjectFiles:
    """What a handbook's bytes depend on besides its profile, comparable between machines: each
    file of the project's content and templates (and the bundled templates behind them) by its
    place in the project, never its absolute path, with its SHA-256; this package's code; the
    versions of the libraries that shape the bytes (and, for PDFs, the native layout libraries).

    A cluster's worker compares its own with the client's before it renders (workers/cluster.py).
    """

    entries: tuple[tuple[str, str], ...]  # (role/relative path, SHA-256 or version), sorted

    @property
    def digest(self) -> str:
        digest = hashlib.sha256(FORMAT)
        for name, value in self.entries:
            digest.update(f"{name}\0{value}\0".encode())
        return digest.hexdigest()

    def differences(self, other: ProjectFiles) -> list[str]:
        """How `other` (what a worker sees) differs from this one, a line per name, sorted."""
        ours, theirs = dict(self.entries), dict(other.entries)
        changed = [f"{name} differs" for name in sorted(ours.keys() & theirs.keys()) if ours[name] != theirs[name]]
        missing = [f"{name} is missing" for name in sorted(ours.keys() - theirs.keys())]
        extra = [f"{name} is there too" for name in sorted(theirs.keys() - ours.keys())]
        return changed + missing + extra


def _entries(role: str, folder: Path, suffixes: tuple[str, ...] = ()) -> Iterable[tuple[str, str]]:
    for path in sorted(files_under(folder)):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".mo") \
                and (not suffixes or path.suffix in suffixes):
            yield f"{role}/{path.relative_to(folder).as_posix()}", _file_digest(path).hex()


def project_files(project: Project, with_pdf: bool) -> ProjectFiles:
    """This machine's view of what a handbook of `project` is made from, besides its profile."""
    entries = [*_entries("content", project.content_dir), *_entries("code", PACKAGE_DIR, (".py",))]
    for index, folder in enumerate(template_search_path(project.templates_dir)):
        entries.extend(_entries("templates" if index == 0 else "bundled-templates", folder))
    entries.append(("libraries", _versions().decode() + f";zlib={zlib.ZLIB_RUNTIME_VERSION}"))
    if with_pdf:
        from generator.output.pdf import native_libraries  # loads WeasyPrint: only when a PDF is laid out

        entries.append(("native-libraries", native_libraries()))
    return ProjectFiles(tuple(sorted(entries)))
