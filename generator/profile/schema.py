"""The profile format as JSON Schema (draft 2020-12), for editors' autocompletion.

`handbook schema` prints it; a clinic points its editor's YAML extension at it so
keys, vocabularies and defaults are suggested while typing. The validator in
profile/load.py stays the authority (it also checks what JSON Schema cannot say, such
as real dates and `start_at` being one of the textures); tests keep the two in step.
"""

from __future__ import annotations

from typing import Any

from generator.inputs.checker import ID_PATTERN
from generator.language import LANGUAGE_PATTERN
from generator.profile import goals, limits, model
from generator.profile.country import NUMBER_PATTERN, country_names
from generator.profile.load import FORMAT_VERSION, ID_MAX_LENGTH, NAME_MAX_LENGTH

Schema = dict[str, Any]

DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_DATES = f"from {limits.EARLIEST_DATE} to {limits.LATEST_DATE}"
TIME = {"type": "string", "pattern": r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}


def _text(description: str, **extra: Any) -> Schema:
    return {"type": "string", "minLength": 1, "description": description, **extra}


def _texts(description: str, items: Schema | None = None, **extra: Any) -> Schema:
    return {"type": "array", "items": items or {"type": "string", "minLength": 1},
            "uniqueItems": True, "description": description, **extra}


