"""Which chapters each sample profile gets, and how include/exclude change it."""

from __future__ import annotations

import dataclasses

from helpers import REPO

from generator.content.library import load_library
from generator.content.select import select_modules
from generator.profile.load import load_profile
from generator.profile.model import Topics

LIBRARY = load_library(REPO / "content")


def topics_of(name: str, **changes) -> set[str]:
    profile = load_profile(REPO / "profiles" / name)
    if changes:
        profile = dataclasses.replace(profile, **changes)
    return {c.topic.id for c in select_modules(profile, LIBRARY).chapters}


def modules_of(name: str) -> set[str]:
    return set(select_modules(load_profile(REPO / "profiles" / name), LIBRARY).module_ids)


def test_urgent_help_comes_first_for_everyone() -> None:
    for path in (REPO / "profiles").glob("*.yaml"):
        chapters = select_modules(load_profile(path), LIBRARY).chapters
        assert chapters[0].topic.id == "urgent-help"


def test_desensitisation_follows_the_profile() -> None:
    assert "desensitisation" in topics_of("jo-hand-injury.yaml")  # section and allodynia
    assert "desensitisation" not in topics_of("maria-diabetic-feet.yaml")  # neither


def test_sleep_follows_the_profile() -> None:
    assert "sleep" in topics_of("maria-diabetic-feet.yaml")
    assert "sleep" not in topics_of("jo-hand-injury.yaml")


def test_diabetes_module_only_for_a_diabetic_pattern() -> None:
    assert "diabetes-and-nerves" in modules_of("maria-diabetic-feet.yaml")
    assert "diabetes-and-nerves" not in modules_of("jo-hand-injury.yaml")


def test_exclude_removes_a_topic_and_include_adds_one() -> None:
    assert "nutrition" not in topics_of("ana-lopez.yaml")  # the example excludes it
    assert "sleep" in topics_of("jo-hand-injury.yaml", topics=Topics(include=("sleep",)))
    assert "pacing" not in topics_of("jo-hand-injury.yaml", topics=Topics(exclude=("pacing",)))


def test_caregiver_only_modules_stay_out_of_the_patient_edition() -> None:
    caregiver_only = {m.id for m in LIBRARY.modules if m.audience == "caregiver"}
    assert caregiver_only, "the library has caregiver-only modules"
    assert not caregiver_only & modules_of("jo-hand-injury.yaml")
    assert caregiver_only <= modules_of("sam-after-surgery.yaml")
