"""The profile format as fields: each field path's kind, help, label and vocabulary.

Read from `schema.profile_json_schema()`, never written by hand, so it follows the format as
the format grows. The studio's form is laid out from it (studio/form.py), and `handbook i18n
extract` takes the fields' help texts and vocabulary words from it (`form_messages`), so the
profile stage is where both find it. `handbook schema` itself stays English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from babel import Locale

from generator.language import N_
from generator.profile import model as model_module
from generator.profile import schema as schema_module
from generator.profile.country import country_names
from generator.profile.limits import LONG_TEXTS
from generator.profile.schema import TIME, profile_json_schema

Kind = Literal["const", "text", "textarea", "number", "integer", "date", "time", "select", "checkbox",
               "choices", "numbers", "group", "repeat", "goal"]
_INDEX = re.compile(r"\[[0-9]+\]")


# Labels by field path ([] for any item); the schema's descriptions become the help texts.
LABELS: dict[str, str] = {
    "handbook": N_("Format version"), "id": N_("Profile id"), "preferred_name": N_("Preferred name"),
    "language": N_("Language"), "edition": N_("Edition"), "start_date": N_("Start date"),
    "print": N_("Printing"), "print.paper": N_("Paper size"), "print.large_print": N_("Large print"),
    "print.duplex": N_("Printed on both sides"),
    "clinic": N_("Clinic"), "clinic.name": N_("Clinic name"), "clinic.phone": N_("Clinic phone"),
    "clinic.clinician": N_("Clinician"), "clinic.next_review": N_("Next review"), "clinic.country": N_("Country"),
    "clinic.emergency_number": N_("Local emergency number"), "clinic.crisis_line": N_("Local crisis line"),
    "clinic.crisis_line.name": N_("Crisis line name"), "clinic.crisis_line.number": N_("Crisis line number"),
    "condition": N_("Condition"), "condition.cause": N_("Cause"), "condition.symptoms": N_("Symptoms"),
    "condition.areas": N_("Body areas"), "condition.sleep_affected": N_("Sleep affected"),
    "condition.mood_affected": N_("Mood affected"),
    "goals": N_("Goals"), "goals[]": N_("Goal %(number)s"), "goals[].text": N_("Goal"),
    "goals[].plan": N_("Plan that serves it"),
    "topics": N_("Topics"), "topics.include": N_("Topics to add"), "topics.include[]": N_("Topic to add"),
    "topics.exclude": N_("Topics to leave out"), "topics.exclude[]": N_("Topic to leave out"),
    "pacing": N_("Pacing"), "pacing.baseline_percent": N_("Baseline, percent of recent days"),
    "pacing.step_percent": N_("Weekly rise, percent"), "pacing.weeks": N_("Weeks"),
    "pacing.activities": N_("Activities"), "pacing.activities[]": N_("Activity %(number)s"),
    "pacing.activities[].name": N_("Activity"), "pacing.activities[].unit": N_("Unit"),
    "pacing.activities[].recent": N_("Recent days"),
    "desensitisation": N_("Desensitisation"), "desensitisation.area": N_("Area to treat"),
    "desensitisation.textures": N_("Textures"), "desensitisation.textures[]": N_("Texture"),
    "desensitisation.start_at": N_("Start at texture"), "desensitisation.sessions_per_day": N_("Sessions per day"),
    "desensitisation.minutes_per_session": N_("Minutes per session"),
    "graded_tasks": N_("Graded tasks"), "graded_tasks[]": N_("Task %(number)s"),
    "graded_tasks[].goal": N_("Task goal"), "graded_tasks[].steps": N_("Steps"),
    "graded_tasks[].steps[]": N_("Step"),
    "sleep": N_("Sleep"), "sleep.problems": N_("Sleep problems"), "sleep.bedtime": N_("Bedtime"),
    "sleep.wake_time": N_("Wake time"), "sleep.restricted_window": N_("Restricted sleep window"),
    "nutrition": N_("Nutrition"), "nutrition.patterns": N_("Eating patterns"), "nutrition.notes": N_("Notes"),
    "flare_plan": N_("Flare plan"), "flare_plan.warning_signs": N_("Warning signs"),
    "flare_plan.warning_signs[]": N_("Warning sign"), "flare_plan.first_steps": N_("First steps"),
    "flare_plan.first_steps[]": N_("First step"), "flare_plan.call_if": N_("Call the care team if"),
    "flare_plan.call_if[]": N_("Reason to call"),
    "caregivers": N_("Caregivers"), "caregivers[]": N_("Caregiver %(number)s"),
    "caregivers[].name": N_("Name"), "caregivers[].relation": N_("Relation"),
    "grammatical_gender": N_("Grammatical gender"), "grammatical_gender.patient": N_("Patient"),
    "grammatical_gender.helper": N_("Helper"),
}


@dataclass(frozen=True)
class Spec:
    """What the schema says about one field path: how it is entered, its help, its limits."""

    kind: Kind
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    open_choices: bool = False  # nutrition.patterns: the vocabulary, or the clinician's own words
    default: Any = None
    attributes: tuple[tuple[str, str], ...] = ()
    keys: tuple[str, ...] = ()  # a group's fields, in the format's order
    max_items: int = 0


@cache
def field_specs() -> dict[str, Spec]:
    """Every field path of the format with its `Spec`, read from profile_json_schema()."""
    specs: dict[str, Spec] = {}
    _read(profile_json_schema(), "", True, specs)
    return specs


def _kinds(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _read(schema: Mapping[str, Any], path: str, required: bool, specs: dict[str, Spec]) -> None:
    kinds, help_text = _kinds(schema), schema.get("description", "")
    limits: list[tuple[str, str]] = []
    for name, attribute in (("maxLength", "maxlength"), ("minimum", "min"), ("maximum", "max"),
                            ("pattern", "pattern")):
        if name in schema and not (name == "pattern" and schema.get("format") == "date"):
            value = schema[name]
            limits.append((attribute, value.removeprefix("^").removesuffix("$") if name == "pattern" else str(value)))
    common = {"help": help_text, "required": required, "default": schema.get("default"),
              "attributes": tuple(limits)}
    if path == "goals[]":
        specs[path] = Spec("goal", **common)
        for key in ("text", "plan"):
            _read(schema["properties"][key], f"{path}.{key}", key in schema.get("required", ()), specs)
    elif "const" in schema:
        specs[path] = Spec("const", help=help_text, required=True, default=schema["const"])
    elif "object" in kinds:
        keys = tuple(schema["properties"])
        specs[path] = Spec("group", help=help_text, required=required, keys=keys)
        for key in keys:
            _read(schema["properties"][key], f"{path}.{key}" if path else key,
                  key in schema.get("required", ()), specs)
    elif "array" in kinds:
        items = schema["items"]
        if "enum" in items or "anyOf" in items:
            branch = items if "enum" in items else items["anyOf"][0]
            specs[path] = Spec("choices", help=help_text, required=required, choices=tuple(branch["enum"]),
                               open_choices="anyOf" in items)
        elif _kinds(items) & {"number", "integer"}:
            specs[path] = Spec("numbers", help=help_text, required=required)
        else:
            specs[path] = Spec("repeat", help=help_text, required=required,
                               max_items=schema.get("maxItems", 100))
            _read(items, f"{path}[]", True, specs)
    elif "enum" in schema:
        specs[path] = Spec("select", choices=tuple(c for c in schema["enum"] if c is not None), **common)
    elif "boolean" in kinds:
        specs[path] = Spec("checkbox", **common)
    elif kinds & {"number", "integer"}:
        kind: Kind = "integer" if "integer" in kinds else "number"
        specs[path] = Spec(kind, **common)
    elif schema.get("format") == "date":
        specs[path] = Spec("date", **common)
    elif schema.get("pattern") == TIME["pattern"]:
        specs[path] = Spec("time", help=help_text, required=required, default=schema.get("default"))
    else:
        specs[path] = Spec("textarea" if path in LONG_TEXTS else "text", **common)


def field_pattern(path: str) -> str:
    """The field path of a concrete place: `goals[2].text` -> `goals[].text`."""
    return _INDEX.sub("[]", path)


def spec_of(path: str) -> Spec | None:
    """The Spec of a concrete field path (`goals[2].text`), or None when the format has no such field."""
    return field_specs().get(_INDEX.sub("[]", path))


def choice_labels(path: str, language: str = "en") -> dict[str, str]:
    """How a vocabulary's values are shown: countries by name in `language` (Babel's), words as
    message ids for the template's gettext (extracted by `form_messages`)."""
    pattern = _INDEX.sub("[]", path)
    if pattern == "clinic.country":
        english = country_names()
        local = Locale.parse(language.replace("-", "_")).territories
        names = {code: local.get(code, name) for code, name in english.items()}
        return {code: f"{names[code]} ({code})" for code in sorted(names, key=names.__getitem__)}
    spec = field_specs()[pattern]
    return {choice: choice.replace("-", " ") for choice in spec.choices}


