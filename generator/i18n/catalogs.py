"""PO catalogues as a build uses them: where they live, reading them, the loaders.

Two domains, one folder each, in the gettext layout that Poedit, Weblate and
msgfmt expect:

    templates/locale/messages.pot   templates/locale/<lang>/LC_MESSAGES/messages.po   (interface)
    content/locale/content.pot      content/locale/<lang>/LC_MESSAGES/content.po      (modules)

Builds read the .po files directly (through Babel), so a translator's edit
shows in the next build without a compile step. This module holds where
catalogues live and how they are read, which builds and the translators' tools
share; the tools themselves (extract, update, compile, status) are in i18n.tools,
which a build never imports.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape
from babel.support import NullTranslations, Translations

from generator.errors import Diagnostic, InputError, display_path, unprintable
from generator.i18n.pofile import checked_po
from generator.inputs.source import BIDI_CONTROLS
from generator.language import Language, language_from_user
from generator.project import LOCALE_DIR, PACKAGE_DIR, Project, template_search_path

UI_DOMAIN = "messages"
CONTENT_DOMAIN = "content"
VARIANT_MARK = "|"  # msgctxt "how-nerve-pain-works|feminine": that message for a woman reader


def variant_context(context: str | None, variant: str) -> str:
    """The msgctxt of a message's gender variant (language.ADDRESS_VARIANTS); "|feminine" for
    an interface message, which has no context of its own."""
    return f"{context or ''}{VARIANT_MARK}{variant}"


def is_variant(context: str | None) -> bool:
    return bool(context) and VARIANT_MARK in str(context)
DOMAINS = (UI_DOMAIN, CONTENT_DOMAIN)


# --- where catalogues live --------------------------------------------------------------------


def domain_base(project: Project, domain: str) -> Path:
    """The folder whose locale/ holds `domain`: templates/ for the interface, content/ for modules."""
    return project.templates_dir if domain == UI_DOMAIN else project.content_dir


def pot_path(project: Project, domain: str) -> Path:
    """The template (.pot) of `domain`."""
    return domain_base(project, domain) / LOCALE_DIR / f"{domain}.pot"


def po_path(project: Project, domain: str, language: str) -> Path:
    """The catalogue (.po) of `domain` in the folder named `language`, whether or not it exists."""
    return domain_base(project, domain) / LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def own_path(project: Project, domain: str, path: Path) -> Path:
    """Where `i18n extract`, `update` and `compile` may write `path` (a .pot, .po or .mo of
    `domain`): in the project folder, never in the installed package or another checkout.

    A project without templates/ of its own reads the installed interface catalogues behind
    its own, so its interface catalogues go to its templates/locale/. A project without a
    content/ of its own uses the installed library, which it cannot translate: InputError.
    """
    if _inside(path, project.root) and not _inside(path, PACKAGE_DIR):
        return path
    base = domain_base(project, domain)
    if domain == UI_DOMAIN:
        own = project.root / "templates" / path.resolve().relative_to(base.resolve())
        if _inside(own, project.root) and not _inside(own, PACKAGE_DIR):
            return own
        raise InputError(
            f"{display_path(project.root / 'templates')} is a link to "
            f"{display_path((project.root / 'templates').resolve())}, "
            "outside the project: its interface catalogues would be written there, into files the project does "
            "not own. Make templates/ a folder of the project (it may hold only locale/: templates it lacks "
            "come from handbook's own)")
    raise InputError(
        f"the project {display_path(project.root)} has no content/ folder of its own: its library and its "
        f"content translations are those installed with handbook ({display_path(base)}), which are never changed. "
        f"To translate the content, copy the library into the project first "
        f"(cp -r {display_path(base)} {display_path(project.root / 'content')}), or run the command in the "
        "project that holds the library")


def catalog_language(tag: str) -> str:
    """A language tag as a catalogue folder name (gettext style: pt_BR); InputError if unknown."""
    return language_from_user(tag).catalog_folder


def find_po(project: Project, domain: str, language: Language) -> Path | None:
    """The existing catalogue that serves `language` (es-MX, else es), or None.

    Interface strings belong to the templates, so a project that overrides only some templates
    (say its stylesheet) still reads the bundled interface catalogues behind its own.
    """
    bases = template_search_path(project.templates_dir) if domain == UI_DOMAIN else [project.content_dir]
    for base in bases:
        for name in language.catalog_candidates:
            path = base / LOCALE_DIR / name / "LC_MESSAGES" / f"{domain}.po"
            if path.is_file():
                return path
    return None


def existing_languages(project: Project) -> list[str]:
    """Every language with a catalogue of either domain, sorted."""
    found: set[str] = set()
    for domain in DOMAINS:
        root = domain_base(project, domain) / LOCALE_DIR
        if root.is_dir():
            found.update(p.name for p in root.iterdir() if (p / "LC_MESSAGES" / f"{domain}.po").is_file())
    return sorted(found)


# --- reading ----------------------------------------------------------------------------------


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file; InputError (with the line) when it is not valid PO."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{display_path(path)} cannot be read: {error}") from None
    data = checked_po(path, data)  # its header and every line, with the line of the first problem
    # msgmerge and Poedit write "#~|" (the previous msgid of an obsolete entry), which Babel rejects.
    data = _OBSOLETE_PREVIOUS.sub(b"", data)
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as error:
        raise InputError(f"{display_path(path)} is not a valid PO file: {error}") from None
    except Exception as error:  # a mutated file can make Babel fail in many ways: never a traceback
        raise InputError(f"{display_path(path)} cannot be read: {type(error).__name__}: {error}") from None
    for message in [*catalog, *catalog.obsolete.values()]:
        _take_previous(message)
    for message in catalog:  # an escape (`\r`) can write what the file's own lines may not hold
        if code := next(filter(None, (unprintable(form.replace("\n", "").replace("\t", ""))
                                      for form in translation_forms(message.string))), None):
            raise InputError(f"{display_path(path)} is not a valid PO file", [Diagnostic(
                display_path(path), message.lineno, None, "", f"the translation holds {code}, an invisible "
                "control character, which is not text: delete it")])
    return catalog


_OBSOLETE_PREVIOUS = re.compile(rb"^#~\|[^\n]*$", re.M)
_PREVIOUS_LINE = re.compile(r'\|\s*(?:(msgctxt|msgid|msgid_plural)\s+)?(".*")\s*\Z')


def _take_previous(message: PoMessage) -> None:
    """Babel reads "#| msgid" lines as translator comments (babel#206): make them previous_id again."""
    fields: dict[str, str] = {}
    keyword = ""
    kept = []
    for comment in message.user_comments:
        line = _PREVIOUS_LINE.match(comment)
        if not line:
            kept.append(comment)
            continue
        keyword = line.group(1) or keyword
        if keyword:
            fields[keyword] = fields.get(keyword, "") + unescape(line.group(2))
    if fields:
        message.user_comments = kept
        if message.fuzzy and "msgid" in fields:
            message.previous_id = [fields["msgid"]] + ([fields["msgid_plural"]] if "msgid_plural" in fields else [])


@lru_cache(maxsize=64)
def _cached_catalog(path: str, _mtime_ns: int, _size: int) -> Catalog:
    return read_catalog(Path(path))


def cached_catalog(path: Path) -> Catalog:
    """read_catalog, once per file version (builds read the same catalogue for many profiles).

    The catalogue is shared: callers must not change it.
    """
    stat = path.stat()
    return _cached_catalog(str(path), stat.st_mtime_ns, stat.st_size)


# --- checks -----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)")
# Every %-conversion as written: `%(date)s`, `%(num)d`, but also `%(date)99999999s` or `%5.2f`.
_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?[hlL]?[diouxXeEfFgGcrsa%]")


def _conversions(text: str) -> set[str]:
    """The %-conversions of an interface string, `%%` left out."""
    return {found for found in _CONVERSION.findall(text) if found != "%%"}


def translation_forms(value: object) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of strings: one, or one per plural form."""
    if isinstance(value, (list, tuple)):
        return tuple(str(v or "") for v in value)
    return (str(value or ""),)


_MARKUP = re.compile(r"<[^>]*>?|&#?\w+;")


def ui_problem(message: PoMessage) -> str | None:
    """Why an interface translation would break a page (placeholders, a bare %), or None."""
    ids = translation_forms(message.id)
    plural = isinstance(message.id, (list, tuple))
    if plural and len(ids) != 2:
        return "a plural message has one msgid and one msgid_plural"
    names = set().union(*(_PLACEHOLDER.findall(i) for i in ids)) | ({"num"} if plural else set())
    for string in translation_forms(message.string):
        if not string:
            continue
        used = set(_PLACEHOLDER.findall(string))
        if used - names:
            return f"unknown placeholder {', '.join(f'%({n})s' for n in sorted(used - names))}"
        if not plural and used != names:
            return f"the placeholder {', '.join(f'%({n})s' for n in sorted(names - used))} is missing"
        # `%(date)99999999s` pads a page with a hundred million spaces (checked before formatting):
        # a placeholder is written as in the source (flags, width, precision, conversion), only its
        # place may change. A stray '%' is left to the format check below.
        allowed = set().union(*(_conversions(i) for i in ids)) | ({"%(num)s", "%(num)d"} if plural else set())
        differing = sorted(_conversions(string) - allowed)
        if differing:
            return (f"the placeholder {differing[0]!r} is not written as in the source "
                    f"({', '.join(sorted(allowed)) or 'none'}): copy it exactly, with no width, precision or flag")
        try:
            string % {name: 1 for name in names}
        except (ValueError, TypeError, KeyError) as error:
            return f"not a valid format: {error} (write %% for a percent sign)"
        # Page templates print interface strings as written (they are trusted HTML), so a
        # translation may carry only the markup its source has: no tag, entity or '<' of its own.
        if sorted(_MARKUP.findall(string)) != sorted(_MARKUP.findall(ids[0])):
            return "the translation adds or drops HTML markup (<...>, &...; or <): keep exactly the source's tags"
        for control in sorted(set(BIDI_CONTROLS.findall(string))):
            if string.count(control) > max(i.count(control) for i in ids):
                return (f"the translation adds U+{ord(control):04X}, an invisible bidirectional control that can "
                        "show the rest of the line reversed: use the marks U+200E or U+200F instead")
        # A quote ends the attribute a template prints the string in (alt="...", aria-label="..."),
        # and what follows would be live HTML: rel="attachment", href=..., style=...
        for char in _HTML_SPECIAL:
            if string.count(char) > max(i.count(char) for i in ids):
                return (f"the translation adds {char!r}, which HTML would read as markup: write typographic "
                        "quotes (“ ” « » ’) instead")
    return None


_HTML_SPECIAL = "\"'<>&`"


def ui_state(message: PoMessage | None, nplurals: int) -> str:
    """'translated', 'fuzzy', 'missing' or 'invalid': whether a build can use an interface translation."""
    if message is None:
        return "missing"
    forms = translation_forms(message.string)
    if not any(forms) or (isinstance(message.id, (list, tuple)) and (len(forms) < nplurals or not all(forms))):
        return "missing"
    if message.fuzzy:
        return "fuzzy"
    return "invalid" if ui_problem(message) else "translated"


# --- build time -------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _translations(path: str, _mtime_ns: int, _size: int) -> Translations:
    catalog = read_catalog(Path(path))
    for message in list(catalog):
        if message.id and ui_state(message, catalog.num_plurals) != "translated":
            catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    try:
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return Translations(fp=buffer, domain=UI_DOMAIN)
    except Exception as error:  # what the checks above missed: never a traceback
        raise InputError(f"{display_path(Path(path))} cannot be used: {type(error).__name__}: {error}") from None


def ui_translations(project: Project, language: Language) -> NullTranslations:
    """Interface translations for a language, straight from its .po: fuzzy and broken ones left out."""
    path = find_po(project, UI_DOMAIN, language)
    if path is None:
        return NullTranslations()
    stat = path.stat()
    return _translations(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _refusals(path: str, _mtime_ns: int, _size: int) -> tuple[str, ...]:
    catalog = cached_catalog(Path(path))
    return tuple(f"{display_path(Path(path))}:{message.lineno}: the translation of {str(message.id)[:60]!r} is not "
                 f"used, the English text is shown: {ui_problem(message)}"
                 for message in catalog if message.id and ui_state(message, catalog.num_plurals) == "invalid")


def ui_refusals(project: Project, language: Language) -> tuple[str, ...]:
    """A warning for each interface translation a build leaves out as broken (its PO line and why)."""
    path = find_po(project, UI_DOMAIN, language)
    if path is None:
        return ()
    stat = path.stat()
    return _refusals(str(path), stat.st_mtime_ns, stat.st_size)


class AddressedTranslations(NullTranslations):
    """Interface translations for one reader: a message's gender variant where it has one."""

    def __init__(self, base: NullTranslations, variant: str) -> None:
        super().__init__()
        self._base = base
        self._context = variant_context(None, variant)

    def gettext(self, message: str) -> str:
        found = str(self._base.pgettext(self._context, message))
        return found if found != message else str(self._base.gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = str(self._base.npgettext(self._context, msgid1, msgid2, n))
        return found if found not in (msgid1, msgid2) else str(self._base.ngettext(msgid1, msgid2, n))

    # Jinja prefers these old names when they exist, and Babel gives every NullTranslations them.
    ugettext = gettext
    ungettext = ngettext

    def pgettext(self, context: str, message: str) -> str:
        return str(self._base.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return str(self._base.npgettext(context, singular, plural, n))


def addressed(translations: NullTranslations, language: Language, gender: str | None) -> NullTranslations:
    """`translations` as read by a reader of `gender` (unchanged unless the language keeps variants)."""
    variant = language.address_variant(gender)
    return AddressedTranslations(translations, variant) if variant else translations


def content_catalog(project: Project, language: Language) -> Catalog | None:
    """The content catalogue of a language (base language as fallback), or None if it has none."""
    path = find_po(project, CONTENT_DOMAIN, language)
    return cached_catalog(path) if path else None
