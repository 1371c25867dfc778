"""Where a project's folders are: content/, templates/ and profiles/.

Like mkdocs, every command works on the project folder it runs in (or
`--project DIR`). A clinic can keep its own library, branding and profiles in
a folder of its own; a folder it lacks falls back to the bundled defaults, so a
clinic that only writes profiles still gets the default library and templates.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.errors import Diagnostic, InputError, counted, display_path

# The generator package, subpackages and all: the cache digests its code, extraction reads its strings.
PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED_DEFAULTS = PACKAGE_DIR / "_bundled"
# The folder whose content/ and templates/ are the defaults. An installed wheel carries them as
# package data, in generator/_bundled/ (pyproject.toml maps the repository's folders there); a
# source checkout, and so an editable install (`pip install -e .`), has no such folder and uses
# the checkout's own content/ and templates/, beside this package.
BUNDLED_ROOT = _INSTALLED_DEFAULTS if _INSTALLED_DEFAULTS.is_dir() else PACKAGE_DIR.parent


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    templates_dir: Path
    profiles_dir: Path
    output_dir: Path


BUNDLED_TEMPLATES = BUNDLED_ROOT / "templates"
# What a project's links may lead to besides the project: the defaults it would otherwise use.
BUNDLED_FOLDERS = (BUNDLED_ROOT / "content", BUNDLED_TEMPLATES)
PROFILE_SUFFIXES = (".yaml", ".yml")
SERVICES_FILE = "services.yaml"  # the service table, in content/
LOCALE_DIR = "locale"  # the catalogues, in content/ and in templates/


def template_search_path(templates_dir: Path) -> list[Path]:
    """A project's templates first, then the bundled ones for anything it does not override.

    A clinic can change only `layout.html` or only `assets/handbook.css` and keep the rest,
    as with an mkdocs theme's custom_dir.
    """
    if _resolved(templates_dir) == _resolved(BUNDLED_TEMPLATES):
        return [templates_dir]
    return [templates_dir, BUNDLED_TEMPLATES]


@lru_cache(maxsize=64)
def _resolved(folder: Path) -> Path:
    """Where a project's templates folder really is, found once per process (every handbook asks
    several times, and resolving a path reads each folder on its way)."""
    return folder.resolve()


def profile_paths(targets: Sequence[Path], project: Project) -> list[Path]:
    """Files named, and the profiles inside folders named (default: the project's profiles/)."""
    found: list[Path] = []
    for target in targets or [project.profiles_dir]:
        if target.is_dir():
            # Not only regular files: a FIFO or a broken link named *.yaml is reported, not skipped in silence.
            found.extend(sorted(p for p in target.iterdir() if p.suffix in PROFILE_SUFFIXES and not p.is_dir()))
        elif target.exists() or target.is_symlink():
            found.append(target)
        else:
            raise InputError(f"{display_path(target)} does not exist: expected a profile file or a folder of profiles")
    if not found:
        names = ", ".join(display_path(t) for t in (targets or [project.profiles_dir]))
        raise InputError(f"no profiles (*.yaml) found in {names}")
    # A file named twice (`profiles profiles/jo.yaml`, `./profiles/jo.yaml`) is one handbook, not
    # a clash of its id with itself.
    first: dict[str, Path] = {}
    for path in found:
        first.setdefault(os.path.abspath(path), path)
    return list(first.values())


def table_files(content_dir: Path) -> tuple[Path, ...]:
    """The service tables a library reads, in order: the bundled one, then the project's own."""
    bundled = BUNDLED_ROOT / "content" / SERVICES_FILE
    own = content_dir / SERVICES_FILE
    files = [bundled] if bundled.is_file() else []
    if own.is_file() and (not files or own.resolve() != bundled.resolve()):
        files.append(own)
    return tuple(files)


def _pick(root: Path, name: str) -> Path:
    own = root / name
    return own if own.is_dir() else BUNDLED_ROOT / name


def find_project(root: Path | None = None) -> Project:
    """The project rooted at `root` (default: the current folder).

    Its own content/ and templates/ are checked whole first (`outside_files`): every handbook is
    made from them, so a file there that leads outside the project stops every command.
    """
    root = (root or Path.cwd()).resolve()
    if not root.is_dir():
        raise InputError(f"project folder {display_path(root)} does not exist")
    project = Project(
        root=root,
        content_dir=_pick(root, "content"),
        templates_dir=_pick(root, "templates"),
        profiles_dir=root / "profiles",
        output_dir=root / "output",
    )
    problems = [problem for folder, bundled in ((project.content_dir, BUNDLED_FOLDERS[0]),
                                                (project.templates_dir, BUNDLED_TEMPLATES))
                if folder.parent != BUNDLED_ROOT for problem in _library_problems(project, folder, bundled)]
    if problems:
        raise InputError(f"project {display_path(root)} has files that cannot be used "
                         f"({counted(len(problems), 'problem')})", problems)
    return project


def _library_problems(project: Project, folder: Path, bundled: Path) -> list[Diagnostic]:
    """What keeps the project's content/ or templates/ from being read.

    The folder may be a link within the project (or to the defaults), but never into profiles/ or
    output/; a link under it must stay inside the folder (or the bundled one of its kind), never
    lead to another part of the project: a stylesheet linked to a profile would publish that
    patient's health data in every handbook.
    """
    real = Path(os.path.realpath(folder))
    private = [Path(os.path.realpath(private)) for private in (project.profiles_dir, project.output_dir)]
    inside = _within(real, [Path(os.path.realpath(root)) for root in (project.root, *BUNDLED_FOLDERS)])
    if not inside or any(_within(real, [own]) or _within(own, [real]) for own in private):
        where = "outside the project" if not inside else "among the profiles or the output"
        return [Diagnostic(display_path(folder), None, None, "", f"this folder is reached through a symbolic link "
                           f"to {display_path(real)}, {where}: keep the {folder.name} folder in the project")]
    return outside_files(folder, (folder, bundled), f"outside {folder.name}/")


def output_problem(project: Project, folder: Path) -> InputError | None:
    """Why handbooks may not be written into `folder`, or None: never inside the project's library
    or profiles (the next build would read another patient's output as templates or content)."""
    if folder.exists() and not folder.is_dir():  # `-o /dev/null`, `-o notes.txt`: not one handbook could be written
        return InputError(f"the output folder {display_path(folder)} is not a folder: choose a folder "
                          "(it is made if missing; the default is output/)")
    real = Path(os.path.realpath(folder))
    # The project's own folders count before they exist: `-o content/out` in a project that uses
    # the installed library would make a content/ that every later build reads as its library.
    for name, kept in (("content", project.content_dir), ("templates", project.templates_dir),
                       ("profiles", project.profiles_dir), ("content", project.root / "content"),
                       ("templates", project.root / "templates"), ("content", BUNDLED_FOLDERS[0]),
                       ("templates", BUNDLED_TEMPLATES)):
        if _within(real, [Path(os.path.realpath(kept))]):
            return InputError(f"the output folder {display_path(folder)} is inside {display_path(kept)}: every "
                              f"build reads {name}/, so handbooks cannot be written there; choose another "
                              "folder (the default is output/)")
    return None


# -- files outside the project ----------------------------------------------------------------


def read_within(path: Path, roots: Sequence[Path], where: str) -> bytes:
    """The bytes of `path`, a regular file whose real place is inside one of `roots`, checked as it
    is read: a link made after a command started (the studio runs for hours, a batch for minutes)
    is refused as the start-up check refuses it, never followed out of the project."""
    try:
        real = Path(os.path.realpath(path))
        info = os.stat(real)
    except (OSError, ValueError) as error:
        raise InputError(f"{display_path(path)} cannot be read: {getattr(error, 'strerror', None) or error}") from None
    if not _within(real, [Path(os.path.realpath(root)) for root in roots]):
        raise InputError(f"{display_path(path)}: this is a symbolic link to {display_path(real)}, outside {where}: "
                         f"copy the file into {where} instead")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{display_path(path)} is not a regular file (a FIFO or a device): remove it")
    try:
        return real.read_bytes()
    except OSError as error:
        raise InputError(f"{display_path(path)} cannot be read: {error.strerror or error}") from None


def _within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def link_problem(path: Path, roots: Sequence[Path], where: str = "outside the project") -> str | None:
    """Why `path` may not be read as one of the project's files, or None when it may.

    A file is read where it is named; but one reached through a symbolic link (the file itself, or
    a folder on its way inside the project) must resolve inside one of `roots`, so a link cannot
    bring another patient's profile, the output of another build or a system file into a handbook.
    A file named outside the project without any link is the user's own choice and is read.
    """
    absolute = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path))
    if real == absolute:
        return None
    real_roots = [Path(os.path.realpath(root)) for root in roots]
    lexical_roots = [Path(os.path.abspath(root)) for root in roots]
    if _within(real, real_roots):
        return None
    if not _within(absolute, lexical_roots) and not absolute.is_symlink() \
            and Path(os.path.realpath(absolute.parent)) / absolute.name == real:
        return None  # named outside the project, in a folder reached by a link (/tmp on macOS): no link to follow here
    return (f"this is a symbolic link to {display_path(real)}, {where}: "
            f"copy the file {where.replace('outside', 'into', 1)} instead")


