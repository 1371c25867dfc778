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


def test_a_local_number_that_starts_with_00_is_not_international() -> None:
    assert calling_code_of("000") is None  # Australia's emergency number
    assert calling_code_of("0044 20 7946 0321") == "442079460321"


@pytest.mark.parametrize(("clinic", "where", "what"), [
    ('  emergency_number: "+1 555 0100"\n', "7:21: clinic.emergency_number", "the emergency number '+1 555 0100'"),
    ('  emergency_number: "001 555 010 0100"\n', "7:21: clinic.emergency_number", "the emergency number"),
    ("  crisis_line: {name: Helpline, number: '+34 91 555 0100'}\n", "7:41: clinic.crisis_line.number",
     "the crisis line's number '+34 91 555 0100' starts with +34, the calling code of ES (Spain)"),
])
def test_an_emergency_or_crisis_number_of_another_country_is_warned_of(clinic: str, where: str, what: str) -> None:
    from generator.profile.load import parse_profile

    text = "handbook: 1\nid: gb\npreferred_name: G\nlanguage: en\nclinic:\n  country: GB\n" + clinic
    warnings = [str(w) for w in parse_profile(text, "profiles/gb.yaml", CODES).warnings]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"profiles/gb.yaml:{where}: {what}"), warnings
    assert "but clinic.country is GB (+44)" in warnings[0]


def test_the_countrys_own_numbers_are_fine() -> None:
    from generator.profile.load import parse_profile

    text = ("handbook: 1\nid: gb\npreferred_name: G\nlanguage: en\nclinic:\n  country: GB\n"
            "  emergency_number: '+44 20 7946 0000'\n  crisis_line: {name: Helpline, number: '0044 20 7946 0001'}\n")
    assert parse_profile(text, "profiles/gb.yaml", CODES).warnings == ()
