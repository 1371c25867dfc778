"""Build handbooks: read and check every input first, then lay out and write.

One profile's handbook is a pure function of (profile, library, templates,
today). A batch reads the library once, checks every profile, and builds the
good ones, in a process pool when PDFs are wanted (WeasyPrint is ~98% of the
time and runs on one core). A bad profile fails alone; the report says which.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.compose import compose_handbook
from generator.content.conditions import ConditionError
from generator.content.library import Library, load_library, resolve_topic_names
from generator.content.select import Outline, select_modules
from generator.errors import BuildError, Diagnostic, HandbookError, InputError, display_path
from generator.i18n.catalogs import addressed, content_catalog, ui_translations
from generator.i18n.translator import strict_refusal
from generator.language import Language
from generator.output.cache import DIGEST_FILE, inputs_digest, is_up_to_date, shared_digest
from generator.output.folder import replace_folder
from generator.output.pdf import write_pdf  # WeasyPrint itself loads only when a PDF is laid out
from generator.output.site import asset_files, render_print_html, render_site
from generator.plans.checks import plan_warnings
from generator.profile.country import country_names
from generator.profile.load import invalid_profile, load_profile
from generator.profile.model import Profile
from generator.profile.safety import call_if_warnings
from generator.project import Project, template_search_path
from generator.render.templates import page_environment, template_error

FORMATS = ("html", "pdf")
PROFILE_SUFFIXES = (".yaml", ".yml")
REQUIRED_TEMPLATES = ("layout.html", "index.html", "chapter.html", "print.html")


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path
    formats: frozenset[str] = frozenset(FORMATS)
    today: dt.date = field(default_factory=dt.date.today)
    jobs: int = 0  # 0: one worker per core
    strict: bool = False  # refuse a handbook that would show any module untranslated
    force: bool = False  # build even when the inputs did not change

    @property
    def settings(self) -> str:
        """What, besides the files, a handbook depends on: part of its inputs digest."""
        return f"today={self.today.isoformat()};formats={','.join(sorted(self.formats))};strict={self.strict}"

    @property
    def expected_files(self) -> tuple[str, ...]:
        """Files whose presence says a handbook of these formats is still there."""
        return tuple(name for fmt, name in (("html", "index.html"), ("pdf", "handbook.pdf")) if fmt in self.formats)


@dataclass(frozen=True)
class Outcome:
    """What became of one profile: built (files) or failed (message, exit code)."""

    source: str
    profile_id: str | None
    output_dir: str | None = None
    files: tuple[str, ...] = ()
    error: str | None = None
    exit_code: int = 0
    up_to_date: bool = False  # inputs unchanged since the last build: nothing was written
    warnings: tuple[str, ...] = ()  # about the profile: worth a look, but it was built
    layout_notes: tuple[str, ...] = ()  # what WeasyPrint said while laying out the PDF (--verbose)


@dataclass(frozen=True)
class BuildReport:
    outcomes: tuple[Outcome, ...]

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)

    @property
    def built(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is None)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is not None)


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
    return found


def check_templates(project: Project) -> None:
    search = template_search_path(project.templates_dir)
    missing = [name for name in REQUIRED_TEMPLATES if not any((d / name).is_file() for d in search)]
    if missing:
        raise InputError(f"templates folder {display_path(project.templates_dir)} lacks {', '.join(missing)}")


def check_profile(path: Path, library: Library, today: dt.date | None = None,
                  root: Path | None = None) -> tuple[Profile, Outline]:
    """Load a profile, check its topic names, and select its modules, once (conditions can fail).

    `today` dates the review of the service table's numbers (default: the real today); `root`, the
    project folder, is where a profile reached through a symbolic link must lie.
    """
    profile = load_profile(path, known_countries=library.services.calling_codes, root=root)
    problems = (resolve_topic_names(profile.topics.include, library, profile.source, "topics.include")
                + resolve_topic_names(profile.topics.exclude, library, profile.source, "topics.exclude"))
    if problems:
        raise InputError(invalid_profile(profile.source, len(problems)), problems)
    try:
        outline = select_modules(profile, library)
    except ConditionError as error:
        raise error.as_input_error(profile.source) from None
    later = [*plan_warnings(profile),  # a goal no plan serves, two starting points: the plans tell
             *call_if_warnings(profile, outline.services.emergency,  # an emergency under "Call the clinic if"
                               outline.services.recognised),
             *_overdue_numbers(profile, library, today or dt.date.today())]
    if later:
        ordered = sorted((*profile.warnings, *later), key=lambda d: (d.line or 0, d.column or 0))
        profile = dataclasses.replace(profile, warnings=tuple(ordered))
    return profile, outline


def _overdue_numbers(profile: Profile, library: Library, today: dt.date) -> list[Diagnostic]:
    """A warning at clinic.country when the service table's row for it is past its review date."""
    row = library.services.row(profile.clinic.country)
    if row is None or row.review_by >= today:
        return []
    path = "clinic.country"
    line, column = profile.places.get(path, (None, None))
    where = f"{row.path}:{row.line}" if row.line else row.path
    return [Diagnostic(
        profile.source, line, column, path,
        f"the numbers for {row.country} ({country_names().get(row.country, row.country)}) were last checked on "
        f"{row.checked.isoformat()} and were due for review on {row.review_by.isoformat()} ({where}): "
        "a clinician should check them before this handbook is handed over")]


