"""The translators' tools: extract templates, update and compile catalogues, measure them.

`handbook i18n extract|update|compile|status` run these; a build does not (it
needs only i18n.catalogs), so extraction and PO writing stay out of its way.
`compile` writes .mo files for other tools and reports what a build would
refuse to use; `status` says, per module, what a build would translate.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import normalize, write_po

from generator.content.library import TOPICS_FILE, Library
from generator.errors import InputError, display_path
from generator.i18n.catalogs import (
    CONTENT_DOMAIN,
    DOMAINS,
    UI_DOMAIN,
    VARIANT_MARK,
    cached_catalog,
    content_catalog,
    find_po,
    is_variant,
    own_path,
    po_path,
    pot_path,
    read_catalog,
    translation_forms,
    ui_problem,
    ui_state,
    variant_context,
)
from generator.i18n.segments import (
    TOPIC_CONTEXT,
    Segment,
    key_point_messages,
    key_point_segment,
    module_messages,
    module_segments,
    topic_message,
)
from generator.i18n.translator import ModuleStatus, check_translation, topics_status, translate_module
from generator.language import Language
from generator.plans.bodymap import AREA_LABELS
from generator.profile import model as model_module
from generator.profile.fields import form_messages
from generator.profile.model import UNITS
from generator.project import LOCALE_DIR, PACKAGE_DIR, Project

PROJECT_NAME = "handbook"
COMMENT_TAGS = ("Translators:",)
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3)}

UI_HEADER = """\
# Interface strings of the handbook: page templates, plans, worksheets.
# Keep every %(name)s placeholder; write %% for a percent sign.
# How to translate: docs/translating.md
#"""
CONTENT_HEADER = """\
# Content of the handbook: one message per heading, paragraph, list item,
# table cell and box title. msgctxt is the module id (the file
# content/<topic>/<id>.md), or topic:<id> for a chapter title or key point.
# Keep every {{ ... }} and {% ... %} exactly as written.
# How to translate: docs/translating.md
#"""


# --- writing ----------------------------------------------------------------------------------


def _serialise(catalog: Catalog, domain: str) -> bytes:
    """The catalogue as PO text, the way translators' tools write it."""
    if domain == CONTENT_DOMAIN:
        # Babel flags any msgid with a '%' (as in "50% of") as python-format; content is not Python.
        for message in catalog:
            if message.id:
                message.flags.discard("python-format")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    return _fix_previous(buffer.getvalue().decode(catalog.charset or "utf-8"), catalog).encode(
        catalog.charset or "utf-8")


_PREVIOUS_RUN = re.compile(r"(?:^#\|[^\n]*\n)+", re.M)


def _fix_previous(text: str, catalog: Catalog) -> str:
    """Rewrite the "#| msgid" lines Babel writes: it wraps long ones as prose, which is not PO."""
    previous = [m.previous_id for m in catalog if m.id and m.previous_id]
    runs = _PREVIOUS_RUN.findall(text)
    if len(runs) != len(previous):
        return text
    formatted = iter(previous)

    def lines(_match: re.Match[str]) -> str:
        ids = next(formatted)
        out = f"#| msgid {normalize(ids[0], prefix='#| ')}\n"
        if len(ids) > 1:
            out += f"#| msgid_plural {normalize(ids[1], prefix='#| ')}\n"
        return out

    return _PREVIOUS_RUN.sub(lines, text)


_DATE_LINE = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.M)


def write_catalog(path: Path, catalog: Catalog, domain: str) -> bool:
    """Write a .po/.pot unless only its creation date would change (no churn in version control)."""
    data = _serialise(catalog, domain)
    if path.is_file() and _DATE_LINE.sub(b"", path.read_bytes()) == _DATE_LINE.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _new_catalog(domain: str, locale: str | None = None) -> Catalog:
    """An empty template (locale None) or catalogue of `domain`, with the header translators read."""
    return Catalog(locale=locale, domain=domain, project=PROJECT_NAME, version="1",
                   copyright_holder="the handbook authors", msgid_bugs_address="",
                   header_comment=UI_HEADER if domain == UI_DOMAIN else CONTENT_HEADER,
                   fuzzy=locale is None)


