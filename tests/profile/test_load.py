"""Profiles: the example loads exactly, and every mistake is reported with its place."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLE_PROFILE as EXAMPLE  # ../shared beside the checkout, as in CI
from helpers import PROFILE_HEAD, REPO

from generator.errors import Diagnostic, InputError
from generator.inputs.checker import Checker
from generator.inputs.source import parse_yaml
from generator.profile import model
from generator.profile.load import KEYS, load_profile, parse_profile, suggest_id

MINIMAL = PROFILE_HEAD  # lines 1-4


pytestmark = pytest.mark.usefixtures("in_profiles_folder")


def load(text: str | bytes) -> model.Profile:
    path = Path("profiles/x.yaml")
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_profile(path)


def problems(text: str | bytes) -> list[Diagnostic]:
    with pytest.raises(InputError) as info:
        load(text)
    assert all(d.file == "profiles/x.yaml" for d in info.value.diagnostics)
    return list(info.value.diagnostics)


def problem(text: str | bytes) -> Diagnostic:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


# -- the example -----------------------------------------------------------------------------


def test_example_profile_loads_exactly() -> None:
    p = load_profile(EXAMPLE)
    assert (p.handbook, p.id, p.preferred_name, p.language) == (1, "ana-lopez", "Ana", "es")
    assert p.edition == "patient"
    assert p.start_date == dt.date(2026, 12, 7)
    assert p.print == model.PrintOptions(paper="A4", large_print=False, duplex=True)
    assert p.clinic == model.Clinic(name="Riverside Pain Rehabilitation", phone="+1 555 0100",
                                    clinician="Sam Rivera, PT", next_review=dt.date(2026, 12, 14))
    assert p.condition == model.Condition(
        cause="Nerve injury after a wrist fracture",
        symptoms=("burning", "allodynia", "pins-and-needles"),
        areas=("left-hand", "left-forearm"), sleep_affected=True, mood_affected=False)
    assert p.goals == ("Hold a cup of coffee with my left hand", "Walk to the market and back")
    assert p.topics == model.Topics(include=(), exclude=("nutrition",))
    assert p.pacing == model.Pacing(
        activities=(model.Activity("Walking", "minutes", (12, 15, 9, 14, 10)),
                    model.Activity("Typing", "minutes", (20, 25, 30))),
        baseline_percent=80, step_percent=10, weeks=8)
    d = p.desensitisation
    assert d is not None
    assert d.textures == ("silk", "cotton wool", "fleece", "towel", "corduroy", "velcro")
    assert (d.area, d.start_at, d.sessions_per_day, d.minutes_per_session) == (
        "left-hand", "cotton wool", 4, 5)
    assert p.graded_tasks == (model.GradedTask("Hold a cup of coffee", (
        "Hold an empty plastic cup for 10 seconds", "Hold a half-full plastic cup for 30 seconds",
        "Hold a warm mug with both hands", "Hold a warm mug with the left hand")),)
    assert p.sleep == model.Sleep(problems=("falling-asleep", "night-waking"),
                                  bedtime=dt.time(23, 30), wake_time=dt.time(7, 0))
    assert isinstance(p.sleep.bedtime, dt.time)
    assert p.nutrition == model.Nutrition(patterns=("vegetarian",), notes="Prefers small meals")
    assert p.flare_plan == model.FlarePlan(
        warning_signs=("Burning spreads up the arm", "Sleep drops below 5 hours"),
        first_steps=("Drop back one pacing step for two days", "Use the slow breathing routine"),
        call_if=("New weakness or numbness that spreads",
                 "Pain that stops sleep three nights running"))
    assert p.caregivers == (model.Caregiver(name="Luis", relation="husband"),)
    assert p.source.endswith("profile-example.yaml")


def test_minimal_profile_gets_defaults() -> None:
    p = load(MINIMAL)
    assert p.source == "profiles/x.yaml"
    assert p.edition == "patient" and p.start_date is None
    assert p.print == model.PrintOptions() and p.condition == model.Condition()
    assert p.pacing is None and p.desensitisation is None and p.sleep is None
    assert p.goals == () and p.caregivers == () and p.graded_tasks == ()


def test_null_sections_and_keys_count_as_absent() -> None:
    p = load(MINIMAL + "edition:\npacing: ~\nsleep: null\nclinic:\n  name:\n  phone: '555'\n")
    assert p.edition == "patient" and p.pacing is None and p.sleep is None
    assert p.clinic == model.Clinic(phone="555")


def test_yaml_11_surprises_stay_what_was_written() -> None:
    p = load(MINIMAL.replace("Ana", "No") + "sleep:\n  bedtime: 23:30\n  wake_time: 7:05\n"
             "clinic:\n  phone: 5550100\n  name: 1.0\ncondition:\n  sleep_affected: yes\n"
             "desensitisation:\n  textures: [silk, 2026-01-01]\n  start_at: 2026-01-01\n")
    assert p.preferred_name == "No"
    assert (p.sleep.bedtime, p.sleep.wake_time) == (dt.time(23, 30), dt.time(7, 5))
    assert (p.clinic.phone, p.clinic.name) == ("5550100", "1.0")
    assert p.condition.sleep_affected is True
    assert p.desensitisation.textures == ("silk", "2026-01-01")
    assert p.desensitisation.start_at == "2026-01-01"


def test_nutrition_unrelated_pattern_is_accepted() -> None:
    p = load(MINIMAL + "nutrition:\n  patterns: [vegan, low-salt, soft food]\n")
    assert p.nutrition.patterns == ("vegan", "low-salt", "soft food")


def test_text_is_kept_as_is() -> None:
    p = load(MINIMAL + "goals: ['<script>alert(1)</script>', '{{ 7*7 }}']\n")
    assert p.goals == ("<script>alert(1)</script>", "{{ 7*7 }}")


# -- one mistake each ------------------------------------------------------------------------


def test_unknown_key_did_you_mean() -> None:
    d = problem(MINIMAL + "sleeep:\n  bedtime: '23:00'\n")
    assert (d.line, d.column, d.field) == (5, 1, "sleeep")
    assert d.message == "unknown key 'sleeep': did you mean 'sleep'?"
    assert str(d) == "profiles/x.yaml:5:1: sleeep: unknown key 'sleeep': did you mean 'sleep'?"


def test_unknown_nested_key_lists_known_keys() -> None:
    d = problem(MINIMAL + "print:\n  colour: blue\n")
    assert (d.line, d.field) == (6, "print.colour")
    assert d.message == "unknown key 'colour': expected one of: paper, large_print, duplex"


def test_misspelt_symptom() -> None:
    d = problem(MINIMAL + "condition:\n  symptoms: [burning, alodynia]\n")
    assert (d.line, d.column, d.field) == (6, 23, "condition.symptoms[1]")
    assert d.message == "unknown symptom 'alodynia': did you mean 'allodynia'?"


def test_misspelt_area() -> None:
    d = problem(MINIMAL + "condition:\n  areas:\n    - left-hand\n    - rigth-foot\n")
    assert (d.line, d.field) == (8, "condition.areas[1]")
    assert d.message == "unknown area 'rigth-foot': did you mean 'right-foot'?"


def test_unrelated_symptom_lists_the_vocabulary() -> None:
    d = problem(MINIMAL + "condition:\n  symptoms: [tired]\n")
    assert d.message.startswith("unknown symptom 'tired': expected one of: burning, shooting")


def test_wrong_unit() -> None:
    d = problem(MINIMAL + "pacing:\n  activities:\n    - name: Walking\n"
                "      unit: steps\n      recent: [1]\n")
    assert (d.line, d.field) == (8, "pacing.activities[0].unit")
    assert d.message == "unknown unit 'steps': expected one of: minutes, repetitions, metres"


def test_near_miss_unit() -> None:
    d = problem(MINIMAL + "pacing:\n  activities:\n    - {name: Walk, unit: meters, recent: [1]}\n")
    assert d.field == "pacing.activities[0].unit"
    assert d.message == "unknown unit 'meters': did you mean 'metres'?"


def test_start_at_not_in_textures() -> None:
    d = problem(MINIMAL + "desensitisation:\n  textures: [silk, cotton wool]\n"
                "  start_at: coton wool\n")
    assert (d.line, d.field) == (7, "desensitisation.start_at")
    assert d.message == "'coton wool' is not one of the textures: did you mean 'cotton wool'?"


def test_start_at_unrelated_lists_textures() -> None:
    d = problem(MINIMAL + "desensitisation:\n  textures: [silk, fleece]\n  start_at: sandpaper\n")
    assert d.message == "'sandpaper' is not one of the textures: expected one of: silk, fleece"


def test_impossible_date() -> None:
    d = problem(MINIMAL + "start_date: 2026-02-30\n")
    assert (d.line, d.column, d.field) == (5, 13, "start_date")
    assert d.message == "2026-02-30 is not a real date: day is out of range for month"


def test_impossible_month_in_nested_date() -> None:
    d = problem(MINIMAL + "clinic:\n  next_review: 2026-13-01\n")
    assert (d.line, d.field) == (6, "clinic.next_review")
    assert d.message.startswith("2026-13-01 is not a real date: month must be in 1..12")


def test_date_in_wrong_format() -> None:
    d = problem(MINIMAL + "start_date: 7/12/2026\n")
    assert d.message == ("expected a date written YYYY-MM-DD, such as 2026-12-07, "
                         "got text '7/12/2026'")


def test_wrong_handbook_version() -> None:
    d = problem(MINIMAL.replace("handbook: 1", "handbook: 2"))
    assert (d.line, d.field) == (1, "handbook")
    assert d.message == ("unsupported format version 2 (it may have been written for a newer "
                         "generator): this generator reads version 1; write 'handbook: 1'")


def test_quoted_handbook_version() -> None:
    d = problem(MINIMAL.replace("handbook: 1", "handbook: '1'"))
    assert d.message == "expected the number 1, got text '1' (remove the quotes)"


def test_bad_id_suggests_a_fixed_one() -> None:
    d = problem(MINIMAL.replace("id: ana", "id: Ana López"))
    assert (d.line, d.column, d.field) == (2, 5, "id")
    assert d.message == ("invalid id 'Ana López': use lowercase letters a-z, digits and single "
                         "hyphens between them: did you mean 'ana-lopez'?")


@pytest.mark.parametrize("raw, fixed", [("Ana Lopez", "ana-lopez"), ("ana_lopez", "ana-lopez"),
                                        ("--x--y--", "x-y"), ("Zoë 2", "zoe-2")])
def test_suggest_id(raw: str, fixed: str) -> None:
    assert suggest_id(raw) == fixed


def test_missing_required_keys() -> None:
    found = problems("handbook: 1\nid: ana\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (1, "preferred_name", "required key 'preferred_name' is missing"),
        (1, "language", "required key 'language' is missing"),
    ]


def test_required_key_set_to_null() -> None:
    d = problem(MINIMAL.replace("preferred_name: Ana", "preferred_name:"))
    assert (d.line, d.field, d.message) == (3, "preferred_name", "expected text, got nothing")


def test_preferred_name_too_long() -> None:
    d = problem(MINIMAL.replace("Ana\n", "A" * 61 + "\n"))
    assert d.field == "preferred_name" and d.message == "too long: 61 characters, at most 60"


@pytest.mark.parametrize("tag, message", [
    ("Spanish", "'Spanish' is not a language tag: did you mean 'es'?"),
    ("EN", "'EN' is not a language tag: did you mean 'en'?"),
    ("pt_BR", "'pt_BR' is not a language tag: did you mean 'pt-BR'?"),
    ("qq", "unknown language 'qq': expected a BCP 47 tag such as en, es or ar"),
])
def test_bad_language(tag: str, message: str) -> None:
    d = problem(MINIMAL.replace("language: en", f"language: {tag}"))
    assert (d.line, d.field, d.message) == (4, "language", message)


@pytest.mark.parametrize("tag", ["en", "es", "ar", "pt-BR", "zh-Hant-TW", "es-419"])
def test_good_language(tag: str) -> None:
    assert load(MINIMAL.replace("language: en", f"language: {tag}")).language == tag


def test_paper_case_near_miss() -> None:
    d = problem(MINIMAL + "print:\n  paper: letter\n")
    assert (d.field, d.message) == ("print.paper", "unknown paper size 'letter': did you mean 'Letter'?")


def test_quoted_boolean() -> None:
    d = problem(MINIMAL + "print:\n  duplex: 'true'\n")
    assert (d.field, d.message) == ("print.duplex",
                                    "expected true or false, got text 'true' (remove the quotes)")


def test_edition_did_you_mean() -> None:
    d = problem(MINIMAL + "edition: carer\n")
    assert d.message == "unknown edition 'carer': did you mean 'caregiver'?"


def test_pacing_ranges() -> None:
    found = problems(MINIMAL + "pacing:\n  baseline_percent: 0\n  step_percent: 150\n"
                     "  weeks: 2.5\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (6, "pacing.baseline_percent", "0 is out of range: expected a number from 1 to 100"),
        (7, "pacing.step_percent", "150 is out of range: expected a number from 0 to 100"),
        (8, "pacing.weeks", "expected a whole number, got the number 2.5"),
    ]


def test_recent_values() -> None:
    found = problems(MINIMAL + "pacing:\n  activities:\n    - {name: A, unit: minutes, recent: []}\n"
                     "    - {name: B, unit: minutes, recent: [3, -1, lots]}\n"
                     "    - {name: C, unit: minutes}\n")
    assert [(d.field, d.message) for d in found] == [
        ("pacing.activities[0].recent",
         "expected at least one number: what was managed on recent days"),
        ("pacing.activities[1].recent[1]", "-1 is out of range: expected a number at least 0"),
        ("pacing.activities[1].recent[2]", "expected a number, got text 'lots'"),
        ("pacing.activities[2].recent", "required key 'recent' is missing"),
    ]


def test_desensitisation_needs_textures() -> None:
    found = problems(MINIMAL + "desensitisation:\n  area: left-hand\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (6, "desensitisation.textures", "required key 'textures' is missing")]
    d = problem(MINIMAL + "desensitisation:\n  textures: []\n")
    assert (d.field, d.message) == ("desensitisation.textures",
                                    "expected at least one texture, got an empty list")


def test_duplicate_texture() -> None:
    d = problem(MINIMAL + "desensitisation:\n  textures:\n    - silk\n    - fleece\n    - silk\n")
    assert (d.line, d.field, d.message) == (
        9, "desensitisation.textures[2]", "'silk' is listed twice (first at line 7)")


def test_desensitisation_numbers() -> None:
    found = problems(MINIMAL + "desensitisation:\n  textures: [silk]\n  sessions_per_day: 13\n"
                     "  minutes_per_session: 0\n")
    assert [d.message for d in found] == [
        "13 is out of range: expected a whole number from 1 to 12",
        "0 is out of range: expected a whole number from 1 to 60",
    ]


def test_graded_task_needs_steps() -> None:
    found = problems(MINIMAL + "graded_tasks:\n  - goal: Hold a cup\n    steps: []\n  - goal: Walk\n")
    assert [(d.field, d.message) for d in found] == [
        ("graded_tasks[0].steps", "expected at least one step, got an empty list"),
        ("graded_tasks[1].steps", "required key 'steps' is missing"),
    ]


def test_sleep_problems_and_times() -> None:
    found = problems(MINIMAL + "sleep:\n  problems: [nightmares, early-wakeing]\n"
                     "  bedtime: '24:00'\n  wake_time: 7am\n")
    assert [(d.field, d.message) for d in found] == [
        ("sleep.problems[0]", "unknown sleep problem 'nightmares': expected one of: "
                              "falling-asleep, night-waking, early-waking, daytime-sleepiness"),
        ("sleep.problems[1]", "unknown sleep problem 'early-wakeing': did you mean 'early-waking'?"),
        ("sleep.bedtime", "24:00 is not a real time: hour must be 0 to 23"),
        ("sleep.wake_time", "expected a time written HH:MM (24-hour clock), such as 23:30, "
                            "got text '7am'"),
    ]


def test_nutrition_near_miss_is_an_error() -> None:
    d = problem(MINIMAL + "nutrition:\n  patterns: [vegeterian]\n")
    assert (d.line, d.field, d.message) == (
        6, "nutrition.patterns[0]", "unknown eating pattern 'vegeterian': did you mean 'vegetarian'?")


def test_topics_in_both_lists() -> None:
    d = problem(MINIMAL + "topics:\n  include: [sleep]\n  exclude: [sleep]\n")
    assert (d.field, d.message) == ("topics.exclude[0]",
                                    "'sleep' is both included and excluded: keep it in one list")


def test_scalar_where_a_list_is_expected() -> None:
    d = problem(MINIMAL + "goals: Walk to the market\n")
    assert (d.field, d.message) == ("goals", "expected a list, got text 'Walk to the market' "
                                             "(write [Walk to the market], or one '- ' item per line)")


def test_list_item_of_wrong_kind() -> None:
    d = problem(MINIMAL + "flare_plan:\n  call_if:\n    - {when: night}\n")
    assert (d.line, d.field, d.message) == (
        7, "flare_plan.call_if[0]", "expected text, got a mapping (keys and values)")


def test_caregiver_needs_a_name() -> None:
    found = problems(MINIMAL + "caregivers:\n  - relation: wife\n  - Luis\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (6, "caregivers[0].name", "required key 'name' is missing"),
        (7, "caregivers[1]", "expected a caregiver (name and relation), got text 'Luis'"),
    ]


def test_section_of_wrong_kind() -> None:
    d = problem(MINIMAL + "sleep: [falling-asleep]\n")
    assert (d.field, d.message) == ("sleep", "expected a mapping of keys, got a list")


# -- whole-file problems -------------------------------------------------------------------


def test_invalid_yaml_syntax_names_the_line() -> None:
    d = problem(MINIMAL + "condition:\n  cause: Pain: since May\n")
    assert (d.line, d.column) == (6, 14)
    assert d.message.startswith("YAML syntax error: mapping values are not allowed here")


@pytest.mark.parametrize("text", ["", "\n  \n", "# just a comment\n"])
def test_empty_file(text: str) -> None:
    with pytest.raises(InputError) as info:
        load(text)
    assert info.value.message == "profiles/x.yaml is not a valid profile (1 problem)"
    (d,) = info.value.diagnostics
    assert d.message == ("the file is empty: expected a profile (a mapping of keys such as "
                         "handbook, id, preferred_name, language)")


def test_list_at_top_level() -> None:
    d = problem("- handbook: 1\n- id: ana\n")
    assert (d.line, d.field, d.message) == (1, "", "expected a profile (a mapping of keys), got a list")


def test_scalar_at_top_level() -> None:
    d = problem("ana-lopez\n")
    assert d.message == "expected a profile (a mapping of keys), got text 'ana-lopez'"


def test_binary_junk() -> None:
    with pytest.raises(InputError) as info:
        load(b"\x00\x01\x02handbook\x00\xff")
    (d,) = info.value.diagnostics
    assert d.file == "profiles/x.yaml" and "binary file" in d.message


def test_latin1_file() -> None:
    with pytest.raises(InputError) as info:
        load((MINIMAL + "goals: [Caminar al mercado sin dolor, Dormir más]\n").encode("latin-1"))
    (d,) = info.value.diagnostics
    assert (d.file, d.line) == ("profiles/x.yaml", 5)
    assert d.message == "not UTF-8 text (byte 0xe1 at line 5); save the file as UTF-8"


def test_missing_file() -> None:
    with pytest.raises(InputError) as info:
        load_profile(Path("profiles/nobody.yaml"))
    assert info.value.diagnostics[0].message == "file not found"


def test_duplicate_keys_top_level_and_nested() -> None:
    found = problems(MINIMAL + "goals: [a]\nsleep:\n  bedtime: '23:00'\n  bedtime: '22:00'\n"
                     "goals: [b]\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (8, "sleep.bedtime", "duplicate key 'bedtime' (first at line 7)"),
        (9, "goals", "duplicate key 'goals' (first at line 5)"),
    ]


def test_several_errors_reported_at_once_in_file_order() -> None:
    text = (
        "handbook: 1\n"
        "id: Ana Lopez\n"
        "preferred_name: Ana\n"
        "language: es\n"
        "sleeep: {}\n"
        "condition:\n"
        "  symptoms: [alodynia]\n"
        "  areas: [left-hnd]\n"
        "start_date: 2026-02-30\n"
    )
    with pytest.raises(InputError) as info:
        load(text)
    error = info.value
    assert error.message == "profiles/x.yaml is not a valid profile (5 problems)"
    assert [(d.line, d.field) for d in error.diagnostics] == [
        (2, "id"), (5, "sleeep"), (7, "condition.symptoms[0]"), (8, "condition.areas[0]"),
        (9, "start_date")]
    rendered = str(error).splitlines()
    assert rendered[0] == error.message
    assert rendered[3] == ("  profiles/x.yaml:7:14: condition.symptoms[0]: unknown symptom "
                           "'alodynia': did you mean 'allodynia'?")


def test_parse_profile_uses_the_given_source() -> None:
    with pytest.raises(InputError) as info:
        parse_profile("handbook: 1\n", "clinic/profiles/bo.yaml")
    assert info.value.message.startswith("clinic/profiles/bo.yaml is not a valid profile")
    assert all(d.file == "clinic/profiles/bo.yaml" for d in info.value.diagnostics)


# -- the Checker on its own (the lead reuses it for front matter) ------------------------


def test_checker_line_offset_and_raw_scalars() -> None:
    node = parse_yaml("a: 23:30\nb: No\nc: 1.0\nd: wrong\n", "content/x.md", line_offset=1)
    c = Checker("content/x.md", line_offset=1)
    f = c.mapping(node, "", known=("a", "b", "c", "d"))
    assert f is not None
    assert c.time(f["a"], "a") == dt.time(23, 30)
    assert c.text(f["b"], "b") == "No" and c.text(f["c"], "c") == "1.0"
    assert c.boolean(f["b"], "b") is False
    assert c.integer(f["d"], "d") is None
    assert c.diagnostics == [Diagnostic("content/x.md", 5, 4, "d",
                                        "expected a whole number, got text 'wrong'")]
    with pytest.raises(InputError) as info:
        c.raise_if_errors("content/x.md has bad front matter")
    assert info.value.message == "content/x.md has bad front matter"
    Checker("x").raise_if_errors("never raised")


def test_keys_table_matches_the_model() -> None:
    """Every dataclass field (but source, warnings and places: the loader adds them) is a key, and the reverse."""
    import dataclasses

    fields = {f.name for f in dataclasses.fields(model.Profile)} - {"source", "warnings", "places"}
    assert set(KEYS[""]) == fields
    for section, cls in [("print", model.PrintOptions), ("clinic", model.Clinic),
                         ("condition", model.Condition), ("topics", model.Topics),
                         ("pacing", model.Pacing), ("pacing.activities[]", model.Activity),
                         ("desensitisation", model.Desensitisation),
                         ("graded_tasks[]", model.GradedTask), ("sleep", model.Sleep),
                         ("nutrition", model.Nutrition), ("flare_plan", model.FlarePlan),
                         ("caregivers[]", model.Caregiver)]:
        assert set(KEYS[section]) == {f.name for f in dataclasses.fields(cls)}, section


def test_importing_profile_does_not_import_weasyprint() -> None:
    code = "import sys, generator.profile.load, generator.profile.schema, generator.profile.starter; " \
           "print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_absurd_numbers_are_refused_not_crashed_on() -> None:
    found = problems(MINIMAL + "pacing:\n  activities:\n    - {name: A, unit: minutes, "
                     "recent: [1e400, " + "9" * 40 + ", 1_000]}\n")
    assert [d.message for d in found] == [
        "1e400 is too large to be a number here",
        "99999999999999999... is too large to be a number here",
        "expected a number, got text '1_000'",
    ]


# -- goals and the plan that serves each -----------------------------------------------------

PLANS = ("pacing:\n  activities:\n    - {name: Walking, unit: minutes, recent: [10]}\n"  # lines 5-7
         "graded_tasks:\n  - goal: Hold a cup\n    steps: [Hold an empty cup]\n"  # lines 8-10
         "sleep:\n  bedtime: '22:30'\n")  # lines 11-12


def test_a_goal_is_text_or_text_with_the_plan_that_serves_it() -> None:
    p = load(MINIMAL + PLANS + "goals:\n  - Walk to the shop\n  - text: Hold my coffee\n    plan: Hold a cup\n"
             "  - {text: Sleep well, plan: sleep}\n  - {text: Keep calm, plan: flare-up}\n")
    assert p.goals == ("Walk to the shop", "Hold my coffee", "Sleep well", "Keep calm")  # goals read as text
    assert [model.goal_plan(g) for g in p.goals] == [None, "Hold a cup", "sleep", "flare-up"]
    assert p.warnings == ()


def test_an_unknown_plan_is_an_error_with_did_you_mean() -> None:
    d = problem(MINIMAL + PLANS + "goals:\n  - text: Walk far\n    plan: Walkng\n")
    assert (d.line, d.column, d.field) == (15, 11, "goals[0].plan")
    assert d.message.startswith("unknown plan 'Walkng': did you mean 'Walking'?")
    assert "a pacing activity, a graded task's goal, or desensitisation, sleep, flare-up" in d.message


def test_a_plan_of_a_kind_needs_its_section() -> None:
    d = problem(MINIMAL + "goals:\n  - {text: Wear a shirt, plan: desensitisation}\n")
    assert (d.line, d.field) == (6, "goals[0].plan")
    assert d.message == ("'desensitisation' names the desensitisation plan, but this profile has no "
                         "desensitisation section: add one, or name another plan")


def test_a_goal_mapping_is_checked_like_any_other() -> None:
    found = problems(MINIMAL + "goals:\n  - plan: flare-up\n  - {text: Walk, plam: flare-up}\n  - Walk\n")
    assert [(d.line, d.field, d.message) for d in found] == [
        (6, "goals[0].text", "required key 'text' is missing"),
        (7, "goals[1].plam", "unknown key 'plam': did you mean 'plan'?"),
        (8, "goals[2]", "'Walk' is listed twice (first at line 7)"),
    ]


def test_the_loader_keeps_where_each_value_is_written() -> None:
    p = load(MINIMAL + "goals:\n  - Walk\n  - {text: Sleep, plan: flare-up}\n")
    assert p.places["goals[0]"] == (6, 5)
    assert p.places["goals[1]"] == (7, 5) and p.places["goals[1].plan"] == (7, 25)
    assert p.places["language"] == (4, 11)


# -- the clinic's country and local numbers ---------------------------------------------------

KNOWN = {"GB": "44", "ES": "34", "US": "1", "CA": "1", "AU": "61"}  # as the service table gives them


def load_with_table(text: str) -> model.Profile:
    Path("profiles/x.yaml").write_text(text, encoding="utf-8")
    return load_profile(Path("profiles/x.yaml"), known_countries=KNOWN)


def test_the_clinics_country_and_own_numbers_load() -> None:
    p = load(MINIMAL + 'clinic:\n  country: GB\n  emergency_number: "112"\n'
             '  crisis_line: {name: Riverside crisis team, number: "0800 123 456"}\n')
    assert p.clinic.country == "GB" and p.clinic.emergency_number == "112"
    assert p.clinic.crisis_line == model.ServiceLine("Riverside crisis team", "0800 123 456")


@pytest.mark.parametrize(("written", "meant"), [("UK", "GB"), ("Spain", "ES"), ("gb", "GB"), ("Australia", "AU")])
def test_a_country_that_is_not_a_code_is_an_error_with_did_you_mean(written: str, meant: str) -> None:
    d = problem(MINIMAL + f"clinic:\n  country: {written}\n")
    assert (d.line, d.column, d.field) == (6, 12, "clinic.country")
    assert f"unknown country '{written}': did you mean '{meant}'" in d.message


def test_a_number_must_look_like_one() -> None:
    found = problems(MINIMAL + "clinic:\n  emergency_number: call the police\n  crisis_line: {name: X}\n")
    assert [(d.line, d.field) for d in found] == [(6, "clinic.emergency_number"), (7, "clinic.crisis_line.number")]
    assert "write the number with digits" in found[0].message


def test_a_country_the_table_lacks_is_a_warning_at_its_line() -> None:
    p = load_with_table(MINIMAL + "clinic:\n  country: LB\n")
    assert [str(w) for w in p.warnings] == [
        "profiles/x.yaml:6:12: clinic.country: the service table has no row for LB (Lebanon): the handbook "
        "prints \"your local emergency number\" and no crisis line; add clinic.emergency_number and "
        "clinic.crisis_line, or a row for LB to the project's content/services.yaml"]


def test_no_country_is_a_warning_too() -> None:
    assert [(w.line, w.field) for w in load_with_table(MINIMAL).warnings] == [(1, "clinic.country")]
    assert [(w.line, w.field) for w in load_with_table(MINIMAL + "clinic:\n  name: X\n").warnings] == [
        (6, "clinic.country")]


def test_the_clinics_own_number_silences_the_warning() -> None:
    assert load_with_table(MINIMAL + 'clinic:\n  country: LB\n  emergency_number: "140"\n').warnings == ()
    assert load_with_table(MINIMAL + "clinic:\n  country: GB\n").warnings == ()


def test_a_phone_prefix_of_another_country_is_a_warning() -> None:
    p = load_with_table(MINIMAL + 'clinic:\n  phone: "+1 555 0100"\n  country: GB\n')
    assert [(w.line, w.column, w.field) for w in p.warnings] == [(6, 10, "clinic.phone")]
    assert "starts with +1" in p.warnings[0].message and "clinic.country is GB (+44)" in p.warnings[0].message
    assert load_with_table(MINIMAL + 'clinic:\n  phone: "+44 20 7946 0321"\n  country: GB\n').warnings == ()


def test_without_the_table_nothing_is_checked_against_it() -> None:
    assert load(MINIMAL + 'clinic:\n  phone: "+1 555 0100"\n  country: LB\n').warnings == ()


def test_the_crisis_line_keys_match_the_model() -> None:
    import dataclasses

    assert set(KEYS["clinic.crisis_line"]) == {f.name for f in dataclasses.fields(model.ServiceLine)}


def test_a_restricted_sleep_window_is_only_what_the_clinician_sets() -> None:
    plain = load(MINIMAL + "sleep:\n  bedtime: '23:00'\n  wake_time: '07:00'\n")
    assert plain.sleep is not None and plain.sleep.restricted_window is False
    set_ = load(MINIMAL + "sleep:\n  bedtime: '00:30'\n  wake_time: '06:30'\n  restricted_window: true\n")
    assert set_.sleep is not None and set_.sleep.restricted_window is True


# -- grammatical gender ------------------------------------------------------------------------


def test_grammatical_gender_names_who_each_edition_speaks_to() -> None:
    profile = load(MINIMAL + "grammatical_gender:\n  patient: feminine\n  helper: masculine\n")
    assert (profile.grammatical_gender.patient, profile.grammatical_gender.helper) == ("feminine", "masculine")
    assert profile.reader_gender == "feminine"
    caregiver = load(MINIMAL + "edition: caregiver\ngrammatical_gender:\n  patient: feminine\n  helper: masculine\n")
    assert caregiver.reader_gender == "masculine"
    assert load(MINIMAL).reader_gender is None  # the language's usual form


def test_misspelt_grammatical_gender() -> None:
    d = problem(MINIMAL + "grammatical_gender:\n  patient: femenine\n")
    assert (d.line, d.field) == (6, "grammatical_gender.patient")
    assert d.message == "unknown grammatical gender 'femenine': did you mean 'feminine'?"
    d = problem(MINIMAL + "grammatical_gender:\n  reader: feminine\n")
    assert d.message == "unknown key 'reader': expected one of: patient, helper"


@pytest.mark.parametrize(("phone", "expected"), [
    ("javascript:alert(1)", "is not valid: write the number with digits"),
    ("+1 555 0142 <script>x</script>", "is not valid"),
    ("1" * 300, "at most 20 digits"),
])
def test_the_clinic_phone_must_be_a_phone_number(phone: str, expected: str) -> None:
    """It is printed as a tel: link on every page; from the adversarial review of issue 12."""
    found = problem(MINIMAL + f'clinic:\n  phone: "{phone}"\n')
    assert (found.line, found.field) == (6, "clinic.phone") and expected in found.message, found