def _object(description: str, properties: dict[str, Schema], required: tuple[str, ...] = ()
            ) -> Schema:
    schema: Schema = {"type": "object", "description": description,
                      "properties": {key: _nullable(value) if key not in required else value
                                     for key, value in properties.items()},
                      "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def _nullable(schema: Schema) -> Schema:
    """An optional key may be left empty (null): the validator treats that as absent."""
    schema = dict(schema)
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    if "anyOf" in schema:
        schema["anyOf"] = [*schema["anyOf"], {"type": "null"}]
    return schema


def _enum(description: str, choices: tuple[str, ...], **extra: Any) -> Schema:
    return {"type": "string", "enum": list(choices), "description": description, **extra}


def _number(description: str, minimum: float, maximum: float | None, default: float,
            kind: str = "number") -> Schema:
    schema: Schema = {"type": kind, "minimum": minimum, "description": description,
                      "default": default}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _limit(schema: Schema, path: str) -> None:
    """Put the validator's limits (profile/limits.py) on every text and list, as maxLength and maxItems."""
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if "string" in kinds and "enum" not in schema and "const" not in schema:
        schema["maxLength"] = min(schema.get("maxLength", limits.max_length(path)), limits.max_length(path))
    if "array" in kinds:
        schema["maxItems"] = limits.max_items(path)
        _limit(schema["items"], f"{path}[]")
    for key, value in schema.get("properties", {}).items():
        _limit(value, f"{path}.{key}" if path else key)
    for branch in schema.get("anyOf", []):
        _limit(branch, path)


def profile_json_schema() -> Schema:
    """The JSON Schema of profile format version 1, with descriptions and defaults."""
    activity = _object("One activity to pace.", {
        "name": _text("What the activity is called, as the reader says it."),
        "unit": _enum("How the activity is measured.", model.UNITS),
        "recent": {"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 0},
                   "description": "What was managed on recent days before symptoms rose."},
    }, required=("name", "unit", "recent"))
    task = _object("An exposure ladder towards one goal.", {
        "goal": _text("What the person wants to be able to do."),
        "steps": _texts("The steps, easiest first.", minItems=1),
    }, required=("goal", "steps"))
    goal = _object("A goal: the person's own words, or a mapping of its text and the plan that "
                   "serves it.", {
        "text": _text("The goal in the person's own words."),
        "plan": _text("The plan that serves it: a pacing activity's name, a graded task's goal, or "
                      + ", ".join(model.PLAN_KINDS) + ".", examples=list(model.PLAN_KINDS)),
    }, required=goals.REQUIRED)
    goal["type"], goal["minLength"] = ["string", "object"], 1  # plain text, or text with its plan
    caregiver = _object("Someone who helps at home.", {
        "name": _text("How the handbook names them."),
        "relation": _text("Who they are to the reader, e.g. husband, daughter."),
    }, required=("name",))

    properties: dict[str, Schema] = {
        "handbook": {"const": FORMAT_VERSION, "description": "Format version: always 1."},
        "id": {"type": "string", "pattern": f"^{ID_PATTERN}$", "maxLength": ID_MAX_LENGTH,
               "description": "Lowercase letters, digits and hyphens; names the output folder."},
        "preferred_name": _text("How the handbook addresses the reader.",
                                maxLength=NAME_MAX_LENGTH),
        "language": {"type": "string", "pattern": f"^{LANGUAGE_PATTERN}$",
                     "description": "BCP 47 language tag: en, es, ar, pt-BR, ..."},
        "edition": _enum("Who the handbook is written to: the patient, or the person who "
                         "helps at home.", model.EDITIONS, default="patient"),
        "start_date": {**DATE, "description": "First day of week 1 of every plan and diary "
                       f"(YYYY-MM-DD, {_DATES}); default: the build date."},
        "print": _object("Printing options.", {
            "paper": _enum("Paper size.", model.PAPERS, default="A4"),
            "large_print": {"type": "boolean", "default": False,
                            "description": "Body text at least 16 pt, wider spacing."},
            "duplex": {"type": "boolean", "default": False,
                       "description": "Printed on both sides: chapters start on a "
                                      "right-hand page."},
        }),
        "clinic": _object("The care team, shown on the cover.", {
            "name": _text("The clinic's name."),
            "phone": _text("The clinic's phone number (quote it).", pattern=f"^{NUMBER_PATTERN}$"),
            "clinician": _text("The clinician's name."),
            "next_review": {**DATE, "description": f"Date of the next review (YYYY-MM-DD, {_DATES})."},
            "country": _enum("The clinic's country, as an ISO 3166-1 alpha-2 code (GB, ES, US, "
                             "AU, ...): the handbook prints that country's emergency and crisis "
                             "numbers, from the content library's service table.",
                             tuple(sorted(country_names()))),
            "emergency_number": _text("The local emergency number, when it differs from the "
                                      "country's (quote it).", pattern=f"^{NUMBER_PATTERN}$"),
            "crisis_line": _object("A local crisis line, printed instead of the country's.", {
                "name": _text("The line's name, as the reader will see it."),
                "number": _text("Its phone number (quote it).", pattern=f"^{NUMBER_PATTERN}$"),
            }, required=("name", "number")),
        }),
        "condition": _object("The condition, in words the reader knows.", {
            "cause": _text("Free text, shown back to the reader."),
            "symptoms": _texts("Symptoms, from the vocabulary.",
                               _enum("A symptom.", model.SYMPTOMS)),
            "areas": _texts("Body areas, drawn on the body map.",
                            _enum("A body area.", model.AREAS)),
            "sleep_affected": {"type": "boolean", "default": False,
                               "description": "Pain disturbs sleep."},
            "mood_affected": {"type": "boolean", "default": False,
                              "description": "Pain affects mood."},
        }),
        "goals": _texts("The person's own goals, most important first.", goal),
        "topics": _object("Change what the selection rules chose.", {
            "include": _texts("Module ids or topic names to add.", default=[]),
            "exclude": _texts("Module ids or topic names to leave out.", default=[]),
        }),
        "pacing": _object("Activity pacing plan.", {
            "baseline_percent": _number("Baseline = this % of the mean of `recent`.", 1, 100, 80),
            "step_percent": _number("Weekly rise of the previous week's target, in %.", 0, 100, 10),
            "weeks": _number("How many weeks the plan runs.", 1, 52, 8, kind="integer"),
            "activities": {"type": "array", "items": activity,
                           "description": "Activities to pace."},
        }),
        "desensitisation": _object("Touch desensitisation ladder.", {
            "area": _enum("The body area to treat.", model.AREAS),
            "textures": _texts("Textures, easiest first.", minItems=1),
            "start_at": _text("One of `textures`; default: the first."),
            "sessions_per_day": _number("Sessions per day.", 1, 12, 3, kind="integer"),
            "minutes_per_session": _number("Minutes per session.", 1, 60, 5, kind="integer"),
        }, required=("textures",)),
        "graded_tasks": {"type": "array", "items": task,
                         "description": "Exposure ladders: easiest step first."},
        "sleep": _object("Sleep.", {
            "problems": _texts("Sleep problems.", _enum("A sleep problem.", model.SLEEP_PROBLEMS)),
            "bedtime": {**TIME, "description": "Usual bedtime, HH:MM on the 24-hour clock "
                        "(quote it)."},
            "wake_time": {**TIME, "description": "Usual wake time, HH:MM (quote it)."},
            "restricted_window": {"type": "boolean", "default": False,
                                  "description": "True only when a clinician set bedtime to wake time "
                                  "as a restricted sleep window; otherwise it is shown as time in bed."},
        }),
        "nutrition": _object("Eating patterns.", {
            "patterns": _texts("Eating patterns; the known ones have matching advice.",
                               {"anyOf": [_enum("A known pattern.", model.NUTRITION_PATTERNS),
                                          {"type": "string", "minLength": 1}]}),
            "notes": _text("Free text, shown back."),
        }),
        "flare_plan": _object("What to do in a flare.", {
            "warning_signs": _texts("Signs that a flare is starting."),
            "first_steps": _texts("What to do first."),
            "call_if": _texts("When to call the care team."),
        }),
        "caregivers": {"type": "array", "items": caregiver,
                       "description": "People who help at home."},
        "grammatical_gender": _object(
            "How languages whose words change with gender (Arabic) address the reader; "
            "default: the language's usual form.", {
                "patient": _enum("The patient's grammatical gender (the patient edition's reader).",
                                 model.GRAMMATICAL_GENDERS),
                "helper": _enum("The helper's grammatical gender (the caregiver edition's reader).",
                                model.GRAMMATICAL_GENDERS),
            }),
    }
    schema = _object("A patient profile for the handbook generator.", properties,
                     required=("handbook", "id", "preferred_name", "language"))
    _limit(schema, "")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Handbook profile (format version {FORMAT_VERSION})",
        **schema,
    }
