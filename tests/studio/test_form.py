"""The generated form (studio/form.py) and posted forms read back as values (studio/formdata.py)."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from helpers import REPO
from starlette.datastructures import FormData

from generator.profile.fields import field_specs, form_messages
from generator.profile.schema import profile_json_schema
from generator.studio.form import Message, attach, build_form
from generator.studio.formdata import apply_action, form_path, raw_values, read_form, to_data


def _schema_paths(schema: dict[str, object], path: str = "") -> set[str]:
    found = {path}
    properties = schema.get("properties", {})
    assert isinstance(properties, dict)
    for key, value in properties.items():
        found |= _schema_paths(value, f"{path}.{key}" if path else key)
    items = schema.get("items")
    if isinstance(items, dict) and ("properties" in items or (items.get("type") == "string" and "enum" not in items)):
        found |= _schema_paths(items, f"{path}[]")
    return found


def test_every_schema_property_has_a_spec() -> None:
    assert _schema_paths(profile_json_schema()) <= set(field_specs())


def _full_raw() -> dict[str, object]:
    """The maximal sample's values, with one more item in every list, so every field is shown."""
    raw = raw_values(yaml.safe_load((REPO / "profiles" / "jo-hand-injury.yaml").read_text()))
    for path, spec in field_specs().items():
        if spec.kind == "repeat":
            apply_action(raw, "add:" + path.replace("[]", "[0]"))  # lists before the lists in their items
    return raw


def test_every_schema_property_becomes_a_field_of_the_form() -> None:
    nodes = {re.sub(r"\[[0-9]+\]", "[]", node.path) for node in build_form(_full_raw()).walk()}
    assert _schema_paths(profile_json_schema()) <= nodes


def test_fields_take_the_kind_of_input_their_values_need() -> None:
    kinds = {path: spec.kind for path, spec in field_specs().items()}
    assert kinds["start_date"] == kinds["clinic.next_review"] == "date"
    assert kinds["sleep.bedtime"] == "time"
    assert kinds["pacing.weeks"] == "integer" and kinds["pacing.baseline_percent"] == "number"
    assert kinds["print.duplex"] == kinds["condition.sleep_affected"] == "checkbox"
    assert kinds["edition"] == kinds["clinic.country"] == kinds["pacing.activities[].unit"] == "select"
    assert kinds["condition.symptoms"] == kinds["sleep.problems"] == "choices"
    assert kinds["goals"] == kinds["graded_tasks[].steps"] == kinds["caregivers"] == "repeat"
    assert kinds["pacing.activities[].recent"] == "numbers"
    assert kinds["condition.cause"] == "textarea"
    assert field_specs()["nutrition.patterns"].open_choices


def _posted(pairs: list[tuple[str, str]]) -> FormData:
    return FormData(pairs)


def test_posted_fields_become_values() -> None:
    raw = read_form(_posted([
        ("token", "x"), ("handbook", "1"), ("id", "ana"), ("preferred_name", " Ana "), ("language", "en"),
        ("start_date", "2026-12-07"), ("print.paper", "Letter"), ("print.duplex", "true"),
        ("condition.symptoms", "burning"), ("condition.symptoms", "itching"), ("condition.symptoms", "made-up"),
        ("goals[0].text", "Walk"), ("goals[0].plan", ""), ("goals[1].text", "Sleep"), ("goals[1].plan", "sleep"),
        ("pacing.weeks", "6"), ("pacing.baseline_percent", "72.5"),
        ("pacing.activities[0].name", "Walking"), ("pacing.activities[0].unit", "minutes"),
        ("pacing.activities[0].recent", "10, 12 8"), ("nutrition.patterns", "vegan"),
        ("nutrition.patterns+other", "gluten free, small meals"), ("sleep.bedtime", "22:30"),
        ("not.a.field", "x"), ("goals[0].evil", "x"),
    ]))
    data, _ = to_data(raw)
    assert data == {
        "handbook": 1, "id": "ana", "preferred_name": "Ana", "language": "en",
        "start_date": dt.date(2026, 12, 7), "print": {"paper": "Letter", "duplex": True},
        "condition": {"symptoms": ["burning", "itching"]},
        "goals": ["Walk", {"text": "Sleep", "plan": "sleep"}],
        "pacing": {"weeks": 6, "baseline_percent": 72.5,
                   "activities": [{"name": "Walking", "unit": "minutes", "recent": [10, 12, 8]}]},
        "nutrition": {"patterns": ["vegan", "gluten free", "small meals"]},
        "sleep": {"bedtime": "22:30"},
    }