# --- extraction -------------------------------------------------------------------------------


def _code_messages() -> list[tuple[str, tuple[str, int], str]]:
    """Reader-facing words that code builds from data, so no extractor can see them."""
    model_file = Path(model_module.__file__)
    shown = model_module.__name__.replace(".", "/") + ".py"  # generator/profile/model.py
    model = model_file.read_text(encoding="utf-8").splitlines()

    def line_of(name: str) -> int:
        return next((i for i, text in enumerate(model, 1) if text.startswith(f"{name}:")), 1)

    out = [(label, (shown, line_of("AREAS")), "a body area, in the body map's legend (lower case)")
           for label in AREA_LABELS.values()]
    out += [(unit, (shown, line_of("UNITS")), "the unit of a paced activity, after a number: 12 minutes")
            for unit in UNITS]
    return out + form_messages()  # the studio's form: help texts and vocabularies


def extract_ui(project: Project) -> Catalog:
    """Interface strings: `_()`/`ngettext()` in templates/**/*.html, `gettext()` in generator/**/*.py."""
    import jinja2
    from jinja2.ext import babel_extract

    catalog = _new_catalog(UI_DOMAIN)
    templates = project.templates_dir
    jinja_options = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true", "silent": "false"}
    sources: list[tuple[Path, str, Callable[..., Any] | str, dict[str, str]]] = [
        (path, f"templates/{path.relative_to(templates).as_posix()}", babel_extract, jinja_options)
        for path in sorted(templates.rglob("*.html"))
        if path.relative_to(templates).parts[0] not in ("assets", LOCALE_DIR)
    ]
    sources += [(path, f"generator/{path.relative_to(PACKAGE_DIR).as_posix()}", "python", {})
                for path in sorted(PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in path.parts]
    for path, shown, method, options in sources:
        try:
            found = extract_from_file(method, path, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                                      options=options, strip_comment_tags=True)
        except jinja2.TemplateSyntaxError as error:
            raise InputError(f"{shown}:{error.lineno}: cannot extract messages: {error.message}") from None
        for lineno, message, comments, context in found:
            catalog.add(message, None, [(shown, lineno)], auto_comments=comments, context=context)
    for text, location, comment in _code_messages():
        catalog.add(text, None, [location], auto_comments=[comment])
    return catalog


def extract_content(library: Library) -> Catalog:
    """One message per block of every module, in reading order, plus the chapter titles."""
    catalog = _new_catalog(CONTENT_DOMAIN)
    for topic in library.topics:
        message = topic_message(topic, (f"content/{TOPICS_FILE}", topic.line))
        catalog.add(message.id, None, [message.location], auto_comments=message.comments, context=message.context)
        for message in key_point_messages(topic, f"content/{TOPICS_FILE}"):
            catalog.add(message.id, None, [message.location], auto_comments=message.comments,
                        context=message.context)
    for module in library.modules:
        for message in module_messages(module, dict(module.key_lines)):
            catalog.add(message.id, None, [message.location], auto_comments=message.comments,
                        context=message.context)
    return catalog


@dataclass(frozen=True)
class Written:
    """A .pot or .po that extract or update wrote (or left alone: `changed`), with its counts."""

    path: Path
    messages: int
    changed: bool
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0


def extract(project: Project, library: Library) -> list[Written]:
    """Write both templates (.pot) from the current templates, code and library."""
    paths = {domain: own_path(project, domain, pot_path(project, domain)) for domain in DOMAINS}
    out = []
    for domain, catalog in ((UI_DOMAIN, extract_ui(project)), (CONTENT_DOMAIN, extract_content(library))):
        out.append(Written(paths[domain], len(catalog), write_catalog(paths[domain], catalog, domain)))
    return out


# --- update -----------------------------------------------------------------------------------


def update(project: Project, languages: Sequence[str]) -> list[Written]:
    """Merge each template into each language's .po; a changed msgid becomes fuzzy with `#|` kept."""
    targets = {(domain, language): own_path(project, domain, po_path(project, domain, language))
               for domain in DOMAINS for language in languages}  # refused before anything is written
    out = []
    for domain in DOMAINS:
        template_path = own_path(project, domain, pot_path(project, domain))
        if not template_path.is_file():  # the installed template, read only
            template_path = pot_path(project, domain)
        if not template_path.is_file():
            raise InputError(f"{display_path(template_path)} does not exist: run `handbook i18n extract` first")
        template = read_catalog(template_path)
        for language in languages:
            path = targets[domain, language]
            # A project's first interface catalogue starts from the installed one, which it then hides.
            seed = path if path.is_file() else po_path(project, domain, language)
            catalog = read_catalog(seed, locale=language) if seed.is_file() else _new_catalog(domain, language)
            before = {(m.id, m.context): m.string for m in catalog if m.id}
            previous = {(m.id, m.context): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
            variants = Language.of(language).address_variants
            catalog.update(_with_variants(template, variants, domain) if variants else template,
                           update_header_comment=False, keep_user_comments=True)
            for message in catalog:
                if message.id and is_variant(message.context) and (message.id, message.context) not in before:
                    # A new gender variant starts empty (use the default), never as Babel's fuzzy guess.
                    message.string = ("",) * catalog.num_plurals if isinstance(message.id, (list, tuple)) else ""
                    message.flags.discard("fuzzy")
                    message.previous_id = []
            for message in catalog:  # Babel drops the previous msgid of a message that is still fuzzy
                if message.id and message.fuzzy and not message.previous_id:
                    message.previous_id = previous.get((message.id, message.context), [])
            new = sum(1 for m in catalog if m.id and (m.id, m.context) not in before)
            fuzzy = sum(1 for m in catalog if m.id and m.fuzzy and m.previous_id)
            out.append(Written(path, len(catalog), write_catalog(path, catalog, domain), new, fuzzy,
                               len(catalog.obsolete)))
    return out


VARIANT_NOTES = {
    "feminine": "FOR A WOMAN READER: translate only if the text for a woman differs from the default "
                "translation (a verb or pronoun that changes); leave it empty to use the default.",
    "masculine": "FOR A MAN READER: translate only if the text for a man differs from the default "
                 "translation; leave it empty to use the default.",
}


def _with_variants(template: Catalog, variants: Sequence[str], domain: str) -> Catalog:
    """The template and, for a language that addresses readers by gender, a variant of each
    message per gender (msgctxt "<context>|feminine"): optional, empty where nothing changes."""
    extended = _new_catalog(domain)
    for message in template:
        if not message.id:
            continue
        extended.add(message.id, None, message.locations, flags=message.flags,
                     auto_comments=message.auto_comments, context=message.context)
        for variant in variants:
            extended.add(message.id, None, message.locations, flags=message.flags,
                         auto_comments=[*message.auto_comments, VARIANT_NOTES[variant]],
                         context=variant_context(message.context, variant))
    return extended


def variant_counts(project: Project, language: str) -> dict[str, tuple[int, int]]:
    """Per gender variant of a language: (messages with a variant written, messages that could have one)."""
    out: dict[str, tuple[int, int]] = {}
    lang = Language.of(language)
    for variant in lang.address_variants:
        written = possible = 0
        for domain in DOMAINS:
            path = find_po(project, domain, lang)
            catalog = cached_catalog(path) if path else None
            for message in catalog or ():
                if message.id and is_variant(message.context) and str(message.context).endswith(variant):
                    possible += 1
                    written += bool(message.string and all(translation_forms(message.string)) and not message.fuzzy)
        out[variant] = (written, possible)
    return out


# --- compile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    """A .mo written from a .po, and the broken translations it left out."""

    po: Path
    mo: Path
    messages: int  # translations written to the .mo
    problems: tuple[str, ...]


def _content_segments(library: Library | None) -> dict[tuple[str, str], Segment]:
    """Every segment of the library by (msgid, msgctxt), to check a translation the way a build would."""
    if library is None:
        return {}
    found = {(t.title, TOPIC_CONTEXT + t.id): Segment(t.title, "chapter title", 0, ()) for t in library.topics}
    found.update({(p.text, TOPIC_CONTEXT + t.id): key_point_segment(p.text)
                  for t in library.topics for p in (*t.key_points, *t.caregiver_key_points)})
    for module in library.modules:
        found.update({(s.text, module.id): s for s, _ in module_segments(module)})
    return found


def compile_catalogs(project: Project, languages: Sequence[str], library: Library | None) -> list[Compiled]:
    """Write a .mo beside every .po, without fuzzy or broken translations, and say which were broken."""
    segments = _content_segments(library)
    out = []
    for language in languages:
        for domain in DOMAINS:
            path = po_path(project, domain, language)
            try:  # the project's own catalogue; one installed with the package is never written beside
                path = own_path(project, domain, path)
            except InputError:
                continue
            if not path.is_file():
                continue
            catalog = read_catalog(path)
            problems = []
            for message in list(catalog):
                if not message.id:
                    continue
                if domain == UI_DOMAIN:
                    broken = ui_problem(message) if ui_state(message, catalog.num_plurals) == "invalid" else None
                else:
                    string = message.string if isinstance(message.string, str) else ""
                    context = str(message.context or "").split(VARIANT_MARK)[0]  # a variant checks as its message
                    segment = segments.get((str(message.id), context),
                                           Segment(str(message.id), "paragraph", 0, ()))
                    broken = (check_translation(segment, str(message.id), string)
                              if string and not message.fuzzy else None)
                if broken:
                    where = f"{display_path(path)}:{message.lineno}" if message.lineno else display_path(path)
                    context = f" (msgctxt {message.context!r})" if message.context else ""
                    problems.append(f"{where}{context}: {broken}")
                    catalog.delete(message.id, context=message.context)
            mo = path.with_suffix(".mo")
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            mo.write_bytes(buffer.getvalue())
            usable = sum(1 for m in catalog if m.id and m.string and all(translation_forms(m.string)) and not m.fuzzy)
            out.append(Compiled(path, mo, usable, tuple(problems)))
    return out


# --- status -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageStatus:
    """How far one language is translated: per module, the interface, and the sums."""

    language: str
    name: str
    modules: tuple[ModuleStatus, ...]  # the chapter titles first, then every module
    interface: ModuleStatus

    @property
    def content(self) -> ModuleStatus:
        return _sum("content", "content/locale", self.modules)

    @property
    def total(self) -> ModuleStatus:
        return _sum("total", "", (self.content, self.interface))


def _sum(key: str, path: str, parts: Iterable[ModuleStatus]) -> ModuleStatus:
    """The parts added up, under a new key and path."""
    total = ModuleStatus(key, path)
    for part in parts:
        total = total + part
    return ModuleStatus(key, path, total.translated, total.fuzzy, total.missing, total.invalid, total.problems)


def interface_status(project: Project, language: str, template: Catalog | None = None) -> ModuleStatus:
    """The interface catalogue measured against the strings the templates use now."""
    template = template or extract_ui(project)
    path = find_po(project, UI_DOMAIN, Language.of(language))
    catalog = cached_catalog(path) if path else None
    tally = {"translated": 0, "fuzzy": 0, "missing": 0, "invalid": 0}
    problems = []
    shown = display_path(path) if path else f"templates/{LOCALE_DIR}/{language}/LC_MESSAGES/{UI_DOMAIN}.po"
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context) if catalog is not None else None
        state = ui_state(found, catalog.num_plurals if catalog is not None else 2)
        tally[state] += 1
        if state == "invalid" and found is not None:
            problems.append(f"{shown}:{found.lineno}: {ui_problem(found)}")
    return ModuleStatus("interface", shown, **tally, problems=tuple(problems))


def language_status(project: Project, library: Library, language: str,
                    ui_template: Catalog | None = None) -> LanguageStatus:
    """Per module: what a build in `language` would translate, and why the rest falls back."""
    catalog = content_catalog(project, Language.of(language))
    modules = [topics_status(library.topics, catalog)]
    modules += [translate_module(module, catalog)[1] for module in library.modules]
    return LanguageStatus(language, Language.of(language).name, tuple(modules),
                          interface_status(project, language, ui_template))
