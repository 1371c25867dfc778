"""One reader's language, resolved once: tag, name, direction, formats and catalogue folders."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.language import Language, language_problem, normalise_tag


@pytest.mark.parametrize(("written", "tag"), [("es_MX", "es-MX"), (" ES-MX ", "es-MX"), ("ar", "ar"), ("pt-BR", "pt-BR")])
def test_a_tag_is_normalised_once(written: str, tag: str) -> None:
    assert normalise_tag(written) == tag
    assert Language.of(written).tag == tag


def test_what_a_handbook_needs_comes_from_one_value() -> None:
    spanish = Language.of("es-MX")
    assert (spanish.base, spanish.is_source, spanish.direction, spanish.name) == ("es", False, "ltr", "español (México)")
    assert spanish.catalog_candidates == ("es_MX", "es-MX", "es")
    assert spanish.catalog_folder == "es_MX"
    assert spanish.formats.date(dt.date(2026, 12, 1)) == "1 de diciembre de 2026"
    arabic = Language.of("ar")
    assert arabic.direction == "rtl" and arabic.name == "العربية"
    assert Language.of("en-GB").is_source and not Language.of("es").is_source


def test_a_tag_babel_does_not_know_keeps_its_name_and_english_formats() -> None:
    unknown = Language.of("xx")
    assert not unknown.known and unknown.name == "xx" and unknown.direction == "ltr"
    assert unknown.formats.date(dt.date(2026, 12, 1)) == "December 1, 2026"


@pytest.mark.parametrize(("written", "hint"), [("ES", "did you mean 'es'?"), ("es_MX", "did you mean 'es-MX'?"),
                                               ("Spanish", "did you mean 'es'?"), ("xx", "expected a BCP 47 tag")])
def test_a_bad_tag_is_explained_with_a_suggestion(written: str, hint: str) -> None:
    problem = language_problem(written)
    assert problem is not None and hint in problem


def test_a_good_tag_has_no_problem() -> None:
    assert language_problem("pt-BR") is None and language_problem("ar") is None


@pytest.mark.parametrize("written", ["und", "mul", "zxx", "mis", "root", "und-Latn"])
def test_a_code_that_names_no_language_is_refused(written: str) -> None:
    """From the adversarial review of issue 12: 'language: und' (undetermined) was accepted."""
    problem = language_problem(written)
    assert problem is not None and "is not a language a handbook can be written in" in problem
