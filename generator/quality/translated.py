"""Reading ease of translated modules, measured with a formula made for their language.

Flesch-Kincaid is calibrated on English; Spanish words have more syllables, so
a Spanish text would look harder than it is. Spanish is measured with
Fernández-Huerta (textstat, syllables from pyphen's bundled dictionaries, so
nothing is downloaded): 100 is very easy, 70-80 "fairly easy" (about US grade
7), 60-70 "normal". Languages with no formula are listed as not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import textstat
from babel.messages.catalog import Catalog

from generator.content.library import Library
from generator.errors import counted
from generator.i18n.translator import translate_module
from generator.language import Language
from generator.quality.readability import editions_of, prose

MIN_EASE = 70.0
# language -> (formula name, textstat function name)
FORMULAS: dict[str, tuple[str, str]] = {
    "es": ("Fernández-Huerta", "fernandez_huerta"),
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


def _ease(text: str, language: str, function: str) -> float:
    """textstat keeps one global language: set it for this text, then back to English."""
    textstat.set_lang(language)
    try:
        return round(float(getattr(textstat, function)(text)), 1)
    finally:
        textstat.set_lang("en_US")


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
            readings.append(TranslatedReading(module.id, module.path, edition,
                                              _ease(text, base, formula[1]), len(text.split())))
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
