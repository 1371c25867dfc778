"""The project as the studio sees it: every profile checked, previews rendered in memory, all cached.

The content library is loaded once and again only when a file under content/ changed;
each profile is checked (`check.check_profile`, the messages `validate` prints) when it
or the library changed; a preview is rendered (`build.handbooks.render_files`, never written) when
anything it is made from changed. "Changed" is judged from the files' sizes and
modification times, so an unchanged project costs a few `stat` calls per request.
Whether a handbook on disk is up to date is judged as `handbook build` judges it: by the
digest of its inputs (output/cache.py). Every method may run in a worker thread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog

from generator.check import check_profile, check_templates
from generator.content.library import Library, load_library
from generator.content.select import Outline
from generator.errors import Diagnostic, HandbookError, InputError, display_path
from generator.i18n.catalogs import content_catalog, existing_languages
from generator.i18n.tools import LanguageStatus, extract_ui, language_status
from generator.i18n.translator import ModuleStatus, translate_module
from generator.language import Language
from generator.output.cache import DIGEST_FILE, InputDigests, shared_digest
from generator.profile.model import Profile
from generator.project import PROFILE_SUFFIXES, Project, template_search_path

BuildState = Literal["built", "out-of-date", "never"]
# The settings a digest covers (build.BuildOptions.settings) for the formats a build may be asked for:
# a handbook is up to date if it was built today, from these inputs, in any of them.
_FORMATS = ("html,pdf", "html", "pdf")


@dataclass(frozen=True)
class Problem:
    """Why a profile cannot be previewed: the message, and each place (file:line) it concerns."""

    message: str
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One profile file of the project, checked: its profile and outline, or its problem."""

    key: str  # its file name without .yaml: the profile's name in every studio URL
    path: Path
    source: str  # as messages show it
    profile: Profile | None = None
    outline: Outline | None = None
    problem: Problem | None = None
    state: BuildState = "never"
    built_pdf: Path | None = None  # the handbook.pdf a build left in output/<id>/

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.profile.warnings if self.profile is not None else ()


