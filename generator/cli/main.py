"""The `handbook` command: a thin click shell over the library functions.

Only HandbookError is caught here; it carries its own exit code
(2 bad input, 1 a build failed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import NoReturn, TypeVar

import click

from generator.cli.i18n import i18n
from generator.cli.serve import serve
from generator.errors import BuildError, HandbookError, InputError, counted, display_path, printable
from generator.project import Project, find_project, output_problem, profile_paths

F = TypeVar("F", bound=Callable[..., object])


def _fail(error: HandbookError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


def _day(value: dt.datetime | None) -> dt.date:
    """A --today option as a date (click parses it as a datetime); default: today.

    Plans and reviews are laid out from it, so it must lie where a profile's dates may (profile/limits.py).
    """
    from generator.profile.limits import date_problem

    day = value.date() if value else dt.date.today()
    if problem := date_problem(day):
        raise InputError(f"--today {problem}")
    return day


def _write_text(path: Path, text: str) -> None:
    """Write a file the user named; a folder that cannot be written is a user error, not a traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BuildError(f"cannot write {display_path(path)}: {error.strerror or error}") from None


def _project(ctx: click.Context) -> Project:
    return find_project(ctx.obj["project_root"])


class HandbookGroup(click.Group):
    """Turns a HandbookError raised anywhere in a command into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HandbookError as error:
            _fail(error)
        return None


@click.group(cls=HandbookGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--project", "project_root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder with content/, templates/ and profiles/ (default: the current folder).")
@click.version_option(package_name="handbook")
@click.pass_context
def main(ctx: click.Context, project_root: Path | None) -> None:
    """Build personalised rehabilitation handbooks (website and PDF) from patient profiles.

    \b
    Example:
      handbook new ana-lopez            # writes profiles/ana-lopez.yaml
      handbook validate profiles/ana-lopez.yaml
      handbook build profiles/ana-lopez.yaml
    """
    ctx.ensure_object(dict)
    ctx.obj["project_root"] = project_root


def _parse_formats(_ctx: click.Context, _param: click.Parameter, value: str) -> frozenset[str]:
    from generator.build import FORMATS

    chosen = {part.strip().lower() for part in value.split(",") if part.strip()}
    unknown = sorted(chosen - set(FORMATS))
    if unknown or not chosen:
        raise click.BadParameter(f"expected a comma-separated list of {', '.join(FORMATS)}; got {value!r}")
    return frozenset(chosen)


@main.command()
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the handbooks, one subfolder per profile id (default: output/); "
                   "never inside content/, templates/ or profiles/.")
@click.option("--format", "formats", default="html,pdf", show_default=True, callback=_parse_formats,
              help="What to write: html, pdf or both.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The build date (YYYY-MM-DD): plans start here when a profile has no start_date. Default: today.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Handbooks laid out at once (0: one per CPU core).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Lay the handbooks out on a Dask cluster: its scheduler's address, tls://HOST:PORT (or tcp://). "
                   "The workers need the project folder at the same path (shared storage) or --ship-project; "
                   "the handbooks are written here. With it, --jobs is how many handbooks are sent at once "
                   "(0: twice the cluster's threads). Needs pip install 'handbook[cluster]'; "
                   "TLS and the rest: docs/scale.md.")
@click.option("--ship-project", is_flag=True,
              help="With --scheduler: send the project's content/ and templates/ to the workers once per batch, "
                   "for workers without the project on shared storage.")
@click.option("--strict", is_flag=True,
              help="Refuse (exit code 2) a handbook that would show any module untranslated, in English.")
@click.option("--force", is_flag=True,
              help="Build every handbook, even those whose inputs did not change since the last build.")
@click.option("--group-readable", is_flag=True,
              help="Let the owner's group read the handbooks too (default: only their owner can).")
@click.option("-v", "--verbose", is_flag=True,
              help="Also show what the PDF layout engine noted (a CSS rule it ignored, say): for template authors.")
@click.pass_context
def build(ctx: click.Context, targets: tuple[Path, ...], output_dir: Path | None, formats: frozenset[str],
          today: dt.datetime | None, jobs: int, scheduler: str | None, ship_project: bool, strict: bool,
          force: bool, group_readable: bool, verbose: bool) -> None:
    """Build handbooks from profiles (files, or folders of *.yaml; default: profiles/).

    Each handbook goes to OUTPUT/<profile id>/: index.html, a page per
    chapter, print.html and handbook.pdf. One bad profile fails alone; the
    others are built. A handbook whose inputs (profile, library, templates,
    translations, date, options) did not change since its last build is
    left as it is. In a terminal a progress bar shows the count and the time
    left; elsewhere each handbook gets a line. Exit code 0 all built, 1 a
    build failed, 2 bad input.

    \b
    Examples:
      handbook build                         # every profile in profiles/
      handbook build profiles/ana-lopez.yaml -o /tmp/out
      handbook build profiles/ --format html
      handbook build --scheduler tls://scheduler.clinic.example:8786
    """
    from generator.build import BuildOptions
    from generator.build import build as run_build
    from generator.cli.progress import Reporter, summary

    project = _project(ctx)
    options = BuildOptions(
        output_dir=(output_dir or project.output_dir).resolve(),
        formats=formats,
        today=_day(today),
        jobs=jobs,
        strict=strict,
        force=force,
        group_readable=group_readable,
        scheduler=scheduler,
        ship_project=ship_project,
    )
    if ship_project and not scheduler:
        raise InputError("--ship-project sends the project to a Dask cluster's workers: give --scheduler too")
    if scheduler:
        from generator.workers.cluster import address_problem, unencrypted  # Dask loads when the batch is sent

        if problem := address_problem(scheduler):
            raise InputError(problem)
        if warning := unencrypted(scheduler):
            click.echo(f"warning: {warning}", err=True)
    reporter = Reporter(verbose)
    try:
        with _interruptible():
            report = run_build(project, list(targets), options, progress=reporter)
    except (Interrupted, KeyboardInterrupt) as stop:
        reporter.finish()
        _interrupted(options.output_dir, reporter.built, getattr(stop, "signum", signal.SIGINT))
    finally:
        reporter.finish()
    click.echo(summary(report.outcomes), err=bool(report.failed))
    sys.exit(report.exit_code)


class Interrupted(BaseException):
    """Ctrl-C (SIGINT) or SIGTERM during a build: not an Exception, so no handbook takes it for its own failure."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted in the main process; a second one while the batch stops is ignored.

    By the time Interrupted reaches the caller the workers are stopped (workers.pool) and a
    handbook being written has had its staging folder removed (output.folder).
    """
    def stop(signum: int, _frame: FrameType | None) -> None:
        for each in _STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, stop) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupted(output_dir: Path, built: int, signum: int) -> NoReturn:
    """One line instead of a traceback, and the shell's exit code for the signal (130 for Ctrl-C, 143 for SIGTERM)."""
    from generator.output.folder import sweep
    from generator.output.fonts import sweep as sweep_font_folders

    sweep(output_dir)  # the staging folder of a worker that had to be killed, if any
    sweep_font_folders()  # and the temporary font folders of the stopped workers
    click.echo(f"interrupted: {built} built, the rest not; no half-written handbook was left", err=True)
    sys.exit(128 + signum)