def test_empty_optionals_and_empty_items_are_dropped_and_messages_still_find_their_field() -> None:
    raw = read_form(_posted([("id", "a"), ("clinic.name", ""), ("goals[0].text", ""), ("goals[1].text", "Walk"),
                             ("caregivers[0].name", ""), ("caregivers[0].relation", ""), ("pacing.weeks", "x")]))
    data, places = to_data(raw)
    assert data == {"id": "a", "goals": ["Walk"], "pacing": {"weeks": "x"}}  # text stays for the check to report
    assert form_path(places, "goals[0]") == "goals[1]"


def test_an_unticked_box_is_written_only_where_the_file_had_it() -> None:
    raw = read_form(_posted([("id", "a")]))
    assert "print" not in to_data(raw)[0]
    assert to_data(raw, {"print": {"duplex": True}})[0]["print"] == {"duplex": False}


def test_ticked_choices_keep_the_files_order() -> None:
    raw = read_form(_posted([("condition.symptoms", s) for s in ("burning", "numbness", "itching")]))
    data, _ = to_data(raw, {"condition": {"symptoms": ["itching", "burning"]}})
    assert data["condition"]["symptoms"] == ["itching", "burning", "numbness"]


def test_items_are_added_and_removed_without_script() -> None:
    raw = read_form(_posted([("goals[0].text", "A"), ("goals[1].text", "B"), ("graded_tasks[0].goal", "T"),
                             ("graded_tasks[0].steps[0]", "s1")]))
    assert apply_action(raw, "add:goals") == "goals[2]"
    assert apply_action(raw, "add:graded_tasks[0].steps") == "graded_tasks[0].steps[1]"
    assert apply_action(raw, "add:caregivers") == "caregivers[0]"
    assert apply_action(raw, "remove:goals[0]") == "goals"
    assert [g.get("text", "") for g in raw["goals"]] == ["B", ""]
    assert raw["graded_tasks"][0]["steps"] == ["s1", ""]
    assert apply_action(raw, "remove:goals[9]") is None and apply_action(raw, "add:id") is None
    assert apply_action(raw, "add:../x") is None


def test_messages_go_next_to_their_field_or_the_nearest_fieldset() -> None:
    form = build_form(_full_raw())
    placed = attach(form, {"pacing.activities[0].recent[2]": [Message("error", "bad number")],
                           "goals[1]": [Message("warning", "no plan serves it")],
                           "desensitisation": [Message("error", "missing textures")],
                           "": [Message("error", "whole file")]})
    nodes = {node.path: node for node in form.walk()}
    assert nodes["pacing.activities[0].recent"].errors[0].text == "bad number"
    assert nodes["goals[1].text"].messages[0].text == "no plan serves it"
    assert nodes["desensitisation"].errors[0].text == "missing textures"
    assert [node for node, _ in placed].count(None) == 1


def test_the_forms_words_from_the_format_are_extracted_with_a_comment_and_their_place() -> None:
    found = {text: (place, comment) for text, place, comment in form_messages()}
    place, comment = found["How the handbook addresses the reader."]
    schema_lines = (REPO / place[0]).read_text().splitlines()
    assert place[0] == "generator/profile/schema.py" and "How the handbook addresses" in schema_lines[place[1] - 1]
    assert "“Preferred name” (preferred_name)" in comment and "studio's profile form" in comment
    assert "percent sign" in found["Baseline = this %% of the mean of recent."][1]  # % doubled, as gettext sees it
    assert found["pins and needles"][0][0] == "generator/profile/model.py"
    pot = (REPO / "templates" / "locale" / "messages.pot").read_text()
    assert all(f'msgid "{text}"' in pot for text in ("How the handbook addresses the reader.", "pins and needles"))
