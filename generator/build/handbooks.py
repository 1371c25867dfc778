"""Lay out the handbooks of a batch: check each profile, render it in memory, write it.

`build.build` comes here when a batch is not settled from its record. Each profile is checked
and, when good and changed, handed to a worker as soon as it is checked (workers.pool), or
to a Dask cluster (workers.cluster); a `Task` is all a worker needs, `render_task` what it
runs, and `write_task` writes the result where the batch runs, atomically.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.build.options import BuildOptions, BuildReport, Outcome, Progress
from generator.check import check_profile, check_templates
from generator.compose import compose_handbook
from generator.content.library import Library, load_library
from generator.content.select import Outline
from generator.errors import BuildError, HandbookError, InputError, display_path
from generator.i18n.catalogs import addressed, content_catalog, ui_refusals, ui_translations
from generator.i18n.translator import strict_refusal, strict_ui_refusal
from generator.language import Language
from generator.output.batches import Settled
from generator.output.cache import DIGEST_FILE, InputDigests, is_up_to_date
from generator.output.folder import replace_folder, worker_started
from generator.output.pdf import prepare_worker, write_pdf  # WeasyPrint itself loads only when a PDF is laid out
from generator.output.site import asset_files, render_print_html, render_site
from generator.profile.model import Profile
from generator.project import Project
from generator.render.templates import page_environment, template_error, template_failure
from generator.workers.pool import run_in_workers

__all__ = ["Rendered", "Task", "build_checked", "build_one", "build_task", "plan_task", "render_files", "render_task",
           "write_task"]


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
    except Exception as error:
        raise template_failure(error) or error from None
    pdf_size = kept_pdf_size if with_pdf else None
    notes: tuple[str, ...] = ()
    if "pdf" in options.formats:
        laid_out = write_pdf(print_html, project.templates_dir,
                             allowed_roots=(project.templates_dir, project.content_dir))  # never profiles/ or output/
        files["handbook.pdf"] = laid_out.pdf
        notes = laid_out.notes
        pdf_size = len(laid_out.pdf)
    if "html" in options.formats:
        try:
            site = render_site(handbook, env, pdf_size)
        except jinja2.TemplateError as error:
            raise template_error(error) from None
        except Exception as error:  # a clinic's template that raises is the template's file and line
            raise template_failure(error) or error from None
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
    return build_task(plan_task(profile, outline, project, options, digest))


@dataclass(frozen=True)
class Task:
    """One handbook to lay out: all a worker process, or a cluster's worker, needs to render it.

    What the previous build left in the output folder is read where the batch runs (`plan_task`),
    so the worker that renders need not see the output folder at all.
    """

    profile: Profile
    outline: Outline
    project: Project
    options: BuildOptions
    digest: str
    has_pdf: bool = True  # the folder will hold a PDF (built now, or kept from the last build): the site links to it
    kept_pdf_size: int | None = None  # the size of the PDF an HTML-only build keeps


def plan_task(profile: Profile, outline: Outline, project: Project, options: BuildOptions, digest: str) -> Task:
    """The task of one handbook, with what it keeps of the previous build in its folder."""
    kept_size: int | None = None
    if "pdf" not in options.formats:
        try:
            kept = options.output_dir / profile.id / "handbook.pdf"
            kept_size = kept.stat().st_size if kept.is_file() else None
        except OSError:
            kept_size = None
    return Task(profile, outline, project, options, digest, "pdf" in options.formats or kept_size is not None,
                kept_size)


def render_task(task: Task, project: Project | None = None) -> Rendered | Outcome:
    """Render one handbook in memory (in a worker process or on a cluster's worker, `project`
    being where that worker sees the project); a failure is returned as the handbook's Outcome."""
    profile = task.profile
    try:
        return render_files(profile, task.outline, project or task.project, task.options, task.has_pdf,
                            task.kept_pdf_size)
    except HandbookError as error:
        return Outcome(profile.source, profile.id, error=str(error), exit_code=error.exit_code)
    except Exception as error:  # a bug, met by this profile only: it fails alone, the batch goes on
        return _unexpected(profile.source, profile.id, error)


def write_task(task: Task, rendered: Rendered | Outcome) -> Outcome:
    """Write what `render_task` made into the handbook's folder, atomically, with its inputs digest."""
    if isinstance(rendered, Outcome):
        return rendered
    profile, options = task.profile, task.options
    target = options.output_dir / profile.id
    files = dict(rendered.files)
    if task.digest:
        files[DIGEST_FILE] = f"{task.digest}\n".encode("ascii")
    try:
        replace_folder(target, files, keep=_keeps(options.formats), group_readable=options.group_readable)
    except HandbookError as error:
        return Outcome(profile.source, profile.id, error=str(error), exit_code=error.exit_code)
    except Exception as error:  # a bug, met by this profile only: it fails alone, the batch goes on
        return _unexpected(profile.source, profile.id, error)
    return Outcome(profile.source, profile.id, display_path(target), tuple(sorted(rendered.files)),
                   layout_notes=rendered.layout_notes)


def build_task(task: Task) -> Outcome:
    """Render and write one handbook where it runs: here, or in a local worker process."""
    return write_task(task, render_task(task))


