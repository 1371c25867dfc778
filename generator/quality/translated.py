"""Reading ease of translated modules, measured with a formula made for their language.

Flesch-Kincaid is calibrated on English; Spanish words have more syllables, so
a Spanish text would look harder than it is. Spanish is measured with
Fernández-Huerta (1959): 100 is very easy, 70-80 "fairly easy" (about US grade
7), 60-70 "normal". Languages with no formula are listed as not measured.

The syllables are counted here by Spanish rules (`spanish_syllables`), not by
textstat, which counts the hyphenation points of pyphen's Spanish dictionary:
those never leave one letter alone at either end of a word and skip hiatus and
many short words (ahora 2, día 1, país 1, otra 1), so Spanish read up to 11
points too easy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from babel.messages.catalog import Catalog

from generator.content.library import Library
from generator.errors import counted
from generator.i18n.translator import translate_module
from generator.language import Language
from generator.quality.readability import editions_of, prose, sentences, words

MIN_EASE = 70.0

# ---------------------------------------------------------------- Spanish syllables

_VOWELS = frozenset("aeiouáéíóúü")
_STRONG = frozenset("aeoáéó")  # open vowels: two of them side by side are two syllables (hiatus)
_STRESSED_WEAK = frozenset("íú")  # an accented i or u is a syllable of its own: dí-a, pa-ís, ac-tú-a
_SILENT_U = re.compile(r"(?<=q)u|(?<=g)u(?=[eiéí])")  # que, qui, gue, gui (but güe, güi)


@lru_cache(maxsize=16384)
def spanish_syllables(word: str) -> int:
    """Syllables in one Spanish word, by the rules of Spanish (RAE, Ortografía 2010).

    Each group of vowels is one syllable (a diphthong: hie-lo, ciu-dad; or a triphthong:
    U-ru-guay), except that two open vowels (a, e, o) are two (a-é-re-o, po-e-ta), and an
    accented í or ú stands alone (dí-a, re-ír). The u of que/qui/gue/gui is silent; a final
    y after a vowel is a vowel (hoy, muy), and y alone is a word of one syllable; h does not
    separate vowels (ahu-mar, but a-ho-ra for two open vowels). A number reads as one unit.
    """
    word = _SILENT_U.sub("", word.lower())
    if not any(ch.isalpha() for ch in word):
        return 1 if word else 0
    count, previous = 0, ""
    for index, ch in enumerate(word):
        if ch == "y":
            following = word[index + 1:index + 2]
            ch = "i" if following not in _VOWELS and (previous or len(word) == 1) else ""
        if ch == "h":
            continue  # silent: the vowels either side of it may still join
        if ch not in _VOWELS:
            previous = ""
            continue
        if (not previous or previous == ch or ch in _STRESSED_WEAK or previous in _STRESSED_WEAK
                or (ch in _STRONG and previous in _STRONG)):
            count += 1
        previous = ch
    return max(1, count)


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta reading ease: 206.84 - 0.60 P - 1.02 F, one decimal.

    P is syllables per 100 words and F words per sentence (Flesch's sentence length,
    as the formula was meant: Law 2011). Sentences are `sentences`; 0 for no text.
    """
    found = words(text)
    sentence_count = len(sentences(text))
    if not found or not sentence_count:
        return 0.0
    per_100_words = 100 * sum(spanish_syllables(word) for word in found) / len(found)
    return round(206.84 - 0.60 * per_100_words - 1.02 * len(found) / sentence_count, 1)


# language -> (formula name, formula)
FORMULAS: dict[str, tuple[str, Callable[[str], float]]] = {
    "es": ("Fernández-Huerta", fernandez_huerta),
}


@dataclass(frozen=True)
class TranslatedReading:
    module_id: str
    path: str
    edition: str
    ease: float
    words: int

    def passed(self, minimum: float) -> bool:
        return self.ease >= minimum


@dataclass(frozen=True)
class TranslationReadingReport:
    language: str
    formula: str | None  # None: no formula for this language
    minimum: float
    readings: tuple[TranslatedReading, ...]
    untranslated: tuple[str, ...]  # module ids printed in English, so not measured here

    @property
    def failures(self) -> tuple[TranslatedReading, ...]:
        return tuple(r for r in self.readings if not r.passed(self.minimum))

    @property
    def passed(self) -> bool:
        return not self.failures


def check_translations(library: Library, catalog: Catalog | None, language: Language,
                       minimum: float = MIN_EASE) -> TranslationReadingReport:
    """Measure every fully translated module of `language`, in each edition it serves."""
    base = language.base
    formula = FORMULAS.get(base)
    readings: list[TranslatedReading] = []
    untranslated: list[str] = []
    for module in library.modules:
        translated, _status = translate_module(module, catalog)
        if translated is None:
            untranslated.append(module.id)
            continue
        if formula is None:
            continue
        for edition in editions_of(translated):
            text = prose(translated.body, edition)
            readings.append(TranslatedReading(module.id, module.path, edition, formula[1](text),
                                              len(words(text))))
    return TranslationReadingReport(language.tag, formula[0] if formula else None, minimum,
                                    tuple(readings), tuple(untranslated))


def format_translation_report(report: TranslationReadingReport) -> str:
    if report.formula is None:
        return (f"{report.language}: no reading-ease formula for this language; "
                f"{counted(len(report.untranslated), 'module is', 'modules are')} not yet translated.")
    lines = [f"{report.language}: reading ease ({report.formula}, at least {report.minimum:g})"]
    for reading in report.readings:
        mark = "ok" if reading.passed(report.minimum) else "FAIL"
        lines.append(f"  {reading.module_id:<40} {reading.edition:<10} {reading.ease:6.1f}  {mark}")
    if report.untranslated:
        lines.append(f"  not translated (printed in English): {', '.join(report.untranslated)}")
    lines.append(f"  {len(report.readings) - len(report.failures)} of {len(report.readings)} pass.")
    return "\n".join(lines)
