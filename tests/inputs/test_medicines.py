"""The one set of patterns for medicine doses and advice to change medicines (profiles and content)."""

from __future__ import annotations

import pytest

from generator.inputs.medicines import DOSE, DRUG_CHANGE, medicine_problems


@pytest.mark.parametrize(("text", "dose"), [
    ("Take 300 mg at night", "300 mg"), ("300mg", "300mg"), ("0.5 mg", "0.5 mg"), ("1,5 mg", "1,5 mg"),
    ("5 ml", "5 ml"), ("5 mL", "5 mL"), ("1 tablet", "1 tablet"), ("2 puffs", "2 puffs"),
    ("2.5 mg/kg", "2.5 mg"), ("50 µg", "50 µg"), ("50 μg", "50 μg"), ("25 mcg", "25 mcg"),
    ("400 IU", "400 IU"), ("10 units of insulin", "10 units"), ("3 drops", "3 drops"),
    ("1 patch", "1 patch"), ("2 sprays", "2 sprays"), ("½ tablet", "½ tablet"), ("1 g", "1 g"),
    ("two tablets", "two tablets"), ("half a pill", "half a pill"),
])
def test_doses(text: str, dose: str) -> None:
    found = DOSE.search(text)
    assert found is not None and found.group(0) == dose


@pytest.mark.parametrize("text", [
    "10 minutes", "2 sets of 10", "500 m walk", "5 km", "7:30", "23:30", "80%", "10 reps", "3 times a day",
    "5-minute blocks", "14 units of alcohol", "25 grams of fibre", "+1 555 0100", "5 kg",
])
def test_not_doses(text: str) -> None:
    assert DOSE.search(text) is None


@pytest.mark.parametrize("text", [
    "stop taking gabapentin", "increase your dose", "halve the tablets", "double the dose",
    "come off pregabalin", "cut down on your painkillers", "take an extra painkiller", "skip a dose",
])
def test_medicine_changes(text: str) -> None:
    assert DRUG_CHANGE.search(text)


@pytest.mark.parametrize("text", [
    "Do not stop taking your medicines.", "Never double the dose.", "Ask your doctor before you stop any medicine.",
    "Your doctor may change the dose.", "Start taking short breaks.", "Stop taking the lift.",
    "Halve the walking time on a bad day.", "Drop back one pacing step.",
])
def test_safe_advice_and_other_changes_are_no_problem(text: str) -> None:
    assert list(medicine_problems(text)) == []


def test_the_safe_words_count_only_in_their_own_sentence() -> None:
    (message,) = medicine_problems("Do not rush. Stop taking gabapentin.")
    assert message.startswith("advice to change medicines ('Stop taking gabapentin')")
