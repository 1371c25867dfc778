"""`handbook i18n ...`: the translator's commands (extract, update, compile, status).

A click group the main command registers; errors are HandbookErrors, which the
main group turns into a message and an exit code.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from generator.errors import InputError, counted, display_path, printable
from generator.project import Project, find_project

if TYPE_CHECKING:  # the i18n modules load only when a command runs
    from generator.i18n.translator import ModuleStatus


def _project(ctx: click.Context) -> Project:
    """The project of the `handbook` group (its --project option) from a subcommand of `i18n`."""
    root = (ctx.find_root().obj or {}).get("project_root")
    return find_project(root)


def _languages(project: Project, names: tuple[str, ...], *, default_all: bool = True) -> list[str]:
    from generator.i18n.catalogs import catalog_language, existing_languages

    if names:
        return list(dict.fromkeys(catalog_language(name) for name in names))
    found = existing_languages(project) if default_all else []
    if not found:
        raise InputError("there are no translations yet: name a language, e.g. `handbook i18n update es`")
    return found


@click.group()
def i18n() -> None:
    """Translations: PO catalogues for the interface and for the content.

    \b
    Example (a new language, then after every change to content or templates):
      handbook i18n extract
      handbook i18n update es
      handbook i18n status es
    """


@i18n.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write the templates: templates/locale/messages.pot and content/locale/content.pot.

    \b
    Example:
      handbook i18n extract
    """
    from generator.content.library import load_library
    from generator.i18n.tools import extract as run_extract

    project = _project(ctx)
    for written in run_extract(project, load_library(project.content_dir)):
        state = "wrote" if written.changed else "unchanged"
        click.echo(f"{state} {display_path(written.path)} ({written.messages} messages)")


@i18n.command()
@click.argument("languages", nargs=-1)
@click.pass_context
def update(ctx: click.Context, languages: tuple[str, ...]) -> None:
    """Merge the templates into each language's catalogues (default: every existing language).

    A new language gets new, empty catalogues. A message whose source changed
    becomes fuzzy and keeps the old source (#| msgid) so the translator sees
    what changed; fuzzy translations are never printed.

    \b
    Example:
      handbook i18n update          # every language that has catalogues
      handbook i18n update es ar    # these (created if new)
    """
    from generator.i18n.tools import update as run_update

    project = _project(ctx)
    for written in run_update(project, _languages(project, languages)):
        state = "updated" if written.changed else "unchanged"
        click.echo(f"{state} {display_path(written.path)}: {written.messages} messages, {written.new} new, "
                   f"{written.fuzzy} fuzzy, {written.obsolete} obsolete")


@i18n.command("compile")
@click.argument("languages", nargs=-1)
@click.pass_context
def compile_command(ctx: click.Context, languages: tuple[str, ...]) -> None:
    """Check every catalogue and write .mo files beside them (builds read the .po directly).

    Exit code 1 when a translation is broken (a placeholder or template
    expression that differs from the source, a bare %); broken and fuzzy
    translations are left out of the .mo, as a build leaves them out.

    \b
    Example:
      handbook i18n compile es
    """
    from generator.content.library import load_library
    from generator.i18n.tools import compile_catalogs

    project = _project(ctx)
    library = load_library(project.content_dir)
    broken = 0
    chosen = _languages(project, languages)
    results = compile_catalogs(project, chosen, library)
    if not results:
        raise InputError(f"no catalogues for {', '.join(chosen)}: run `handbook i18n update {' '.join(chosen)}` first")
    for compiled in results:
        for problem in compiled.problems:
            click.echo(f"error: {problem}", err=True)
        broken += len(compiled.problems)
        click.echo(f"wrote {printable(display_path(compiled.mo))} ({compiled.messages} translations"
                   + (f", {len(compiled.problems)} broken left out" if compiled.problems else "") + ")")
    if broken:
        click.echo(f"{counted(broken, 'broken translation')}: fix them in the .po files.", err=True)
        sys.exit(1)


def _row(name: str, status: ModuleStatus, width: int) -> str:
    return (f"  {name:<{width}}  {status.translated:>10}  {status.fuzzy:>5}  {status.missing:>7}  "
            f"{status.invalid:>7}  {status.percent:>5.1f}%")


def _as_dict(status: ModuleStatus) -> dict[str, object]:
    return {"translated": status.translated, "fuzzy": status.fuzzy, "missing": status.missing,
            "invalid": status.invalid, "total": status.total, "percent": round(status.percent, 1)}


@i18n.command()
@click.argument("languages", nargs=-1)
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None,
              help="Exit 1 when a language's total is below this percentage.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("-v", "--verbose", is_flag=True, help="Also list every broken translation.")
@click.pass_context
def status(ctx: click.Context, languages: tuple[str, ...], fail_under: float | None, as_json: bool,
           verbose: bool) -> None:
    """How much of each language is translated: per module, content, interface and total.

    A module counts as translated only when every one of its messages is
    (neither missing, fuzzy nor broken); otherwise a build shows it in English
    with a notice. Default: every language that has catalogues.

    \b
    Example:
      handbook i18n status es
      handbook i18n status --fail-under 90 --json
    """
    from generator.content.library import load_library
    from generator.i18n.tools import extract_ui, language_status, variant_counts

    project = _project(ctx)
    library = load_library(project.content_dir)
    template = extract_ui(project)
    reports = [language_status(project, library, language, template)
               for language in _languages(project, languages)]
    variants = {report.language: variant_counts(project, report.language) for report in reports}
    if as_json:
        click.echo(json.dumps({
            r.language: {
                "name": r.name,
                "modules": [{"id": m.key, "path": m.path, **_as_dict(m), "problems": list(m.problems)}
                            for m in r.modules],
                "content": _as_dict(r.content), "interface": _as_dict(r.interface), "total": _as_dict(r.total),
                "address_variants": {name: {"written": written, "messages": possible}
                                     for name, (written, possible) in variants[r.language].items()},
            } for r in reports}, indent=2, ensure_ascii=False))
    else:
        width = max([len(m.key) for r in reports for m in r.modules] + [20])
        for report in reports:
            click.echo(f"{report.language} ({report.name})")
            click.echo(f"  {'module':<{width}}  translated  fuzzy  missing  invalid       %")
            for module in report.modules:
                click.echo(_row(module.key, module, width))
            click.echo(_row("content", report.content, width))
            click.echo(_row("interface", report.interface, width))
            click.echo(_row("total", report.total, width))
            for name, (written, possible) in variants[report.language].items():
                click.echo(f"  {name} variants: {written} of {possible} messages have their own text "
                           f"for a {name} reader (grammatical_gender); the rest read the same for anyone")
            problems = report.total.problems
            if problems and verbose:
                for problem in problems:
                    click.echo(f"  broken: {problem}")
            elif problems:
                click.echo(f"  {counted(len(problems), 'broken translation')} "
                           "(see --verbose or `handbook i18n compile`)")
    if fail_under is not None:
        low = [r for r in reports if r.total.percent < fail_under]
        for report in low:
            click.echo(f"{report.language}: {report.total.percent:.1f}% translated, below {fail_under:g}%", err=True)
        if low:
            sys.exit(1)