@dataclass(frozen=True)
class Rendered:
    """Every file of one handbook, in memory, and WeasyPrint's notes on laying out its PDF."""

    files: dict[str, bytes]
    layout_notes: tuple[str, ...] = ()


def render_files(profile: Profile, outline: Outline, project: Project, options: BuildOptions,
                 has_pdf: bool | None = None, kept_pdf_size: int | None = None) -> Rendered:
    """Every file of one handbook, in memory: nothing is written until all of it exists.

    `has_pdf`: whether the folder will hold a PDF (built now or kept from the last build),
    so the website links to it. The PDF is laid out first, so the link can say how big it is;
    `kept_pdf_size` is the size of the PDF an HTML-only build keeps.
    """
    language = Language.of(profile.language)
    translations = addressed(ui_translations(project, language), language, profile.reader_gender)
    env = page_environment(project.templates_dir, translations)
    with_pdf = "pdf" in options.formats if has_pdf is None else has_pdf
    handbook = compose_handbook(profile, language, outline, env, translations, options.today, with_pdf,
                                content=content_catalog(project, language))
    if options.strict and handbook.fallbacks:
        modules = sum(len(chapter.modules) for chapter in handbook.chapters)
        raise strict_refusal(profile.source, language, handbook.fallbacks, modules)
    files: dict[str, bytes] = {}
    try:
        print_html = render_print_html(handbook, env)
    except jinja2.TemplateError as error:
        raise template_error(error) from None
    pdf_size = kept_pdf_size if with_pdf else None
    notes: tuple[str, ...] = ()
    if "pdf" in options.formats:
        laid_out = write_pdf(print_html, project.templates_dir,
                             allowed_roots=(project.root, project.templates_dir, project.content_dir))
        files["handbook.pdf"] = laid_out.pdf
        notes = laid_out.notes
        pdf_size = len(laid_out.pdf)
    if "html" in options.formats:
        try:
            site = render_site(handbook, env, pdf_size)
        except jinja2.TemplateError as error:
            raise template_error(error) from None
        files.update({name: html.encode() for name, html in site.items()})
        files["print.html"] = print_html.encode()
        files.update(asset_files(project.templates_dir))
    return Rendered(files, notes)


def _keeps(formats: frozenset[str]) -> Callable[[str], bool]:
    """Which files of the previous build survive a build of only some formats."""
    def keep(name: str) -> bool:
        is_pdf = name == "handbook.pdf"
        return ("pdf" not in formats and is_pdf) or ("html" not in formats and not is_pdf)
    return keep


def build_one(profile: Profile, outline: Outline, project: Project, options: BuildOptions,
              digest: str = "") -> Outcome:
    """Build and write one handbook; `digest` (of its inputs) is stored beside it for next time."""
    target = options.output_dir / profile.id
    kept_pdf = target / "handbook.pdf"
    has_pdf = "pdf" in options.formats or kept_pdf.is_file()
    try:
        kept_pdf_size = kept_pdf.stat().st_size if has_pdf and "pdf" not in options.formats else None
        rendered = render_files(profile, outline, project, options, has_pdf, kept_pdf_size)
        files = rendered.files
        if digest:
            files[DIGEST_FILE] = f"{digest}\n".encode("ascii")
        replace_folder(target, files, keep=_keeps(options.formats))
    except HandbookError as error:
        return Outcome(profile.source, profile.id, error=str(error), exit_code=error.exit_code)
    except Exception as error:  # a bug, met by this profile only: it fails alone, the batch goes on
        return _unexpected(profile.source, profile.id, error)
    return Outcome(profile.source, profile.id, display_path(target),
                   tuple(sorted(f for f in files if f != DIGEST_FILE)), layout_notes=rendered.layout_notes)


