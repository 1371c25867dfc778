"""Applying a content catalogue: modules and chapter titles in the reader's language.

A module is translated whole or not at all: one missing, fuzzy or broken
message and the build shows the source module, with a notice. The messages are
the blocks that i18n.segments cuts a module into; this module looks each one up
in the language's catalogue, checks it can stand in for its source, and puts
the body back together. Builds, `i18n status` and the quality checks use it.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import jinja2
import markdown
from babel.messages.catalog import Catalog
from markdown.extensions.toc import slugify_unicode

from generator.content.blocks import BlockError, expand_blocks
from generator.content.grammar import BLOCK_CLOSE, BLOCK_OPEN, TEMPLATE_TAG
from generator.content.library import Module, Topic
from generator.content.sandbox import content_environment
from generator.errors import Diagnostic, InputError, counted
from generator.i18n.catalogs import variant_context
from generator.i18n.segments import (
    TOPIC_CONTEXT,
    Segment,
    has_pipe,
    key_point_segment,
    module_segments,
    segmented,
    source_path,
)
from generator.inputs.source import BIDI_CONTROLS
from generator.language import Language

TOPICS_KEY = "(chapter titles)"

# --- applying a catalog -----------------------------------------------------------------------


def _tag_map(text: str) -> dict[str, str]:
    """Template tags by their normalised form ({{reader.name}} == {{ reader.name }})."""
    return {tag[:2] + re.sub(r"\s+", " ", tag[2:-2].strip()): tag for tag in TEMPLATE_TAG.findall(text)}


# What makes a translation more than text: links (inline, reference, automatic, bare URLs),
# pictures, raw HTML, entities, attribute lists `{: rel=... }` and Jinja comments.
_MARKUP_PATTERNS = (
    ("image", re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")),
    ("link", re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)")),
    ("link", re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*<?(\S*?)>?(?:\s|$)", re.M)),
    ("reference", re.compile(r"\]\s?\[([^\]]*)\]")),
    ("link", re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^<>\s@]+@)[^<>\s]*)>")),
    ("address", re.compile(r"\b((?:https?|ftp|file|mailto|tel|data|javascript):[^\s)>\]]*)", re.I)),
    ("HTML", re.compile(r"<\s*(/?\s*[A-Za-z!?][\w:-]*)")),
    ("entity", re.compile(r"(&#?\w+;)")),
    ("attribute list", re.compile(r"(\{:?[ \t]*[#.:][^}\n]*\})")),
    ("template comment", re.compile(r"(\{#|#\})")),
)


def markup_of(text: str) -> Counter[tuple[str, str]]:
    """Every link, picture, tag, entity, attribute list and template comment in a text, counted."""
    found: Counter[tuple[str, str]] = Counter()
    for kind, pattern in _MARKUP_PATTERNS:
        found.update((kind, match.lower() if kind == "HTML" else match) for match in pattern.findall(text))
    return found


def _described(item: tuple[str, str]) -> str:
    kind, value = item
    shown = value if len(value) <= 60 else value[:57] + "..."
    named = {"image": f"a picture ({shown!r})", "link": f"a link to {shown!r}", "address": f"the address {shown!r}",
             "reference": f"a link reference [{shown}]", "HTML": f"the HTML tag <{shown}>"}
    return named.get(kind, f"{kind} {shown!r}")


class _Tags(HTMLParser):
    """Every element and attribute (with its value) in a piece of HTML, counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[f"<{tag}>"] += 1
        self.found.update(f'<{tag} {name}="{value or ""}">' for name, value in attrs)


# Markdown makes markup of these only: a text without any is rendered as itself.
_MARKDOWN_SIGNS = re.compile(r"[\[{<&]")
# Python-Markdown reads nested brackets in quadratic time: past this many, the source is not
# rendered (its translation may not have more, see _translation_problem) and the patterns decide.
_MAX_BRACKETS = 64


@lru_cache(maxsize=64)
def _converter(_thread: int) -> markdown.Markdown:
    """The extensions of a module body (render.module) that make markup, without heading ids; one
    per thread, as a converter holds the state of the text it reads (the studio checks in threads)."""
    return markdown.Markdown(extensions=["tables", "sane_lists", "md_in_html", "attr_list"], output_format="html")