def _stamp(paths: Iterable[Path]) -> str:
    """A fingerprint of files by name, size and modification time: it moves when any of them changes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def as_problem(error: HandbookError) -> Problem:
    return Problem(error.message, error.diagnostics)


def unexpected_problem(source: str, error: Exception) -> Problem:
    """An error no check foresaw, met by one profile: shown on its page, as a batch names it, not a 500."""
    return Problem(f"{source}: unexpected error: {type(error).__name__}: {error} "
                   "(a bug in handbook: please report it, without the profile's health details)")


class Workspace:
    """Checked profiles and rendered previews of one project, remade only when their files changed."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.RLock()
        self._library: tuple[str, Library | Problem] | None = None
        self._entries: dict[Path, tuple[str, Entry]] = {}
        self._shared: tuple[str, str] | None = None  # the library stamp, and the digest every handbook shares
        self._renders: dict[tuple[str, str, str], tuple[str, dict[str, bytes] | Problem]] = {}
        # One preview rendered at a time, and one PDF laid out at a time (seconds and memory each),
        # so a PDF being laid out never holds up the website's preview.
        self._render_locks = {"html": threading.Lock(), "pdf": threading.Lock()}
        self._statuses: dict[str, tuple[str, LanguageStatus | Problem]] = {}
        self._ui_template: tuple[str, Catalog] | None = None

    # -- what changed -----------------------------------------------------------------------------

    def library_stamp(self) -> str:
        """Content library and templates: whatever every handbook shares."""
        folders = [self.project.content_dir, *template_search_path(self.project.templates_dir)]
        return _stamp(p for folder in folders for p in _files(folder))

    def profile_files(self) -> list[Path]:
        folder = self.project.profiles_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix in PROFILE_SUFFIXES and not p.is_dir())

    # -- the library and the profiles -------------------------------------------------------------

    def library(self, stamp: str | None = None) -> Library | Problem:
        """The content library (loaded again when content/ or the templates changed), or why it cannot be."""
        stamp = stamp or self.library_stamp()
        with self._lock:
            if self._library is None or self._library[0] != stamp:
                try:
                    check_templates(self.project)
                    loaded: Library | Problem = load_library(self.project.content_dir)
                except HandbookError as error:
                    loaded = as_problem(error)
                self._library = (stamp, loaded)
            return self._library[1]

    def entries(self, today: dt.date | None = None) -> list[Entry]:
        """Every profile of profiles/, checked, with its build state; in file-name order."""
        today = today or dt.date.today()
        stamp = self.library_stamp()
        library = self.library(stamp)
        seen: set[str] = set()
        out = []
        for path in self.profile_files():
            if path.stem in seen:  # ana.yaml and ana.yml: the first one has the name
                continue
            seen.add(path.stem)
            out.append(self._entry(path, library, stamp, today))
        return out

    def entry(self, key: str, today: dt.date | None = None) -> Entry | None:
        """The profile named `key` (a file name without .yaml, as the dashboard lists it), or None."""
        path = next((p for p in self.profile_files() if p.stem == key), None)  # the first, as entries() has it
        if path is None:
            return None
        stamp = self.library_stamp()
        return self._entry(path, self.library(stamp), stamp, today or dt.date.today())

    def _entry(self, path: Path, library: Library | Problem, stamp: str, today: dt.date) -> Entry:
        own = f"{stamp}:{_stamp([path])}:{today.isoformat()}"
        with self._lock:
            cached = self._entries.get(path)
            if cached is not None and cached[0] == own:
                entry = cached[1]
            else:
                entry = self._check(path, library, today)
                self._entries[path] = (own, entry)
        return self._with_state(entry, stamp, today)

    def _check(self, path: Path, library: Library | Problem, today: dt.date) -> Entry:
        entry = Entry(path.stem, path, display_path(path))
        if isinstance(library, Problem):
            return dataclasses.replace(entry, problem=library)
        try:
            profile, outline = check_profile(path, library, today, self.project.root)
        except InputError as error:
            return dataclasses.replace(entry, problem=as_problem(error))
        except Exception as error:  # a bug met by this profile only: the dashboard still lists the others
            return dataclasses.replace(entry, problem=unexpected_problem(display_path(path), error))
        return dataclasses.replace(entry, profile=profile, outline=outline)

    def _with_state(self, entry: Entry, stamp: str, today: dt.date) -> Entry:
        """Built (by the digest `handbook build` stores), out of date, or never built."""
        profile, outline = entry.profile, entry.outline
        if profile is None or outline is None:
            return entry
        folder = self.project.output_dir / profile.id
        pdf = folder / "handbook.pdf"
        stored = folder / DIGEST_FILE
        try:
            digest = stored.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            state: BuildState = "out-of-date" if folder.is_dir() else "never"
            return dataclasses.replace(entry, state=state, built_pdf=pdf if pdf.is_file() else None)
        digests = self._input_digests(stamp)
        current = {digests.of(entry.path, outline, profile.language,
                              f"today={today.isoformat()};formats={formats};strict={strict};group={group}")
                   for formats in _FORMATS for strict in (False, True) for group in (False, True)}
        state = "built" if digest in current else "out-of-date"
        return dataclasses.replace(entry, state=state, built_pdf=pdf if pdf.is_file() else None)

    def _input_digests(self, stamp: str) -> InputDigests:
        """Digests as a build takes them; what every handbook shares is hashed once per library stamp."""
        with self._lock:
            if self._shared is None or self._shared[0] != stamp:
                self._shared = (stamp, shared_digest(self.project))
            return InputDigests(self.project, self._shared[1])  # a new one: profiles are hashed afresh

    # -- previews -----------------------------------------------------------------------------------

    def preview(self, entry: Entry, language: str | None = None, today: dt.date | None = None,
                kind: Literal["html", "pdf"] = "html") -> dict[str, bytes] | Problem:
        """The handbook's website (or its PDF) in memory, in the profile's language or `language`.

        Rendered again only when a file it is made from changed; one at a time.
        """
        from generator.build import BuildOptions
        from generator.build.handbooks import render_files  # loads rendering only when a preview is asked

        profile, outline = entry.profile, entry.outline
        if profile is None or outline is None:
            return entry.problem or Problem("this profile cannot be previewed")
        today = today or dt.date.today()
        if language is not None and language != profile.language:
            profile = dataclasses.replace(profile, language=language)
        stamp = f"{self.library_stamp()}:{_stamp([entry.path])}:{today.isoformat()}"
        key = (entry.key, profile.language, kind)
        with self._lock:
            cached = self._renders.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with self._render_locks[kind]:
            with self._lock:  # another request may have rendered it while this one waited
                cached = self._renders.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            options = BuildOptions(output_dir=self.project.output_dir, formats=frozenset({kind}), today=today)
            try:
                result: dict[str, bytes] | Problem = render_files(profile, outline, self.project, options,
                                                                  has_pdf=False).files
            except HandbookError as error:
                result = as_problem(error)
            except Exception as error:  # a bug met by this profile only: its preview says so, the studio goes on
                result = unexpected_problem(profile.source, error)
            with self._lock:
                self._renders[key] = (stamp, result)
        return result

    def fallbacks(self, entry: Entry, language: str) -> list[ModuleStatus]:
        """The modules of this profile that a handbook in `language` shows in English, and why."""
        if entry.profile is None or entry.outline is None:
            return []
        tag = Language.of(language)
        if tag.is_source:
            return []
        catalog = content_catalog(self.project, tag)
        variant = tag.address_variant(entry.profile.reader_gender)
        return [status for module in entry.outline.modules
                for translated, status in [translate_module(module, catalog, variant)] if translated is None]

    # -- translations ---------------------------------------------------------------------------------

    def languages(self) -> list[str]:
        """Every language the project has a catalogue for (interface or content)."""
        return existing_languages(self.project)

    def status(self, language: str) -> LanguageStatus | Problem:
        """`handbook i18n status` for one language: per module, what a build would translate and why not."""
        stamp = self.library_stamp()
        with self._lock:
            cached = self._statuses.get(language)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            library = self.library(stamp)
            if isinstance(library, Problem):
                return library
            try:
                if self._ui_template is None or self._ui_template[0] != stamp:
                    self._ui_template = (stamp, extract_ui(self.project))
                result: LanguageStatus | Problem = language_status(self.project, library, language,
                                                                   self._ui_template[1])
            except HandbookError as error:
                result = as_problem(error)
            except Exception as error:  # a bug met by this language only: its page says so
                result = unexpected_problem(f"the translation status of '{language}'", error)
            self._statuses[language] = (stamp, result)
            return result