def _build_in_worker(args: tuple[Profile, Outline, Project, BuildOptions, str]) -> Outcome:
    return build_one(*args)


def build(project: Project, targets: Sequence[Path], options: BuildOptions) -> BuildReport:
    """Check the library, templates and every profile, then build each good profile."""
    check_templates(project)
    library = load_library(project.content_dir)
    shared = shared_digest(project)
    outcomes: list[Outcome] = []
    good: list[tuple[Profile, Outline, str]] = []
    seen: dict[str, str] = {}
    checked_warnings: dict[str, tuple[str, ...]] = {}
    paths = profile_paths(targets, project)
    for path in paths:
        try:
            profile, outline = check_profile(path, library, options.today, project.root)
        except InputError as error:
            outcomes.append(Outcome(display_path(path), None, error=str(error), exit_code=error.exit_code))
            continue
        except Exception as error:  # a bug, met while checking this profile only
            outcomes.append(_unexpected(display_path(path), None, error))
            continue
        checked_warnings[profile.source] = tuple(map(str, profile.warnings))
        if profile.id in seen:
            outcomes.append(Outcome(profile.source, profile.id, exit_code=InputError.exit_code,
                                    error=f"{profile.source}: id '{profile.id}' is also the id of {seen[profile.id]}; "
                                          "each profile needs its own id (it names the output folder)"))
            continue
        seen[profile.id] = profile.source
        digest = inputs_digest(shared, path, options.settings)
        target = options.output_dir / profile.id
        if not options.force and is_up_to_date(target, digest, options.expected_files):
            outcomes.append(Outcome(profile.source, profile.id, display_path(target), up_to_date=True))
            continue
        good.append((profile, outline, digest))
    outcomes.extend(_build_all(good, project, options))
    outcomes = [dataclasses.replace(o, warnings=checked_warnings.get(o.source, ())) for o in outcomes]
    order = {display_path(path): index for index, path in enumerate(paths)}
    return BuildReport(tuple(sorted(outcomes, key=lambda o: order.get(o.source, len(order)))))


def _build_all(profiles: list[tuple[Profile, Outline, str]], project: Project,
               options: BuildOptions) -> Iterable[Outcome]:
    workers = options.jobs or os.cpu_count() or 1
    if "pdf" not in options.formats or len(profiles) < 2 or workers < 2:
        return [build_one(p, outline, project, options, digest) for p, outline, digest in profiles]
    return _in_pool([(p, outline, project, options, d) for p, outline, d in profiles], min(workers, len(profiles)))


def _unexpected(source: str, profile_id: str | None, error: BaseException) -> Outcome:
    """The failure of one handbook to an error no check foresaw (a bug in handbook), with its reason."""
    return Outcome(source, profile_id, exit_code=BuildError.exit_code,
                   error=f"{source}: unexpected error, this handbook was not built: {type(error).__name__}: {error} "
                         "(a bug in handbook: please report it, without the profile's health details)")


def _in_pool(jobs: list[tuple[Profile, Outline, Project, BuildOptions, str]], workers: int) -> list[Outcome]:
    """Build in worker processes. A worker that dies (a crash in native layout code, the kernel's
    out-of-memory killer) breaks its pool and every handbook not yet finished in it: those are laid
    out again in a new pool, and when a pool breaks before finishing anything, the first of them alone,
    so the handbook that kills its worker fails by itself and every other one is built."""
    outcomes: dict[int, Outcome] = {}
    pending, alone = list(range(len(jobs))), False
    while pending:
        batch = pending[:1] if alone else pending
        broken: list[int] = []
        with ProcessPoolExecutor(max_workers=1 if alone else workers) as pool:
            futures = {index: pool.submit(_build_in_worker, jobs[index]) for index in batch}
            for index, future in futures.items():
                try:
                    outcomes[index] = future.result()
                except BrokenProcessPool:
                    broken.append(index)
                except Exception as error:  # the job could not reach its worker (pickling, say)
                    outcomes[index] = _unexpected(jobs[index][0].source, jobs[index][0].id, error)
        if alone and broken:
            profile = jobs[batch[0]][0]
            outcomes[batch[0]] = Outcome(profile.source, profile.id, exit_code=BuildError.exit_code,
                                         error=f"{profile.source}: the worker process laying out this handbook "
                                               "stopped (it crashed or was killed); the other handbooks were built")
            broken = []
        alone = not alone and len(broken) == len(batch) > 1  # nothing finished: try the first by itself
        pending = broken + pending[len(batch):]
    return [outcomes[index] for index in range(len(jobs))]