def rendered_markup(text: str) -> Counter[str]:
    """The elements and attributes Markdown makes of `text`: what a reader's page would get.

    The patterns of markup_of name what a translator wrote; this catches what they miss, such as
    a link whose text holds brackets (`[a [b] c](//host)`) or `{ class=... }` on a paragraph.
    """
    converter = _converter(threading.get_ident())
    converter.reset()
    parser = _Tags()
    parser.feed(converter.convert(text))
    parser.close()
    return parser.found


# What would make a message more than one block of text, each counted by its marker (`**` and `*`
# differ): a translation may not have more of one than its source.
_STRUCTURE = (
    ("a blank line", re.compile(r"\n[ \t]*\n")),
    ("a heading", re.compile(r"^[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-{2,}[ \t]*$)", re.M)),
    ("a list item", re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]", re.M)),
    ("a quotation", re.compile(r"^[ \t]{0,3}>", re.M)),
    ("a table", re.compile(r"^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*\|", re.M)),
    ("emphasis ('*' or '_')", re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")),
    ("code ('`')", re.compile(r"`+")),
)


def check_translation(segment: Segment, source: str, translation: str) -> str | None:
    """Why `translation` cannot stand in for `source`, or None when it can."""
    return _translation_problem(segment.kind, segment.multiline, source, translation)


# Verdicts are remembered by everything they depend on (the texts themselves, not a catalogue's
# name or date), so an edited catalogue or module is checked again, and each handbook of a batch
# does not parse the same translated messages and bodies again (issue 12: a sixth of an HTML build).
@lru_cache(maxsize=16384)
def _translation_problem(kind: str, multiline: bool, source: str, translation: str) -> str | None:
    wanted, found = _tag_map(source), _tag_map(translation)
    if wanted.keys() != found.keys():
        lost = [tag for key, tag in wanted.items() if key not in found]
        extra = [tag for key, tag in found.items() if key not in wanted]
        parts = [f"it leaves out {', '.join(lost)}"] if lost else []
        parts += [f"it adds {', '.join(extra)}"] if extra else []
        return "the template expressions differ from the source: " + "; ".join(parts)
    added = markup_of(translation) - markup_of(source)
    if added:
        return f"the translation adds {_described(next(iter(added)))}, which its source does not have: " \
               "a translation is text, with only the links, pictures and markup of its source"
    for sign in "[]{}":  # Markdown's links and attribute lists: a translation keeps its source's
        if translation.count(sign) > source.count(sign):
            return f"the translation has more '{sign}' than its source: in Markdown they make links and " \
                   "attributes, so a translation keeps those of its source and adds none"
    for control in sorted(set(BIDI_CONTROLS.findall(translation))):
        if translation.count(control) > source.count(control):
            return f"the translation adds U+{ord(control):04X}, an invisible bidirectional control that can " \
                   "show the rest of the line reversed: use the marks U+200E or U+200F instead"
    if "\n" in translation and not multiline:
        return f"a {kind} must stay on one line"
    made = next((name for name, pattern in _STRUCTURE if Counter(m.strip() for m in pattern.findall(translation))
                 - Counter(m.strip() for m in pattern.findall(source))), None)
    if made:  # `Text\n\n# Heading\n\n| a |` would add a heading and a table to the page
        return f"the translation adds {made}, which its source does not have: a message stays one block of text"
    if any(BLOCK_OPEN.match(line) or BLOCK_CLOSE.match(line) for line in translation.split("\n")):
        return "a line of the translation starts with ':::', which would open or close a box"
    if kind.startswith("table") and has_pipe(translation):
        return "a table cell cannot contain '|' (write '\\|')"
    if _MARKDOWN_SIGNS.search(translation) and source.count("[") <= _MAX_BRACKETS:
        made_markup = rendered_markup(translation) - rendered_markup(source)
        if made_markup:
            return f"the translation makes {next(iter(made_markup))} on the page, which its source does not: " \
                   "a translation is text, with only the links, pictures and markup of its source"
    return None


@dataclass(frozen=True)
class ModuleStatus:
    """How much of one module (or of the chapter titles) a catalog translates."""

    key: str  # module id, or TOPICS_KEY
    path: str
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    invalid: int = 0
    problems: tuple[str, ...] = ()  # "content/x.md:12: ..." for every invalid translation

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing + self.invalid

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def __add__(self, other: ModuleStatus) -> ModuleStatus:
        return ModuleStatus(self.key, self.path, self.translated + other.translated, self.fuzzy + other.fuzzy,
                            self.missing + other.missing, self.invalid + other.invalid,
                            self.problems + other.problems)

    def counts(self) -> str:
        return (f"{self.translated} of {self.total} messages translated"
                f" ({self.fuzzy} fuzzy, {self.missing} missing, {self.invalid} invalid)")


def _lookup(catalog: Catalog | None, segment: Segment, context: str, where: str,
            variant: str | None = None) -> tuple[str, str | None]:
    """('translated' | 'fuzzy' | 'missing' | 'invalid', the translation or a problem).

    With a `variant` (a reader's grammatical gender), its message is used when it is translated
    and usable; otherwise the default message, so a variant is only ever written where it differs.
    """
    if variant is not None and catalog is not None:
        state, value = _lookup(catalog, segment, variant_context(context, variant), where)
        if state == "translated":
            return state, value
    message = catalog.get(segment.text, context=context) if catalog is not None else None
    if message is None:
        return "missing", None
    string = message.string
    if not isinstance(string, str) or not string.strip():
        return "missing", None
    if message.fuzzy:
        return "fuzzy", None
    problem = check_translation(segment, segment.text, string)
    if problem:
        return "invalid", f"{where}: {problem} (msgctxt {context!r}, msgid {_short(segment.text)!r})"
    return "translated", string


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def translate_module(module: Module, catalog: Catalog | None,
                     variant: str | None = None) -> tuple[Module | None, ModuleStatus]:
    """The module in the catalog's language, or None (with the reasons) unless every message is usable."""
    path = source_path(module)
    states: dict[str, tuple[str, str | None]] = {}
    problems: list[str] = []
    located = module_segments(module)
    for segment, line in located:
        if segment.text in states:
            continue
        state, value = _lookup(catalog, segment, module.id, f"{path}:{line or 1}", variant)
        states[segment.text] = (state, value)
        if state == "invalid" and value:
            problems.append(value)
    tally = {kind: sum(1 for s, _ in states.values() if s == kind)
             for kind in ("translated", "fuzzy", "missing", "invalid")}
    if tally["translated"] != len(states):
        return None, ModuleStatus(module.id, path, **tally, problems=tuple(problems))
    text = {source: value or source for source, (_, value) in states.items()}
    body = segmented(module.body)
    headings = Counter(s.text for s in body.segments if s.kind == "heading")
    translated = dataclasses.replace(
        module,
        title=text[module.title],
        summary=text[module.summary] if module.summary else module.summary,
        body=body.rebuild([_anchored(module.id, s, text[s.text], headings[s.text] == 1) for s in body.segments]),
    )
    problem = _unusable(translated)
    if problem:
        status = ModuleStatus(module.id, path, tally["translated"] - 1, 0, 0, 1, (f"{path}: {problem}",))
        return None, status
    return translated, ModuleStatus(module.id, path, **tally, problems=())


def _anchored(module_id: str, segment: Segment, translation: str, unique: bool) -> str:
    """A translated heading keeps the id of its source (`{: #id }`), so `x.md#heading` links still work."""
    if segment.kind != "heading" or not unique or _NOT_PLAIN.search(segment.text) or translation.endswith("}"):
        return translation
    return f"{translation} {{: #{module_id}-{slugify_unicode(segment.text, '-')} }}"  # not {#: a Jinja comment


_NOT_PLAIN = re.compile(r"[{}\[\]<`&\\]")


def _unusable(module: Module) -> str | None:
    """Why a translated body cannot be rendered (boxes or template tags out of order), or None."""
    return _unusable_body(module.body)


@lru_cache(maxsize=1024)
def _unusable_body(body: str) -> str | None:
    try:
        expand_blocks(body, None)
        content_environment().parse(body)
    except BlockError as error:
        return f"the translated text breaks a box: {error}"
    except jinja2.TemplateSyntaxError as error:
        return f"the translated text breaks a template tag: {error.message}"
    return None


def translate_topic(topic: Topic, catalog: Catalog | None, variant: str | None = None) -> str | None:
    """The chapter title in the catalog's language, or None."""
    segment = Segment(topic.title, "chapter title", 0, ())
    state, value = _lookup(catalog, segment, TOPIC_CONTEXT + topic.id, "content/topics.yaml", variant)
    return value if state == "translated" else None


def translate_key_points(topic: Topic, edition: str, catalog: Catalog | None, variant: str | None = None,
                         names: Mapping[str, Any] | None = None) -> tuple[str, ...] | None:
    """The key points `edition` reads, all in the catalog's language, or None unless each is translated."""
    out = []
    for point in topic.key_points_for(edition, names):
        state, value = _lookup(catalog, key_point_segment(point.text), TOPIC_CONTEXT + topic.id,
                               f"content/topics.yaml:{point.line}", variant)
        if state != "translated" or value is None:
            return None
        out.append(value)
    return tuple(out)


def topics_status(topics: Sequence[Topic], catalog: Catalog | None) -> ModuleStatus:
    """The chapter titles and key points of topics.yaml."""
    tally = {"translated": 0, "fuzzy": 0, "missing": 0, "invalid": 0}
    problems = []
    for topic in topics:
        segments = [Segment(topic.title, "chapter title", 0, ())]
        segments += [key_point_segment(text) for text in
                     dict.fromkeys(p.text for p in (*topic.key_points, *topic.caregiver_key_points))]
        for segment in segments:
            state, value = _lookup(catalog, segment, TOPIC_CONTEXT + topic.id, "content/topics.yaml")
            tally[state] += 1
            if state == "invalid" and value:
                problems.append(value)
    return ModuleStatus(TOPICS_KEY, "content/topics.yaml", **tally, problems=tuple(problems))


class ContentTranslator:
    """One handbook's content language: translates modules whole or falls back, and remembers which."""

    def __init__(self, language: Language, catalog: Catalog | None, variant: str | None = None) -> None:
        self.language = language
        self.catalog = catalog
        self.variant = variant  # the reader's grammatical gender, when the language keeps variants for it
        self.active = not language.is_source
        self.fallbacks: dict[str, ModuleStatus] = {}

    def module(self, module: Module) -> Module:
        """The translated module, or the source module (recorded as a fallback)."""
        if not self.active:
            return module
        translated, status = translate_module(module, self.catalog, self.variant)
        if translated is None:
            self.fallbacks[module.id] = status
            return module
        return translated

    def fall_back(self, module: Module, reason: str) -> Module:
        """Use the source module after all (its translation failed to render)."""
        path = source_path(module)
        self.fallbacks[module.id] = ModuleStatus(module.id, path, invalid=1, problems=(f"{path}: {reason}",))
        return module

    def topic_title(self, topic: Topic) -> str:
        if not self.active:
            return topic.title
        return translate_topic(topic, self.catalog, self.variant) or topic.title

    def key_points(self, topic: Topic, edition: str,
                   names: Mapping[str, Any] | None = None) -> tuple[tuple[str, ...], bool]:
        """The chapter's key points for `edition` (and, given the profile's `names`, for this
        reader), and whether they are shown in English (not all translated)."""
        source = tuple(p.text for p in topic.key_points_for(edition, names))
        if not self.active or not source:
            return source, False
        translated = translate_key_points(topic, edition, self.catalog, self.variant, names)
        return (source, True) if translated is None else (translated, False)


def strict_ui_refusal(source: str, language: Language, refusals: Sequence[str]) -> InputError:
    """What `build --strict` says instead of printing interface strings whose translation is broken
    (`catalogs.ui_refusals`: each its PO line and why)."""
    count = len(refusals)
    return InputError(
        f"{source}: --strict: {counted(count, 'interface translation')} into {language.name} ({language.tag}) "
        f"{'is' if count == 1 else 'are'} broken and would be shown in English: "
        + "; ".join(refusals) + "; fix the catalogue (see `handbook i18n status "
        f"{language.tag}`) or build without --strict")


def strict_refusal(source: str, language: Language, fallbacks: Sequence[ModuleStatus],
                   modules_total: int) -> InputError:
    """What `build --strict` says instead of printing untranslated modules."""
    count = len(fallbacks)
    return InputError(
        f"{source}: --strict: {count} of {counted(modules_total, 'module')} "
        f"{'is' if count == 1 else 'are'} not fully translated into {language.name} ({language.tag}) and would be "
        f"shown in English; translate them (see `handbook i18n status {language.tag}`) or build without --strict",
        [Diagnostic(status.path, None, None, "", f"{status.key}: {status.counts()}") for status in fallbacks],
    )
