"""`handbook new`'s starter profile: valid as written, commented, every section present."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.errors import InputError
from generator.profile.load import KEYS, parse_profile
from generator.profile.starter import starter_profile

TODAY = dt.date(2026, 3, 2)


def test_starter_passes_the_validator() -> None:
    profile = parse_profile(starter_profile("ana-lopez", TODAY), "profiles/ana-lopez.yaml")
    assert profile.id == "ana-lopez"
    assert profile.preferred_name == "Ana"
    assert profile.start_date == TODAY
    assert profile.clinic.next_review is not None and profile.clinic.next_review > TODAY
    assert profile.pacing is not None and profile.pacing.activities
    assert profile.desensitisation is not None and profile.sleep is not None
    assert profile.flare_plan is not None and profile.caregivers


def test_every_section_is_present_and_commented() -> None:
    text = starter_profile("p0042", TODAY)
    data = yaml.safe_load(text)
    assert list(data) == list(KEYS[""])
    assert data["preferred_name"] == "Alex"  # no name can be taken from the id
    commented = [line for line in text.splitlines() if "#" in line]
    assert len(commented) > 30
    assert "allodynia" in text and "lower-leg" in text and "daytime-sleepiness" in text


@pytest.mark.parametrize("profile_id", ["a", "clinic-7-bo", "x" * 64])
def test_any_valid_id_gives_a_valid_profile(profile_id: str) -> None:
    assert parse_profile(starter_profile(profile_id, TODAY), "x.yaml").id == profile_id


def test_invalid_id_is_refused_with_a_suggestion() -> None:
    with pytest.raises(InputError) as info:
        starter_profile("Ana Lopez", TODAY)
    assert "invalid id 'Ana Lopez'" in info.value.message
    assert "did you mean 'ana-lopez'?" in info.value.message


@pytest.mark.parametrize("profile_id", ["", "-", "a--b", "x" * 65, "ana/../../etc"])
def test_unsafe_ids_are_refused(profile_id: str) -> None:
    with pytest.raises(InputError):
        starter_profile(profile_id, TODAY)