YAML_QUOTING_ADVICE = " (quote it)"


def help_message(path: str) -> str:
    """The help text of a field path, as the message id the templates' newstyle gettext looks up:
    the schema's description without backticks and with % doubled; "" when it repeats the label.

    The schema's "(quote it)" is advice for YAML (an unquoted 0800 or 07:30 is read as a number);
    the form writes every text quoted where YAML needs it, so its reader is not told to.
    """
    text = field_specs()[path].help.replace("`", "").replace(YAML_QUOTING_ADVICE, "")
    label = LABELS.get(path, path.rsplit(".", 1)[-1].replace("_", " ").capitalize())
    if text.rstrip(".").lower() == label.lower():
        return ""  # "Paper size." under "Paper size" says nothing more
    return text.replace("%", "%%")


def form_messages() -> list[tuple[str, tuple[str, int], str]]:
    """The form's words that come from the profile format, for `handbook i18n extract`: each
    field's help (the schema's description) and each vocabulary's words, with where they are
    written and a comment for translators. `handbook schema` itself stays English."""
    sources = {module: (module.__name__.replace(".", "/") + ".py",
                        Path(str(module.__file__)).read_text(encoding="utf-8").splitlines())
               for module in (schema_module, model_module)}

    def line_of(module: ModuleType, words: str, default: int = 1) -> tuple[str, int]:
        shown, lines = sources[module]
        return shown, next((i for i, line in enumerate(lines, 1) if words in line), default)

    out: list[tuple[str, tuple[str, int], str]] = []
    for path, spec in field_specs().items():
        shown_help = path and not (path.endswith("[]") and spec.kind in ("group", "goal"))  # items show none
        if shown_help and (text := help_message(path)):
            percent = "; write %% for a percent sign" if "%%" in text else ""
            out.append((text, line_of(schema_module, spec.help[:24]),
                        f"help text under the field “{LABELS.get(path, path)}” ({path}) of the studio's profile "
                        f"form{percent}"))
        if spec.choices and path != "clinic.country":  # countries: Babel's names in the studio's language
            first = line_of(model_module, f'"{spec.choices[0]}"')[1]
            for choice in spec.choices:
                out.append((choice.replace("-", " "), line_of(model_module, f'"{choice}"', first),
                            f"a choice of the field “{LABELS.get(path, path)}” ({path}) of the studio's profile form"))
    return out
