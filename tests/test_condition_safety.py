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
    fragment = re.sub(r"</?bdi[^>]*>", "", fragment)  # a name's isolate is inside a word's run: "Lee's"
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
    end = text.index('class="card-crisis"', start) if 'class="card-crisis"' in text[start:] else \
        text.index("</ul>", text.index('class="card-emergency-signs"', start))
    return text[start:end]


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


def test_an_emergency_the_clinician_wrote_under_call_if_moves_to_the_emergency_list(tmp_path, project) -> None:
    text = (REPO / "profiles" / "sam-after-surgery.yaml").read_text(encoding="utf-8").replace(
        "call_if: [Redness or heat at the scar,", "call_if: [Chest pain with breathlessness (call the emergency number), "
        "The hand turns cold and blue, Redness or heat at the scar,")
    assert "Chest pain with breathlessness" in text
    profile = write_profile(tmp_path / "profiles", "sam-after-surgery.yaml", text)
    report = build(project, [profile], BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                    today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    part = card(tmp_path / "out", "sam-after-surgery")
    clinic = _text(part[part.index("Call the clinic if"):part.index('class="card-emergency"')])
    assert "Redness or heat at the scar" in clinic and "breathlessness" not in clinic and "blue" not in clinic
    emergency = _text(part[part.index('class="card-emergency"'):])
    assert "Chest pain with breathlessness" in emergency and "The hand turns cold and blue" in emergency


# --- the clinical review of the samples (chest, diabetes, unknown country, caregiver voice) ------

HEART_LINE = ("If chest pain presses or squeezes, or comes with short breath, sweating or feeling faint, "
              "stop and call")


def test_chest_and_heart_handbooks_qualify_hurt_is_not_harm_and_pacing_with_the_emergency_number(
        built: Path) -> None:
    row = load_services(REPO / "content")[0].row("CA")  # Sam's clinic is in Canada
    assert row is not None
    pain = section(built, "sam-after-surgery", "how-nerve-pain-works")
    assert "That is the alarm, not a new injury. This is not true for heart pain. " + HEART_LINE in pain
    assert f"{HEART_LINE} {row.emergency} now." in pain
    pacing = section(built, "sam-after-surgery", "pacing-basics")
    assert f"Heart pain is different. {HEART_LINE} {row.emergency} now." in pacing
    for sample in ("maria-diabetic-feet", "jo-hand-injury", "kim"):
        text = whole(built, sample)
        assert "heart pain" not in text.lower() and HEART_LINE not in text, sample


def test_a_heart_handbook_without_a_known_number_says_so_in_neutral_words(tmp_path, project) -> None:
    profile = write_profile(tmp_path / "profiles", "lee.yaml", MINIMAL_PROFILE.format(id="lee", name="Lee") + (
        "condition:\n  cause: Nerve pain after heart surgery\n  areas: [chest]\n"))
    report = build(project, [profile], BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                    today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    for module in ("how-nerve-pain-works", "pacing-basics"):
        assert f"{HEART_LINE} your local emergency number now." in section(tmp_path / "out", "lee", module)


@pytest.mark.parametrize("sample", [*SAMPLES, "kim"])
def test_pacing_says_stop_at_the_target_even_if_it_feels_fine(built: Path, sample: str) -> None:
    text = section(built, sample, "pacing-basics")
    assert "not when the pain says stop" not in text
    who = "Sam feels" if sample == "sam-after-surgery" else "you feel"
    assert f"Stop when you reach the target, even if {who} fine." in text
    assert "to find your baseline" not in text


def test_pacing_try_this_week_checks_the_activity_against_the_plan_only_when_there_is_one(built: Path) -> None:
    assert "Time your activity for three days. Check it against your plan." in section(
        built, "jo-hand-injury", "pacing-basics")
    assert "Help Sam time their activity for three days. Check it against the plan." in section(
        built, "sam-after-surgery", "pacing-basics")
    kim = section(built, "kim", "pacing-basics")  # no pacing plan
    assert "against your plan" not in kim
    assert "Time one activity for three days. Bring the notes to your care team." in kim


def test_diabetic_feet_call_for_any_new_sore_and_the_wording_is_not_restrictive(built: Path) -> None:
    urgent = section(built, "maria-diabetic-feet", "urgent-help")
    assert "A new cut, blister or sore on a foot, even a small one." in urgent
    assert "not healing" not in urgent.split("A new cut")[1].split(".")[0]
    assert "Low blood sugar more often, especially on more active days." in urgent
    diabetes = section(built, "maria-diabetic-feet", "diabetes-and-nerves")
    assert "Call the care team the same day if you find any new sore or blister on a foot." in diabetes
    assert "Dry well, especially between the toes." in diabetes
    assert "mostly" not in urgent and "mostly" not in diabetes
    for sample in (*SAMPLES, "kim"):
        assert "A fall, especially with a blow to the head" in section(built, sample, "urgent-help"), sample


def test_diabetic_pain_goes_on_and_injury_pain_stays_after_the_injury_healed(built: Path) -> None:
    assert "It is also why the pain can go on for a long time." in section(
        built, "maria-diabetic-feet", "how-nerve-pain-works")
    assert "first injury" not in whole(built, "maria-diabetic-feet")
    for sample in ("sam-after-surgery", "jo-hand-injury"):
        text = section(built, sample, "how-nerve-pain-works")
        assert "It is also why the pain can stay after the first injury has healed." in text
        assert "go on for a long time" not in text


@pytest.mark.parametrize("sample", [*SAMPLES, "kim"])
def test_the_signs_that_differ_go_to_the_care_team_the_same_day(built: Path, sample: str) -> None:
    text = section(built, sample, "how-nerve-pain-works")
    assert ("Some signs are different. New weakness, a hot swollen arm or leg, or a sore that will not heal: "
            "call the care team the same day. See \"When to get help fast\"") in text
    assert "hot and swollen limb" not in text


def test_an_unknown_country_gets_write_in_lines_and_no_number(built: Path) -> None:
    text = page(built, "kim")
    start = text.index('id="urgent-help"')
    raw = text[start:text.index("</section>", start)]
    urgent = _text(raw)
    assert ("Ask your care team to write your local emergency number and a crisis line here before you go home."
            in urgent)
    assert "Emergency number: ________" in urgent and "Crisis line: ________" in urgent
    assert "find it now" not in urgent and "look" not in urgent.lower().split("keep your numbers close")[0]
    assert '<bdi dir="ltr">' not in raw and not re.search(r"\d{3}", urgent)
    for sample in SAMPLES:  # a known country prints its number instead
        known = section(built, sample, "urgent-help")
        assert "________" not in known and "Ask your care team to write" not in known, sample


def test_one_rule_after_a_flare_up_in_the_flare_up_plan_and_the_pacing_plan(built: Path) -> None:
    for sample in ("maria-diabetic-feet", "jo-hand-injury", "kim"):
        flare = section(built, sample, "flare-up-plan")
        assert ("During a flare, keep doing the plan, but use the target from one week back. Stay there until "
                "it feels easy again. Then go up one week at a time, as before.") in flare
        assert "week before the flare" not in flare
    assert ("During a flare, Sam keeps doing the plan, but uses the target from one week back. They stay there "
            "until it feels easy again.") in section(built, "sam-after-surgery", "flare-up-plan")
    for sample in ("sam-after-surgery", "jo-hand-injury"):
        text = whole(built, sample)
        plan = text[text.index("After a flare-up Flare-ups happen"):]
        assert "back one week" in plan and "until it feels easy again" in plan


def test_the_caregiver_edition_speaks_about_the_reader_s_medicines(built: Path) -> None:
    team = section(built, "sam-after-surgery", "working-with-your-team")
    assert "Sam should not stop, start or change a medicine without asking the care team first." in team
    assert "vitamins and herbal products that Sam takes" in team
    assert "products you take" not in team and "on your own" not in team
    urgent = section(built, "sam-after-surgery", "urgent-help")
    assert "Sam keeps taking them as prescribed." in urgent and "They keep taking" not in urgent
    assert "Sam keeps taking medicines as prescribed." in urgent
    assert "Keep taking medicines as prescribed" not in urgent
    patient = section(built, "jo-hand-injury", "working-with-your-team")
    assert "Do not stop, start or change a medicine on your own." in patient
    assert "vitamins and herbal products you take" in patient
    assert "Keep taking medicines as prescribed." in section(built, "jo-hand-injury", "urgent-help")


# --- advice written for one body area reaches only the handbooks of that area -------------------

HAND = ("jo-hand-injury",)
NOT_HAND = ("sam-after-surgery", "maria-diabetic-feet", "kim")


def test_the_graded_task_example_fits_the_area(built: Path) -> None:
    examples = {
        "jo-hand-injury": ("holding a cup", "Hold a warm mug with the sore hand."),
        "sam-after-surgery": ("wearing clothes", "Wear a soft vest for 10 minutes at home."),
        "maria-diabetic-feet": ("walking, always in shoes that fit well", "Walk indoors for 5 minutes."),
    }  # Kim has no goals, so no graded tasks: the general example is checked with Max below
    for sample, (topic, step) in examples.items():
        text = section(built, sample, "graded-tasks")
        assert f"Here is an example for {topic}:" in text and step in text, sample
        for other, (other_topic, other_step) in examples.items():
            if other != sample:  # and never the general one
                assert "example for going to a shop" not in text
                assert f"example for {other_topic}" not in text and other_step not in text, (sample, other)
    for sample in ("sam-after-surgery", "maria-diabetic-feet"):
        assert "mug" not in section(built, sample, "graded-tasks"), sample
    assert "soft socks" not in section(built, "maria-diabetic-feet", "graded-tasks")  # never barefoot with diabetes


def test_home_set_up_fits_the_area(built: Path) -> None:
    handles = "Use tools with thick, soft handles, and jar openers."
    socks = "Wear soft, seamless socks and roomy shoes."
    general = "Ask about aids that take strain off the sore area."
    expected = {"jo-hand-injury": handles, "maria-diabetic-feet": socks, "sam-after-surgery": general, "kim": general}
    for sample, line in expected.items():
        text = section(built, sample, "keeping-your-gains")
        for each in (handles, socks, general):
            assert (each in text) == (each == line), (sample, each)


def test_the_diary_offer_to_write_fits_the_area(built: Path) -> None:
    assert "Offer to write if Sam is tired." in whole(built, "sam-after-surgery")  # Sam's is a caregiver edition
    assert "hands are sore" not in whole(built, "sam-after-surgery")
    for sample in (*HAND, "maria-diabetic-feet", "kim"):  # patient editions: no offer to write at all
        assert "Offer to write if" not in whole(built, sample), sample


def test_a_caregiver_edition_offers_to_write_for_sore_hands_and_keeps_it_general_elsewhere(
        tmp_path, project) -> None:
    """Lee's pain is in a hand, Max's in the lower back: no area the library has an example for."""
    lines = {}
    for name, areas in (("lee", "[left-hand]"), ("max", "[lower-back]")):
        profile = write_profile(tmp_path / "profiles", f"{name}.yaml", MINIMAL_PROFILE.format(
            id=name, name=name.title()) + "edition: caregiver\n" + (
            f"condition:\n  cause: Nerve pain\n  areas: {areas}\n  symptoms: [allodynia]\n"
            "goals:\n  - Go back to the choir\n"))
        report = build(project, [profile], BuildOptions(output_dir=tmp_path / "out",
                                                        formats=frozenset({"html"}), today=TODAY))
        assert report.exit_code == 0, [o.error for o in report.failed]
        lines[name] = whole(tmp_path / "out", name)
    lee, max_ = lines["lee"], lines["max"]
    assert "Offer to write if Lee's hands are sore." in lee and "is tired" not in lee
    assert "Offer to write if Max is tired." in max_ and "hands are sore" not in max_
    assert "Hold a warm mug with the sore hand." in lee and "example for going to a shop" not in lee
    assert "Here is an example for going to a shop:" in max_
    for words in ("mug", "vest", "socks", "roomy shoes", "jar openers", "soft ball", "skip wall pushes"):
        assert words not in max_, words
    assert "Ask about aids that take strain off the sore area." in max_
    assert "drawing-desensitisation-strokes" in (tmp_path / "out" / "lee" / "print.html").read_text()
    assert "drawing-desensitisation-strokes" not in (tmp_path / "out" / "max" / "print.html").read_text()
    assert "If Lee's hand is sore, they skip wall pushes and lifting for now." in lee


def test_the_forearm_drawing_and_the_soft_ball_are_for_a_hand_or_arm_only(built: Path) -> None:
    assert "drawing-desensitisation-strokes" in page(built, "jo-hand-injury")
    assert "Squeezing a soft ball" in section(built, "jo-hand-injury", "desensitisation")
    checked = [sample for sample in NOT_HAND if 'id="desensitisation"' in page(built, sample)]
    assert "sam-after-surgery" in checked  # a chest handbook with a desensitisation chapter is looked at
    for sample in checked:
        assert "drawing-desensitisation-strokes" not in page(built, sample), sample
        text = section(built, sample, "desensitisation")
        assert "soft ball" not in text and "Gentle pressure with the fingers, then a little firmer." in text
        assert "Stroke it gently" in text or "onto the sore area" in text  # the strokes are still explained


def test_a_sore_hand_skips_wall_pushes_and_lifting(built: Path) -> None:
    assert ("If your hand is sore, skip wall pushes and lifting for now. Follow your hand plan instead."
            in section(built, "jo-hand-injury", "moving-more"))
    for sample in NOT_HAND:
        assert "skip wall pushes" not in section(built, sample, "moving-more"), sample


def test_a_heart_handbook_limits_drinks_if_the_heart_team_says_so(built: Path) -> None:
    sam = whole(built, "sam-after-surgery")
    assert "Drink water before and after, unless the heart team has told Sam to limit drinks." in section(
        built, "sam-after-surgery", "moving-more")
    if 'id="eating-well"' in page(built, "sam-after-surgery"):
        assert "Sip water through the day, unless the heart team has told Sam to limit drinks." in sam
    for sample in ("maria-diabetic-feet", "jo-hand-injury", "kim"):
        assert "limit drinks" not in whole(built, sample), sample
        assert "Drink water before and after." in section(built, sample, "moving-more"), sample
    if 'id="eating-well"' in page(built, "maria-diabetic-feet"):
        assert "Sip water through the day. Pale yellow" in whole(built, "maria-diabetic-feet")


def test_the_non_urgent_line_is_named_where_the_country_has_one(built: Path) -> None:
    for sample in (*SAMPLES, "kim"):
        country = {"sam-after-surgery": "CA", "maria-diabetic-feet": "GB", "jo-hand-injury": "US"}.get(sample)
        row = load_services(REPO / "content")[0].row(country) if country else None
        raw = page(built, sample)
        urgent = whole(built, sample)
        assert "urgent care centre" not in urgent, sample
        if row is not None and row.non_urgent is not None:
            assert f"If you cannot reach the clinic, call {row.non_urgent.name} on {row.non_urgent.number}" in urgent
            assert f'<bdi dir="ltr">{html.escape(row.non_urgent.number)}</bdi>' in raw
            assert "walk-in" not in urgent
        else:
            assert ("If you cannot reach the clinic, go to an urgent care or walk-in centre. "
                    "Do not wait for the next visit.") in urgent, sample
    gb = load_services(REPO / "content")[0].row("GB")
    assert gb is not None and gb.non_urgent is not None  # Maria's NHS 111 is named