@main.command()
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, profiles: tuple[Path, ...]) -> None:
    """Check profiles without building anything; every problem of every file at once.

    \b
    Example:
      handbook validate profiles/ana-lopez.yaml profiles/
    """
    from generator.check import check_profile
    from generator.content.library import load_library

    project = _project(ctx)
    library = load_library(project.content_dir)
    failures = 0
    paths = profile_paths(list(profiles), project)
    for path in paths:
        try:
            profile, _ = check_profile(path, library, root=project.root)
        except InputError as error:
            failures += 1
            click.echo(f"error: {error}", err=True)
            continue
        except Exception as error:  # a bug met by this profile only: the others are still checked
            failures += 1
            click.echo(printable(f"error: {display_path(path)}: unexpected error: {type(error).__name__}: {error} "
                                 "(a bug in handbook: please report it)"), err=True)
            continue
        for warning in profile.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(printable(f"ok {profile.source} ({profile.id})"))
    if failures:
        verb = "is" if failures == 1 else "are"
        click.echo(f"{failures} of {counted(len(paths), 'profile')} {verb} not valid.", err=True)
        sys.exit(InputError.exit_code)


@main.command()
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def schema(output_file: Path | None) -> None:
    """Print the profile format as JSON Schema, for editors' autocompletion.

    \b
    Example (VS Code with the YAML extension):
      handbook schema -o profile.schema.json
      # then first line of a profile: # yaml-language-server: $schema=profile.schema.json
    """
    from generator.profile.schema import profile_json_schema

    text = json.dumps(profile_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output_file:
        _write_text(output_file, text)
        click.echo(f"wrote {printable(display_path(output_file))}")
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("profile_id")
@click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: profiles/ID.yaml in the project; '-' for standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
def new(ctx: click.Context, profile_id: str, output_file: Path | None, force: bool) -> None:
    """Write a commented starter profile for a new patient.

    \b
    Example:
      handbook new ana-lopez            # writes profiles/ana-lopez.yaml
      handbook new ana-lopez -o -       # prints it
    """
    from generator.profile.starter import starter_profile

    text = starter_profile(profile_id, dt.date.today())
    if output_file is not None and str(output_file) == "-":
        click.echo(text, nl=False)
        return
    from generator.profile.edit import write_atomically

    target = output_file or _project(ctx).profiles_dir / f"{profile_id}.yaml"
    exists = target.exists()
    if exists and not force:
        raise InputError(f"{display_path(target)} already exists: choose another id, or add --force to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot write {display_path(target)}: {error.strerror or error}") from None
    write_atomically(target, text, new=not exists)  # owner-only: it will hold health information
    shown = printable(display_path(target))  # a name with an escape sequence is shown, never run by the terminal
    click.echo(f"wrote {shown}: fill it in, then run `handbook validate {shown}`")


@main.command("list-content")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def list_content(ctx: click.Context, as_json: bool) -> None:
    """List the content library: each module's id, topic, audience and condition.

    \b
    Example:
      handbook list-content
      handbook --project ../my-clinic list-content --json
    """
    from generator.content.library import load_library

    library = load_library(_project(ctx).content_dir)
    rows = [
        {"id": m.id, "topic": m.topic, "audience": m.audience,
         "when": m.when.source if m.when else "always", "title": m.title}
        for m in library.modules
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    columns = ("id", "topic", "audience")
    widths = {key: max(len(key), *(len(row[key]) for row in rows)) if rows else len(key) for key in columns}
    header = "  ".join(f"{key:<{widths[key]}}" for key in columns) + "  when"
    click.echo(header)
    for row in rows:
        click.echo(f"{row['id']:<{widths['id']}}  {row['topic']:<{widths['topic']}}  "
                   f"{row['audience']:<{widths['audience']}}  {row['when']}")
    click.echo(f"{counted(len(rows), 'module')} in {counted(len(library.topics), 'topic')}.")


@main.command("check-content")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--max-grade", type=click.FloatRange(min=0), default=8.0, show_default=True,
              help="Highest Flesch-Kincaid reading grade a module may have, in each edition it serves.")
@click.option("--max-smog", type=click.FloatRange(min=0), default=7.0, show_default=True,
              help="Highest SMOG grade a module may have, in each edition it serves.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date to check 'reviewed' against (YYYY-MM-DD). Default: today.")
@click.option("--language", "languages", multiple=True, metavar="LANG",
              help="Also measure this language's translated modules with its own formula "
                   "(Spanish: Fernández-Huerta, at least 70). Repeatable.")
@click.pass_context
def check_content(ctx: click.Context, as_json: bool, max_grade: float, max_smog: float,
                  today: dt.datetime | None, languages: tuple[str, ...]) -> None:
    """Check every module of the content library against the quality gates.

    Gates: reading grade at most MAX_GRADE and SMOG grade at most MAX_SMOG in
    each edition; no medicine doses
    or advice to change medicines; every module ends with a '::: try' box
    holding a short list; sources and a reviewed date (not in the future);
    only known names, worksheets and links. Exit code 0 all pass, 1 a gate
    failed, 2 the library cannot be read.

    \b
    Examples:
      handbook check-content
      handbook check-content --json > quality.json
      handbook check-content --language es
    """
    import dataclasses

    from generator.content.library import load_library
    from generator.i18n.catalogs import content_catalog
    from generator.language import language_from_user
    from generator.quality.gates import check_library
    from generator.quality.report import format_report
    from generator.quality.translated import check_translations, format_translation_report

    project = _project(ctx)
    library = load_library(project.content_dir)
    report = check_library(library, project.templates_dir, max_grade=max_grade, max_smog=max_smog,
                           today=_day(today))
    readers = [language_from_user(name) for name in languages]
    translations = [check_translations(library, content_catalog(project, language), language) for language in readers]
    if as_json:
        data = report.as_dict()
        data["translations"] = [dataclasses.asdict(t) for t in translations]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_report(report))
        for translation in translations:
            click.echo("\n" + format_translation_report(translation))
    sys.exit(0 if report.passed and all(t.passed for t in translations) else 1)


