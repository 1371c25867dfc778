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
from pathlib import Path

from generator.errors import InputError, display_path

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


def template_search_path(templates_dir: Path) -> list[Path]:
    """A project's templates first, then the bundled ones for anything it does not override.

    A clinic can change only `layout.html` or only `assets/handbook.css` and keep the rest,
    as with an mkdocs theme's custom_dir.
    """
    if templates_dir.resolve() == BUNDLED_TEMPLATES.resolve():
        return [templates_dir]
    return [templates_dir, BUNDLED_TEMPLATES]


def _pick(root: Path, name: str) -> Path:
    own = root / name
    return own if own.is_dir() else BUNDLED_ROOT / name


def find_project(root: Path | None = None) -> Project:
    """The project rooted at `root` (default: the current folder)."""
    root = (root or Path.cwd()).resolve()
    if not root.is_dir():
        raise InputError(f"project folder {display_path(root)} does not exist")
    return Project(
        root=root,
        content_dir=_pick(root, "content"),
        templates_dir=_pick(root, "templates"),
        profiles_dir=root / "profiles",
        output_dir=root / "output",
    )


# -- files outside the project ----------------------------------------------------------------


def _within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def link_problem(path: Path, roots: Sequence[Path]) -> str | None:
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
    return (f"this is a symbolic link to {display_path(real)}, outside the project: "
            "copy the file into the project instead")


def special_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in plain words."""
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))
    return next((name for test, name in kinds if test(mode)), "a special file")
