"""The content library as a small website, for the clinicians who choose and review modules.

The index lists every module by chapter with what a reviewer needs at a
glance (audience, condition, reading grade per edition, summary, sources,
review date and when the next review is due); each module has a page with its
citations and reviewer, showing it rendered for every edition it serves, as a
sample patient would read it. Nothing here depends on a real
profile: plans show the bundled sample patient's (or the profile given).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2

from generator.content.library import Library, Module, Topic
from generator.errors import InputError, display_path
from generator.output.folder import replace_folder
from generator.output.site import ID_ATTRIBUTE, asset_files, label_table_cells
from generator.profile.model import EDITIONS, Profile
from generator.project import Project, template_search_path
from generator.quality.gates import check_library
from generator.quality.report import ModuleQuality, QualityReport
from generator.quality.sample import SampleReader, sample_reader
from generator.render.module import RenderError
from generator.render.templates import page_environment

_HREF = re.compile(r'\bhref="([^"]*)"')
_URL = re.compile(r"url\(#([^)]+)\)")


@dataclass(frozen=True)
class EditionView:
    """One edition of a module as rendered for the sample reader (or why it could not be)."""

    edition: str
    html: str
    error: str = ""


@dataclass(frozen=True)
class Entry:
    module: Module
    quality: ModuleQuality
    editions: tuple[EditionView, ...]

    @property
    def filename(self) -> str:
        return f"modules/{self.module.id}.html"

    @property
    def condition(self) -> str:
        return self.module.when.source if self.module.when else "always"


@dataclass(frozen=True)
class Chapter:
    topic: Topic
    entries: tuple[Entry, ...]


def _anchor(edition: str, target: str) -> str:
    return f"{edition}--{target}"


def _scope(html: str, module_id: str, edition: str, homes: dict[str, tuple[str, tuple[str, ...]]]) -> str:
    """Give each edition's ids a prefix (both editions share one page) and point links at module pages.

    `homes` maps every id of the library to (module id, editions that module serves).
    """
    def edition_in(target_module: str) -> str:
        served = homes.get(target_module, (target_module, EDITIONS))[1]
        return edition if edition in served else served[0]

    def link(match: re.Match[str]) -> str:
        target = match.group(1)
        path, hash_, anchor = target.partition("#")
        if path.endswith(".md"):
            other = PurePosixPath(path).stem
            page = f"{other}.html"
            return f'href="{page}#{_anchor(edition_in(other), anchor)}"' if anchor else f'href="{page}"'
        if path or not hash_:
            return match.group(0)
        owner = homes.get(anchor, (module_id, EDITIONS))[0]
        local = _anchor(edition_in(owner), anchor)
        return f'href="#{local}"' if owner == module_id else f'href="{owner}.html#{local}"'

    html = ID_ATTRIBUTE.sub(lambda m: f'id="{_anchor(edition, m.group(1))}"', html)
    html = _URL.sub(lambda m: f"url(#{_anchor(edition, m.group(1))})", html)  # SVG fills and clips
    return _HREF.sub(link, html)


def _render_editions(module: Module, sample: SampleReader) -> dict[str, EditionView]:
    views: dict[str, EditionView] = {}
    for edition in EDITIONS:
        if not module.for_edition(edition):
            continue
        try:
            views[edition] = EditionView(edition, sample.render(module, edition).html)
        except RenderError as error:
            views[edition] = EditionView(edition, "", str(error))
    return views


def library_chapters(library: Library, report: QualityReport, sample: SampleReader) -> tuple[Chapter, ...]:
    """Every module with its quality and its rendered editions, grouped by chapter."""
    rendered = {m.id: _render_editions(m, sample) for m in library.modules}
    homes: dict[str, tuple[str, tuple[str, ...]]] = {}
    for module in library.modules:
        served = tuple(rendered[module.id])
        homes[module.id] = (module.id, served)
        for view in rendered[module.id].values():
            for found in ID_ATTRIBUTE.findall(view.html):
                homes.setdefault(found, (module.id, served))
    quality = {q.module.id: q for q in report.modules}
    chapters = []
    for topic in library.topics:
        entries = tuple(
            Entry(m, quality[m.id], tuple(
                EditionView(v.edition, _scope(v.html, m.id, v.edition, homes), v.error)
                for v in rendered[m.id].values()))
            for m in library.modules if m.topic == topic.id
        )
        chapters.append(Chapter(topic, entries))
    return tuple(chapters)


def library_files(library: Library, templates_dir: Path, *, today: dt.date,
                  profile: Profile | None = None) -> dict[str, bytes]:
    """Every file of the library site, in memory."""
    sample = sample_reader(templates_dir, profile, today)
    report = check_library(library, templates_dir, today=today, sample=sample)
    chapters = library_chapters(library, report, sample)
    env = page_environment(templates_dir)
    try:
        index = env.get_template("library/index.html")
        page = env.get_template("library/module.html")
        values = {"chapters": chapters, "report": report, "sample": sample.profile, "today": today,
                  "sources": {source.key: source for source in library.sources}}
        files = {"index.html": label_table_cells(index.render(root="", **values)).encode()}
        for chapter in chapters:
            for entry in chapter.entries:
                html = page.render(entry=entry, chapter=chapter, root="../", **values)
                files[entry.filename] = label_table_cells(html).encode()
    except jinja2.TemplateError as error:
        raise InputError(f"the library templates in {display_path(templates_dir / 'library')} "
                         f"cannot be used: {error}") from None
    files.update(asset_files(templates_dir))
    css = next(d / "library" / "library.css" for d in template_search_path(templates_dir)
               if (d / "library" / "library.css").is_file())
    files["assets/library.css"] = css.read_bytes()
    return files


def write_library_site(project: Project, library: Library, output_dir: Path, *,
                       today: dt.date, profile: Profile | None = None) -> tuple[str, ...]:
    """Write the site to `output_dir` whole, or not at all; the files written."""
    files = library_files(library, project.templates_dir, today=today, profile=profile)
    replace_folder(output_dir, files)
    return tuple(sorted(files))
