"""A clinic's country: ISO codes with did-you-mean, and phone numbers that disagree with it."""

from __future__ import annotations

import pytest

from generator.profile.country import calling_code_of, country_problem, phone_prefix_problem, suggest_country

CODES = {"GB": "44", "ES": "34", "US": "1", "CA": "1", "AU": "61"}


@pytest.mark.parametrize("code", ["GB", "ES", "AU", "US", "LB", "NZ"])
def test_iso_codes_are_countries(code: str) -> None:
    assert country_problem(code) is None


@pytest.mark.parametrize(("written", "meant"), [
    ("UK", "GB"), ("gb", "GB"), ("England", "GB"), ("Spain", "ES"), ("españa", "ES"), ("Spian", "ES"),
    ("Lebanon", "LB"), ("USA", "US"), ("Australia", "AU"), ("EL", "GR"),
])
def test_near_misses_get_the_code_meant(written: str, meant: str) -> None:
    assert suggest_country(written) == meant
    assert f"did you mean '{meant}'" in (country_problem(written) or "")


@pytest.mark.parametrize("written", ["XX", "EU", "ZZ", "Atlantis", "G"])
def test_what_is_no_country_is_refused_with_an_example(written: str) -> None:
    problem = country_problem(written) or ""
    assert "unknown country" in problem and "such as GB" in problem


@pytest.mark.parametrize(("phone", "code"), [
    ("+44 20 7946 0321", "442079460321"), ("0044 20 7946", "44207946"), ("020 7946 0321", None), ("555 0100", None),
])
def test_calling_code_of(phone: str, code: str | None) -> None:
    assert calling_code_of(phone) == code


def test_a_phone_of_the_clinics_country_is_fine() -> None:
    assert phone_prefix_problem("+44 20 7946 0321", "GB", CODES) is None
    assert phone_prefix_problem("+1 555 0100", "CA", CODES) is None
    assert phone_prefix_problem("020 7946 0321", "GB", CODES) is None  # a local number says nothing


def test_a_phone_of_another_country_names_it() -> None:
    problem = phone_prefix_problem("+1 555 0100", "GB", CODES) or ""
    assert "+1" in problem and "US (United States)" in problem and "CA (Canada)" in problem and "GB (+44)" in problem


def test_a_phone_of_a_country_the_table_lacks_still_disagrees() -> None:
    problem = phone_prefix_problem("+961 1 555 010", "ES", CODES) or ""
    assert "does not start with +34" in problem


def test_a_country_without_a_calling_code_is_not_checked() -> None:
    assert phone_prefix_problem("+44 20 7946 0321", "LB", CODES) is None