@main.command("library")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the library site (default: output/_library/).")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Show plans for this profile instead of the bundled sample patient.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date plans start from and reviews are checked against (YYYY-MM-DD). Default: today.")
@click.pass_context
def library_site(ctx: click.Context, output_dir: Path | None, profile_path: Path | None,
                 today: dt.datetime | None) -> None:
    """Write a browsable website of the content library, for clinicians.

    The index lists every module by chapter: audience, condition, reading
    grade per edition, summary, sources and review date. Each module has a
    page showing it as each edition prints it, with a sample patient's plans.

    \b
    Examples:
      handbook library                      # writes output/_library/index.html
      handbook library -o /tmp/library --profile profiles/ana-lopez.yaml
    """
    from generator.content.library import load_library
    from generator.profile.load import load_profile
    from generator.quality.library_site import write_library_site

    project = _project(ctx)
    library = load_library(project.content_dir)
    profile = load_profile(profile_path, root=project.root) if profile_path else None
    target = (output_dir or project.output_dir / "_library").resolve()
    if problem := output_problem(project, target):
        raise problem
    files = write_library_site(project, library, target, profile=profile,
                               today=_day(today))
    pages = sum(1 for name in files if name.endswith(".html"))
    click.echo(f"wrote {printable(display_path(target))}/index.html "
               f"({counted(pages, 'page')}, {counted(len(library.modules), 'module')})")


main.add_command(i18n)
main.add_command(serve)