def special_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in plain words."""
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def outside_files(folder: Path, roots: Sequence[Path], where: str = "outside the project") -> list[Diagnostic]:
    """A problem for every file under `folder` that a build must not read: a symbolic link that
    leads outside `roots` (`where`, in messages) or nowhere, and anything that is neither a folder
    nor a regular file (a FIFO would hang the build that opens it). Links that stay inside are
    followed, once each.
    """
    problems: list[Diagnostic] = []
    real_roots = [Path(os.path.realpath(root)) for root in roots]

    def refuse(path: Path, message: str) -> None:
        problems.append(Diagnostic(display_path(path), None, None, "", message))

    seen: set[str] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = os.path.realpath(current)
        if current.is_symlink() or current == folder:
            if not _within(Path(real), real_roots):
                refuse(current, f"this is a symbolic link to {display_path(real)}, {where}: "
                       f"copy the files {where.replace('outside', 'into', 1)} instead")
                continue
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            refuse(current, f"the folder cannot be read: {error.strerror or error}")
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode  # through a link: what it leads to
            except FileNotFoundError:
                refuse(path, "this is a broken symbolic link (what it points to does not exist)")
                continue
            except OSError as error:
                refuse(path, f"the file cannot be read: {error.strerror or error}")
                continue
            if stat.S_ISDIR(mode):
                stack.append(path)
            elif not stat.S_ISREG(mode):
                refuse(path, f"this is not a regular file ({special_kind(mode)}): remove it from the project")
            elif entry.is_symlink() and (problem := link_problem(path, roots, where)):
                refuse(path, problem)
    return sorted(problems, key=lambda d: d.file)
