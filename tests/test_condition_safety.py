"""Safety advice follows the profile's condition: its areas, its cause and its diabetes.

The samples stand for the conditions: Sam has nerve pain in the chest after heart surgery,
Maria diabetic feet, Jo a hand injury. Each is built as HTML only, once for this file.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, write_profile

from generator.build import BuildOptions, build
from generator.content.services import load_services

SAMPLES = ("sam-after-surgery", "maria-diabetic-feet", "jo-hand-injury")
CHEST_PAIN = "chest pain that presses or crushes, or spreads to the arm, jaw or back"


@pytest.fixture(scope="module")
def built(tmp_path_factory, project) -> Path:
    folder = tmp_path_factory.mktemp("condition-safety")
    paths = []
    for sample in SAMPLES:
        paths.append(folder / "profiles" / f"{sample}.yaml")
        paths[-1].parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "profiles" / f"{sample}.yaml", paths[-1])
    paths.append(write_profile(folder / "profiles", "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim")))
    report = build(project, paths, BuildOptions(output_dir=folder / "out", formats=frozenset({"html"}),
                                                today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return folder / "out"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page(built: Path, sample: str) -> str:
    return (built / sample / "print.html").read_text(encoding="utf-8")


def section(built: Path, sample: str, module: str) -> str:
    text = page(built, sample)
    start = text.index(f'id="{module}"')
    return _text(text[start:text.index("</section>", start)])


def card(built: Path, sample: str) -> str:
    text = page(built, sample)
    start = text.index('class="flare-card"')
    return text[start:text.index('class="card-crisis"', start) if 'class="card-crisis"' in text[start:]
                else text.index("</div>", start)]


def whole(built: Path, sample: str) -> str:
    text = page(built, sample)
    return _text(text[text.index("<body"):])


def test_chest_pain_after_heart_surgery_gets_the_cardiac_red_flags_and_the_heart_team(built: Path) -> None:
    urgent = section(built, "sam-after-surgery", "urgent-help")
    assert "Chest pain: what is different" in urgent
    for words in ("presses", "crushes", "arm, jaw or back", "shortness of breath", "sweating", "faint"):
        assert words in urgent, words
    assert "Check exercise with the heart team" in section(built, "sam-after-surgery", "moving-more")


@pytest.mark.parametrize("sample", [*SAMPLES, "kim"])
def test_the_chest_pain_message_is_the_same_wherever_it_appears(built: Path, sample: str) -> None:
    text = whole(built, sample).lower()
    for module in ("urgent-help", "moving-more", "flare-up-plan"):
        assert CHEST_PAIN in section(built, sample, module).lower(), module
    # no bare "chest pain" advice that contradicts it (the old "Chest pain, or trouble breathing")
    assert "chest pain, or trouble breathing" not in text and "if you get chest pain," not in text


def test_only_a_chest_handbook_or_a_heart_cause_gets_the_chest_and_heart_notes(built: Path) -> None:
    for sample in ("maria-diabetic-feet", "jo-hand-injury", "kim"):
        assert "Chest pain: what is different" not in section(built, sample, "urgent-help")
        assert "heart team" not in section(built, sample, "moving-more")


def test_diabetic_feet_get_low_blood_sugar_foot_colour_and_a_hot_swollen_foot(built: Path) -> None:
    urgent = section(built, "maria-diabetic-feet", "urgent-help")
    assert "A foot that turns pale, blue or black." in urgent
    assert "A foot that is hot, red or swollen, even when the skin is not broken." in urgent
    assert "Low blood sugar" in urgent
    assert "blood sugar drop" in section(built, "maria-diabetic-feet", "moving-more")
    diabetes = section(built, "maria-diabetic-feet", "diabetes-and-nerves")
    assert "pale, blue or black" in diabetes and "even when the skin is not broken" in diabetes
    for sample in ("sam-after-surgery", "jo-hand-injury", "kim"):
        assert "blood sugar" not in whole(built, sample), sample


def test_a_limb_injury_gets_the_signs_of_crps(built: Path) -> None:
    urgent = section(built, "jo-hand-injury", "urgent-help")
    assert "CRPS" in urgent and "colour, warmth or sweating" in urgent and "Skin, hair or nails" in urgent
    for sample in ("sam-after-surgery", "maria-diabetic-feet", "kim"):
        assert "CRPS" not in section(built, sample, "urgent-help"), sample


@pytest.mark.parametrize("sample", [*SAMPLES, "kim"])
def test_everyone_gets_stroke_saddle_medicine_and_falls_driving_alcohol(built: Path, sample: str) -> None:
    urgent = section(built, sample, "urgent-help")
    for words in ("a face that droops", "trouble speaking", "sudden confusion",       # stroke
                  "numbness between the legs or around the bottom", "bladder or bowels",  # saddle numbness
                  "Very sleepy and hard to wake, slow breathing",                      # medicine emergencies
                  "Sudden swelling of the face, lips, tongue or throat",
                  "Medicines that cause sleepiness", "No driving", "No alcohol", "avoid falls",
                  "as prescribed"):
        assert words in urgent, words


def test_a_hand_handbook_has_no_foot_advice(built: Path) -> None:
    text = whole(built, "jo-hand-injury")
    for words in ("numb foot", "numb feet", "feet are numb", "on a foot", "check the feet", "foot care",
                  "blood sugar"):
        assert words not in text, words
    assert "A cut or sore on the hand that is not healing." in section(built, "jo-hand-injury", "urgent-help")


@pytest.mark.parametrize("sample", ["sam-after-surgery", "jo-hand-injury"])
def test_desensitisation_is_on_healed_skin_only(built: Path, sample: str) -> None:
    text = section(built, sample, "desensitisation")
    assert "Healed skin only" in text
    for words in ("open wound", "scar that has not healed", "blister", "rash"):
        assert words in text, words


@pytest.mark.parametrize("sample", [*SAMPLES, "kim"])
def test_the_flare_card_files_no_emergency_under_call_the_clinic(built: Path, sample: str) -> None:
    part = card(built, sample)
    clinic = part[part.index("Call the clinic if"):part.index('class="card-emergency"')]
    for words in ("emergency", "chest pain", "breathing", "bladder"):
        assert words not in _text(clinic).lower(), words
    emergency = _text(part[part.index('class="card-emergency"'):])
    assert CHEST_PAIN in emergency
    country = {"sam-after-surgery": "CA", "maria-diabetic-feet": "GB", "jo-hand-injury": "US"}.get(sample)
    if country:  # the same number the cover prints, from the clinic's country's row
        row = load_services(REPO / "content")[0].row(country)
        assert row is not None
        assert f'<bdi dir="ltr">{html.escape(row.emergency)}</bdi>' in part[part.index('class="card-emergency"'):]
    else:
        assert "your local emergency number" in emergency


def test_an_emergency_the_clinician_wrote_under_call_if_moves_to_the_emergency_list(built: Path) -> None:
    part = card(built, "sam-after-surgery")
    clinic = _text(part[part.index("Call the clinic if"):part.index('class="card-emergency"')])
    assert "Redness or heat at the scar" in clinic and "breathlessness" not in clinic
    assert "Chest pain with breathlessness" in _text(part[part.index('class="card-emergency"'):])
