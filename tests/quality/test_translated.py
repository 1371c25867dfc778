"""Reading ease of translations: Spanish syllables by Spanish rules, and Fernández-Huerta."""

from __future__ import annotations

import pytest
from helpers import REPO

from generator.content.library import load_library
from generator.i18n.catalogs import content_catalog
from generator.language import Language
from generator.project import find_project
from generator.quality.translated import (
    FORMULAS,
    check_translations,
    fernandez_huerta,
    format_translation_report,
    spanish_syllables,
)


@pytest.mark.parametrize(("word", "count"), [
    ("mariposa", 4), ("ahora", 3), ("día", 2), ("aéreo", 4), ("hielo", 2), ("tranquilo", 3),
    ("construcción", 3), ("dolor", 2), ("ejercicio", 4), ("país", 2), ("caminar", 3),
    # diphthongs and triphthongs are one syllable; hiatus (open vowels, accented í/ú) two
    ("ciudad", 2), ("cuidar", 2), ("huevo", 2), ("Uruguay", 3), ("averiguáis", 4),
    ("poeta", 3), ("leía", 3), ("actúa", 3), ("oír", 2), ("búho", 2), ("alcohol", 3),
    # the silent u of que/qui/gue/gui, the sounded ü, y as a vowel or a consonant
    ("aquí", 2), ("que", 1), ("guerra", 2), ("pingüino", 3), ("y", 1), ("hoy", 1), ("muy", 1),
    ("ayuda", 3), ("fisioterapeuta", 6), ("AHORA", 3), ("10", 1),
])
def test_spanish_syllables(word: str, count: int) -> None:
    assert spanish_syllables(word) == count


def test_fernandez_huerta_of_a_known_text() -> None:
    # Ca-mi-ne un po-co ca-da dí-a (10) / Des-can-se an-tes de que el do-lor au-men-te (13):
    # 23 syllables, 12 words, 2 sentences -> 206.84 - 0.60 * 191.67 - 1.02 * 6 = 85.72
    assert fernandez_huerta("Camine un poco cada día. Descanse antes de que el dolor aumente.") == 85.7
    assert fernandez_huerta("El perro come. La casa es blanca.") == 109.0  # 11 syllables, 7 words, 2 sentences
    assert fernandez_huerta("") == 0.0


def test_longer_sentences_and_longer_words_are_harder() -> None:
    short = fernandez_huerta("Camine un poco. Descanse. Beba agua.")
    assert fernandez_huerta("Camine un poco, descanse, beba agua.") < short  # one sentence, not three
    assert fernandez_huerta("Practique actividades terapéuticas. Descanse. Beba agua.") < short


def test_spanish_is_measured_with_fernandez_huerta_and_a_minimum() -> None:
    assert FORMULAS["es"] == ("Fernández-Huerta", fernandez_huerta)
    project = find_project(REPO)
    library = load_library(project.content_dir)
    spanish = Language.of("es")
    report = check_translations(library, content_catalog(project, spanish), spanish, minimum=100)
    assert report.formula == "Fernández-Huerta" and not report.passed
    assert all(60 < r.ease < 100 and r.words > 0 for r in report.readings)
    assert "FAIL" in format_translation_report(report)


def test_a_language_without_a_formula_is_listed_not_measured() -> None:
    project = find_project(REPO)
    arabic = Language.of("ar")
    report = check_translations(load_library(project.content_dir), content_catalog(project, arabic), arabic)
    assert report.formula is None and report.readings == () and report.passed
    assert "no reading-ease formula" in format_translation_report(report)