def _unexpected(source: str, profile_id: str | None, error: BaseException) -> Outcome:
    """The failure of one handbook to an error no check foresaw (a bug in handbook), with its reason."""
    return Outcome(source, profile_id, exit_code=BuildError.exit_code,
                   error=f"{source}: unexpected error, this handbook was not built: {type(error).__name__}: {error} "
                         "(a bug in handbook: please report it, without the profile's health details)")


def _crashed(task: Task, reason: str) -> Outcome:
    """The outcome of a task whose worker died or raised: that handbook failed, the batch goes on."""
    return Outcome(task.profile.source, task.profile.id, exit_code=BuildError.exit_code,
                   error=f"{task.profile.source}: the handbook could not be built: {reason}")


def build_checked(project: Project, paths: Sequence[Path], options: BuildOptions, shared: str,
                  progress: Progress | None = None) -> tuple[BuildReport, dict[str, Settled]]:
    """Check the templates, library and every profile, and build each good, changed one; with the
    report, each good profile's id, inputs digest and warnings (for the batch's record)."""
    check_templates(project)
    library = load_library(project.content_dir)
    outcomes: list[Outcome] = []
    warnings: dict[str, tuple[str, ...]] = {}
    checked: dict[str, Settled] = {}

    def settle(outcome: Outcome) -> None:
        outcome = dataclasses.replace(outcome, warnings=warnings.get(outcome.source, ()))
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(paths))

    tasks = _tasks(paths, library, InputDigests(project, shared), project, options, settle, warnings, checked)
    results = _build_all(tasks, options, len(paths), project)
    with contextlib.closing(results):  # interrupted (Ctrl-C): the workers are stopped before this returns
        for outcome in results:
            settle(outcome)
    order = {display_path(path): index for index, path in enumerate(paths)}
    return BuildReport(tuple(sorted(outcomes, key=lambda o: order.get(o.source, len(order))))), checked


def _tasks(paths: Sequence[Path], library: Library, digests: InputDigests, project: Project, options: BuildOptions,
           settle: Callable[[Outcome], None], warnings: dict[str, tuple[str, ...]],
           checked: dict[str, Settled]) -> Iterator[Task]:
    """Check each profile; settle the bad, duplicate and unchanged ones, and yield the rest to build."""
    seen: dict[str, str] = {}
    for path in paths:
        try:
            profile, outline = check_profile(path, library, options.today, project.root)
        except InputError as error:
            settle(Outcome(display_path(path), None, error=str(error), exit_code=error.exit_code))
            continue
        except Exception as error:  # a bug, met while checking this profile only
            settle(_unexpected(display_path(path), None, error))
            continue
        warnings[profile.source] = tuple(map(str, profile.warnings))
        if profile.id in seen:
            settle(Outcome(profile.source, profile.id, exit_code=InputError.exit_code,
                           error=f"{profile.source}: id '{profile.id}' is also the id of {seen[profile.id]}; "
                                 "each profile needs its own id (it names the output folder)"))
            continue
        seen[profile.id] = profile.source
        digest = digests.of(path, outline, profile.language, options.settings)
        checked[profile.source] = Settled(profile.source, profile.id, digest, warnings[profile.source])
        target = options.output_dir / profile.id
        if not options.force and is_up_to_date(target, digest, options.expected_files):
            settle(Outcome(profile.source, profile.id, display_path(target), up_to_date=True))
            continue
        try:  # said when the handbook is built (the catalogue is part of its digest), not silently English
            language = Language.of(profile.language)
            refusals = ui_refusals(project, language)
            if options.strict and refusals:
                raise strict_ui_refusal(profile.source, language, refusals)
        except InputError as error:
            settle(Outcome(profile.source, profile.id, error=str(error), exit_code=error.exit_code))
            continue
        warnings[profile.source] += refusals
        yield plan_task(profile, outline, project, options, digest)


def _build_all(tasks: Iterator[Task], options: BuildOptions, count: int,
               project: Project) -> Generator[Outcome, None, None]:
    """Lay out each task: on a Dask cluster when a scheduler is named; here for one profile or an
    HTML batch with one worker; else in local worker processes."""
    if options.scheduler:
        from generator.workers.cluster import run_on_cluster  # which imports Dask when called, and only then

        for task, rendered in run_on_cluster(options.scheduler, render_task, tasks, project, _crashed,
                                             with_pdf="pdf" in options.formats, in_flight=options.jobs,
                                             ship=options.ship_project):
            yield write_task(task, rendered)  # written here, atomically, as a local build writes
        return
    workers = min(options.jobs or os.cpu_count() or 1, count)
    with_pdf = "pdf" in options.formats  # each PDF laid out in a child of its worker: flat memory (workers.pool)
    if workers < 2 and not (with_pdf and count > 1):  # PDFs of a batch go to a worker even with --jobs 1
        yield from map(build_task, tasks)
        return
    pool = run_in_workers(build_task, tasks, workers, _crashed, fork_each=with_pdf,
                          initializer=prepare_worker if with_pdf else worker_started)
    with contextlib.closing(pool):  # stopped at once, whatever stops this generator
        for _, outcome in pool:
            yield outcome
