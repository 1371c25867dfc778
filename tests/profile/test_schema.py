"""The JSON Schema for editors agrees with the validator on the example and the starter."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema  # a test dependency (pyproject [test]), not a runtime one
import pytest
import yaml
from helpers import EXAMPLE_PROFILE as EXAMPLE  # ../shared beside the checkout, as in CI

from generator.profile import model
from generator.profile.load import KEYS, REQUIRED
from generator.profile.schema import profile_json_schema
from generator.profile.starter import starter_profile


def as_json(text: str) -> object:
    """The YAML as an editor's YAML 1.2 plugin sees it: dates are plain strings."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def schema_errors(data: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(profile_json_schema(),
                                                format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_is_valid_draft_2020_12() -> None:
    schema = profile_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    json.dumps(schema)  # printable by `handbook schema`


def test_example_profile_validates() -> None:
    assert schema_errors(as_json(EXAMPLE.read_text(encoding="utf-8"))) == []


def test_starter_profile_validates() -> None:
    assert schema_errors(as_json(starter_profile("ana-lopez", dt.date(2026, 1, 5)))) == []


def _object_at(schema: dict, section: str) -> dict:
    node = schema
    for part in filter(None, section.replace("[]", ".[]").split(".")):
        node = node["items"] if part == "[]" else node["properties"][part]
    return node


def test_keys_and_required_match_the_validator() -> None:
    schema = profile_json_schema()
    for section, keys in KEYS.items():
        obj = _object_at(schema, section)
        assert list(obj["properties"]) == list(keys), section
        assert obj["additionalProperties"] is False
        assert obj.get("required", []) == list(REQUIRED.get(section, ())), section


def test_vocabularies_are_enums() -> None:
    props = profile_json_schema()["properties"]
    assert props["condition"]["properties"]["symptoms"]["items"]["enum"] == list(model.SYMPTOMS)
    assert props["condition"]["properties"]["areas"]["items"]["enum"] == list(model.AREAS)
    assert props["edition"]["enum"][:2] == ["patient", "caregiver"]
    assert props["print"]["properties"]["paper"]["default"] == "A4"
    assert props["pacing"]["properties"]["weeks"]["default"] == 8


@pytest.mark.parametrize("change, where", [
    ({"sleeep": {}}, ""),
    ({"handbook": 2}, "handbook"),
    ({"id": "Ana Lopez"}, "id"),
    ({"condition": {"symptoms": ["alodynia"]}}, "condition/symptoms/0"),
    ({"pacing": {"activities": [{"name": "W", "unit": "steps", "recent": [1]}]}},
     "pacing/activities/0/unit"),
    ({"sleep": {"bedtime": "25:00"}}, "sleep/bedtime"),
])
def test_schema_rejects_what_the_validator_rejects(change: dict, where: str) -> None:
    data = {"handbook": 1, "id": "ana", "preferred_name": "Ana", "language": "en", **change}
    errors = schema_errors(data)
    assert errors and errors[0].startswith(f"{where}:")


def test_null_optional_keys_are_allowed_as_in_the_validator() -> None:
    data = {"handbook": 1, "id": "ana", "preferred_name": "Ana", "language": "en",
            "pacing": None, "edition": None, "clinic": {"name": None}}
    assert schema_errors(data) == []


def test_the_clinics_country_and_numbers_in_the_schema() -> None:
    clinic = profile_json_schema()["properties"]["clinic"]["properties"]
    assert "GB" in clinic["country"]["enum"] and "UK" not in clinic["country"]["enum"]
    base = {"handbook": 1, "id": "ana", "preferred_name": "Ana", "language": "en"}
    good = {"country": "ES", "emergency_number": "112", "crisis_line": {"name": "Línea 024", "number": "024"}}
    assert schema_errors({**base, "clinic": good}) == []
    for bad, where in [({"country": "UK"}, "clinic/country"), ({"emergency_number": "call us"}, "clinic/emergency_number"),
                       ({"crisis_line": {"name": "X"}}, "clinic/crisis_line")]:
        errors = schema_errors({**base, "clinic": bad})
        assert errors and errors[0].startswith(f"{where}:"), errors


def test_the_limits_of_the_validator_are_in_the_schema() -> None:
    from generator.profile import limits
    from helpers import maximal_profile

    schema = profile_json_schema()

    def at(path: str) -> dict:
        node = schema
        for part in path.split("."):
            node = node["properties"][part.removesuffix("[]")]
            if part.endswith("[]"):
                node = node["items"]
        return node

    for field, most in limits.MAX_ITEMS.items():
        assert at(field)["maxItems"] == most, field
    assert at("condition.cause")["maxLength"] == limits.LONG_TEXT_MAX_LENGTH
    assert at("graded_tasks[].steps")["items"]["maxLength"] == limits.TEXT_MAX_LENGTH
    assert at("clinic.name")["maxLength"] == limits.TEXT_MAX_LENGTH
    assert schema_errors(as_json(maximal_profile())) == []
    too_many = as_json(maximal_profile())
    assert isinstance(too_many, dict)
    too_many["goals"].append("One goal too many")
    assert schema_errors(too_many) and "goals" in schema_errors(too_many)[0]
