"""What clinicians type: doses and medicine changes are refused, heat on numb skin and split items warned of."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PROFILE_HEAD, REPO

from generator.content.services import load_services
from generator.errors import Diagnostic, InputError
from generator.profile import model
from generator.profile.load import load_profile
from generator.profile.safety import call_if_warnings, emergency_mention, split_call_if

MINIMAL = PROFILE_HEAD  # lines 1-4
NUMB = "condition:\n  symptoms: [burning, numbness]\n"  # lines 5-6


pytestmark = pytest.mark.usefixtures("in_profiles_folder")


def load(text: str) -> model.Profile:
    path = Path("profiles/x.yaml")
    path.write_text(text, encoding="utf-8")
    return load_profile(path)


def problems(text: str) -> list[Diagnostic]:
    with pytest.raises(InputError) as info:
        load(text)
    return list(info.value.diagnostics)


def warnings(text: str) -> list[str]:
    return [str(w) for w in load(text).warnings]


# -- doses and medicine changes: errors, with file:line -----------------------------------------

# (profile text after MINIMAL, line, column, field) of one dose in each kind of free text.
DOSE_IN_EVERY_FIELD = [
    ("goals: [Walk after my 300 mg tablet]\n", 5, 9, "goals[0]"),
    ("goals:\n  - text: Take 5 ml at night\n    plan: flare-up\n", 6, 11, "goals[0].text"),
    ("condition:\n  cause: Started after 20 mg of a new pill\n", 6, 10, "condition.cause"),
    ("clinic:\n  name: Clinic for 2 puffs\n", 6, 9, "clinic.name"),
    ("pacing:\n  activities:\n    - {name: Walk after 1 tablet, unit: minutes, recent: [5]}\n",
     7, 14, "pacing.activities[0].name"),
    ("desensitisation:\n  textures: [silk, 1 patch]\n", 6, 20, "desensitisation.textures[1]"),
    ("graded_tasks:\n  - goal: Hold a cup\n    steps: [Hold it, Take 400 IU first]\n",
     7, 22, "graded_tasks[0].steps[1]"),
    ("graded_tasks:\n  - goal: Take 2.5mg/kg\n    steps: [a]\n", 6, 11, "graded_tasks[0].goal"),
    ("nutrition:\n  notes: 25 mcg of vitamin B12\n", 6, 10, "nutrition.notes"),
    ("flare_plan:\n  warning_signs: [Needing 3 drops more]\n", 6, 19, "flare_plan.warning_signs[0]"),
    ("flare_plan:\n  first_steps: [Rest, Take two tablets]\n", 6, 23, "flare_plan.first_steps[1]"),
    ("flare_plan:\n  call_if: [Pain after 10 units]\n", 6, 13, "flare_plan.call_if[0]"),
    ("caregivers:\n  - name: Luis\n    relation: gives the 50 µg patch\n", 7, 15, "caregivers[0].relation"),
]


@pytest.mark.parametrize(("text", "line", "column", "field"), DOSE_IN_EVERY_FIELD)
def test_a_dose_in_any_free_text_is_refused_at_its_line(text: str, line: int, column: int, field: str) -> None:
    (found,) = problems(MINIMAL + text)
    assert (found.file, found.line, found.column, found.field) == ("profiles/x.yaml", line, column, field)
    assert found.message.startswith("a medicine dose (")
    assert "does not belong in the handbook" in found.message and "as prescribed" in found.message


def test_the_message_says_what_was_found_and_why() -> None:
    (found,) = problems(MINIMAL + "flare_plan:\n  first_steps: [Take 300 mg of gabapentin]\n")
    assert found.message == ("a medicine dose ('300 mg') does not belong in the handbook: medicines are taken "
                             "as prescribed; write 'take your medicines as prescribed' or leave it out")


def test_every_dose_is_reported_at_once() -> None:
    found = problems(MINIMAL + "goals: [Take 5 ml]\nflare_plan:\n  first_steps: [1 tablet]\n"
                     "  call_if: [Stop taking gabapentin]\n")
    assert [(d.line, d.field) for d in found] == [
        (5, "goals[0]"), (7, "flare_plan.first_steps[0]"), (8, "flare_plan.call_if[0]")]


@pytest.mark.parametrize("change", [
    "Stop taking gabapentin if it makes you sleepy",
    "Increase your dose on bad days",
    "Halve the pregabalin at night",
    "Double the dose when the pain spreads",
    "Come off amitriptyline slowly",
    "Take an extra painkiller before a long walk",
])
def test_a_medicine_change_is_refused(change: str) -> None:
    (found,) = problems(MINIMAL + f"flare_plan:\n  first_steps:\n    - {change}\n")
    assert (found.line, found.field) == (7, "flare_plan.first_steps[0]")
    assert found.message.startswith("advice to change medicines (")
    assert "only the prescriber changes medicines" in found.message


@pytest.mark.parametrize("text", [
    "Walk for 10 minutes", "2 sets of 10", "A 500 m walk", "Bed by 7:30", "Keep to 80% of the baseline",
    "Type in 5-minute blocks", "Drop back one pacing step for two days", "Sleep drops below 5 hours",
    "Take your medicines as prescribed", "Do not stop taking your medicines without asking",
    "Ask the care team before you change any medicine", "Start taking short breaks",
    "No more than 14 units of alcohol a week", "Eat 25 grams of fibre", "Halve the walking time",
])
def test_ordinary_numbers_and_safe_advice_pass(text: str) -> None:
    profile = load(MINIMAL + f"goals:\n  - {text}\nflare_plan:\n  first_steps:\n    - {text}\n")
    assert profile.goals == (text,)


def test_food_in_grams_gets_a_hint() -> None:
    (found,) = problems(MINIMAL + "nutrition:\n  notes: 30 g of fibre a day\n")
    assert "'30 g'" in found.message and "write 'grams' in full" in found.message


def test_doses_sit_beside_other_problems_in_file_order() -> None:
    found = problems(MINIMAL + "goals: [Take 5 ml]\nsleeep: {}\n")
    assert [(d.line, d.field) for d in found] == [(5, "goals[0]"), (6, "sleeep")]


# -- heat or cold on numb skin: warnings ----------------------------------------------------------


def test_heat_in_the_texture_ladder_warns_when_numb() -> None:
    profile = load(MINIMAL + NUMB + "desensitisation:\n  textures: [silk, heat pack, towel]\n")
    (warning,) = profile.warnings
    assert (warning.line, warning.column, warning.field) == (8, 20, "desensitisation.textures[1]")
    assert warning.message.startswith("'heat' on numb skin:") and "burns" in warning.message


@pytest.mark.parametrize("step", ["Put an ice pack on the foot", "Hot water bottle on my feet",
                                  "Soak the feet in cold water", "Frozen peas on the ankle",
                                  "A warm pack on the calf", "Use the electric blanket",
                                  "Warm bath for the feet before bed", "A foot bath at night",
                                  "Soaking my feet helps"])
def test_heat_or_cold_in_the_flare_steps_warns_when_numb(step: str) -> None:
    (warning,) = warnings(MINIMAL + NUMB + f"flare_plan:\n  first_steps:\n    - Rest\n    - {step}\n")
    assert warning.startswith("profiles/x.yaml:10:7: flare_plan.first_steps[1]: ")
    assert "on numb skin" in warning


def test_no_warning_without_numbness_or_where_heat_is_advised_against() -> None:
    no_numbness = "condition:\n  symptoms: [burning, allodynia]\n"
    assert warnings(MINIMAL + no_numbness + "desensitisation:\n  textures: [silk, ice cube]\n") == []
    assert warnings(MINIMAL + NUMB + "flare_plan:\n  first_steps: [Do not use heat packs, Warm socks]\n") == []
    assert warnings(MINIMAL + NUMB + "flare_plan:\n  first_steps: [Never use a hot water bottle]\n") == []
    assert warnings(MINIMAL + NUMB + "flare_plan:\n  call_if: [The foot feels hot]\n") == []  # not a step


# -- items split at a comma: warnings ------------------------------------------------------------


def test_a_flow_list_item_split_at_a_comma_warns_with_the_whole_sentence() -> None:
    profile = load(MINIMAL + "flare_plan:\n  call_if: [The hand turns cold, blue or very swollen, New numbness]\n")
    (warning,) = profile.warnings
    assert (warning.line, warning.column, warning.field) == (6, 34, "flare_plan.call_if[1]")
    assert warning.message.startswith("'blue or very swollen' starts in lower case")
    assert '"The hand turns cold, blue or very swollen"' in warning.message
    assert profile.flare_plan is not None and len(profile.flare_plan.call_if) == 3  # still valid: a warning


@pytest.mark.parametrize("text", [
    'goals: ["The hand turns cold, blue or very swollen", New numbness]\n',  # quoted whole
    'goals: [The hand turns cold, "blue or swollen"]\n',  # quoted apart on purpose
    "goals:\n  - The hand turns cold, blue or swollen\n  - new numbness\n",  # block list: no split
    "goals: [walk to the shop, sleep better]\n",  # written all in lower case
    "desensitisation:\n  textures: [Silk, cotton wool]\n",  # textures are names, not sentences
])
def test_no_split_warning_where_nothing_was_split(text: str) -> None:
    assert warnings(MINIMAL + text) == []


def test_split_items_are_looked_for_in_every_list_of_sentences() -> None:
    text = (MINIMAL + "goals: [Walk, far]\ngraded_tasks:\n  - goal: Walk\n    steps: [Walk out, and back]\n"
            "flare_plan:\n  warning_signs: [Pain, worse]\n  first_steps: [Rest, then walk]\n")
    fields = [w.field for w in load(text).warnings]
    assert fields == ["goals[1]", "graded_tasks[0].steps[1]", "flare_plan.warning_signs[1]",
                      "flare_plan.first_steps[1]"]


# --- "Call the clinic if" items that are emergencies (the flare-up card) ------------------------

# Where the handbook's own number is unknown, every emergency number of the services table counts.
TABLE, _ = load_services(REPO / "content")
RECOGNISED = tuple(sorted({row.emergency for row in TABLE.rows}))

@pytest.mark.parametrize(("item", "emergency"), [
    ("The pain is not an emergency but lasts 3 days", False),  # negated: was filed under Emergency
    ("Chest pain: call 911", True),  # a number: was left under "Call the clinic if"
    ("Go to A&E if the hand turns blue", True),  # A&E: was left under "Call the clinic if"
    ("Go to the ER if the hand turns blue", True),
    ("Chest pain with breathlessness (call the emergency number)", True),
    ("Call an ambulance if I faint", True),
    ("Redness or heat at the scar", False),
    ("A non-emergency ache that lasts a week", False),
    ("No ambulance needed: rest first", False),
    ("Walking fewer than 10 000 steps for a week", False),  # '000' only as a whole number
    ("Pain that wakes me every night", False),
    ("Dolor fuerte en el pecho: ir a urgencias", True),
    ("Llamar a una ambulancia si me desmayo", True),
    ("No es una emergencia, pero dura tres días", False),
    ("ألم في الصدر: اتصل بالإسعاف", True),
    ("اذهب إلى قسم الطوارئ", True),
    ("ليست حالة طوارئ لكنها تستمر ثلاثة أيام", False),
    ("تعلّم الإسعافات الأولية", False),  # first aid: another word
])
def test_an_item_is_an_emergency_when_it_names_a_service_or_number_unnegated(item: str, emergency: bool) -> None:
    assert (emergency_mention(item, RECOGNISED) is not None) is emergency
    clinic, urgent = split_call_if([item], None, RECOGNISED)
    assert (urgent, clinic) == (([item], []) if emergency else ([], [item]))


def test_the_countrys_own_number_decides_and_111_is_not_always_an_emergency() -> None:
    item = "Chest pain: call 111"  # the emergency number in New Zealand, NHS non-urgent in Great Britain
    assert split_call_if([item], "111") == ([], [item])
    assert split_call_if([item], "999") == ([item], [])
    assert split_call_if([item], None, RECOGNISED) == ([], [item])  # unknown country: 111 is New Zealand's emergency number
    assert split_call_if(["Call 0100 for advice"], None, RECOGNISED) == (["Call 0100 for advice"], [])
    assert split_call_if(["Call 116 117 at night"], "116117") == ([], ["Call 116 117 at night"])


def test_an_emergency_under_call_if_is_warned_of_with_its_line() -> None:
    profile = load(MINIMAL + "flare_plan:\n  call_if:\n    - Redness at the scar\n    - 'Chest pain: call 911'\n"
                   "    - The pain is not an emergency but lasts 3 days\n")
    found = call_if_warnings(profile, None, RECOGNISED)
    assert [(w.line, w.column, w.field) for w in found] == [(8, 7, "flare_plan.call_if[1]")]
    shown = str(found[0])
    assert "profiles/x.yaml:8:7: flare_plan.call_if[1]: 'Chest pain: call 911' reads like an emergency" in shown
    assert "printed under the flare-up card's emergency heading" in shown
    assert "move it out of flare_plan.call_if" in shown
    assert call_if_warnings(load(MINIMAL)) == []


@pytest.mark.parametrize("item", ["The hand turns cold, blue or very swollen", "A foot that goes pale",
                                  "El pie se pone azulado", "أصبحت اليد زرقاء"])
def test_a_limb_changing_colour_is_an_emergency_not_a_call_to_the_clinic(item: str) -> None:
    from generator.profile.safety import split_call_if

    clinic, emergency = split_call_if([item, "The scar looks red"])
    assert emergency == [item] and clinic == ["The scar looks red"]


def test_a_colour_word_that_is_not_a_colour_change_of_the_body_still_errs_on_the_safe_side() -> None:
    from generator.profile.safety import emergency_mention

    assert emergency_mention("The skin is not blue") is None  # negated
    assert emergency_mention("Blue-sky thinking about the plan") is None  # part of a hyphenated word


# -- bidirectional controls (the adversarial review of issue 12) ----------------------------------


@pytest.mark.parametrize("name", ['"\\u202eoJ"', '"Jo\\u2066"', '"\\u202aJo"', "\u202eoJ"])
def test_a_bidi_override_embedding_or_isolate_in_profile_text_is_refused_at_its_line(name: str) -> None:
    """U+202E in a name reversed the rest of every sentence it was printed in, urgent help included."""
    found = problems(MINIMAL.replace("preferred_name: Ana", f"preferred_name: {name}") + "goals: [Walk \u2067far]\n")
    assert [(d.line, d.field) for d in found] == [(3, "preferred_name"), (5, "goals[0]")]
    assert all("bidirectional override, embedding or isolate" in d.message for d in found)


def test_bidi_marks_of_real_right_to_left_typing_are_kept() -> None:
    assert load(MINIMAL.replace("preferred_name: Ana", 'preferred_name: "\\u0644\\u064a\\u0644\\u0649\\u200f"')
                ).preferred_name == "\u0644\u064a\u0644\u0649\u200f"
