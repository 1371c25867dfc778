"""Loading and validating patient profiles (format version 1) into `model.Profile`.

The format is the contract in ../shared/profile-example.yaml. Every problem of a
file is collected and reported at once, with file:line:column, the field's path,
what was expected and the near miss, because the people who write profiles are
clinicians, not programmers. Only `handbook`, `id`, `preferred_name` and
`language` are required; a section set to null is treated as absent.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import yaml

from generator.errors import InputError, counted, display_path, quote
from generator.inputs.checker import ID_PATTERN, Checker, child, close_match, item, walk
from generator.inputs.source import parse_yaml, read_source
from generator.language import language_problem
from generator.profile import goals, model
from generator.profile.country import NUMBER_HINT, NUMBER_PATTERN, check_local_services, country_problem
from generator.profile.limits import MAX_FILE_BYTES, check_limits
from generator.profile.safety import check_profile_text

FORMAT_VERSION = 1
ID_MAX_LENGTH = 64
NAME_MAX_LENGTH = 60
EXPECTED = "a profile (a mapping of keys such as handbook, id, preferred_name, language)"

# The keys of every mapping in the format; schema.py and the tests use them too.
KEYS: dict[str, tuple[str, ...]] = {
    "": ("handbook", "id", "preferred_name", "language", "edition", "start_date", "print",
         "clinic", "condition", "goals", "topics", "pacing", "desensitisation", "graded_tasks",
         "sleep", "nutrition", "flare_plan", "caregivers", "grammatical_gender"),
    "grammatical_gender": ("patient", "helper"),
    "print": ("paper", "large_print", "duplex"),
    "clinic": ("name", "phone", "clinician", "next_review", "country", "emergency_number", "crisis_line"),
    "clinic.crisis_line": ("name", "number"),
    "condition": ("cause", "symptoms", "areas", "sleep_affected", "mood_affected"),
    "goals[]": goals.KEYS,
    "topics": ("include", "exclude"),
    "pacing": ("baseline_percent", "step_percent", "weeks", "activities"),
    "pacing.activities[]": ("name", "unit", "recent"),
    "desensitisation": ("area", "textures", "start_at", "sessions_per_day", "minutes_per_session"),
    "graded_tasks[]": ("goal", "steps"),
    "sleep": ("problems", "bedtime", "wake_time", "restricted_window"),
    "nutrition": ("patterns", "notes"),
    "flare_plan": ("warning_signs", "first_steps", "call_if"),
    "caregivers[]": ("name", "relation"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "": ("handbook", "id", "preferred_name", "language"),
    "clinic.crisis_line": ("name", "number"),
    "goals[]": goals.REQUIRED,
    "pacing.activities[]": ("name", "unit", "recent"),
    "desensitisation": ("textures",),
    "graded_tasks[]": ("goal", "steps"),
    "caregivers[]": ("name",),
}
# How close an unknown eating pattern must be to a known one to count as a misspelling;
# stricter than did_you_mean's, so 'low-salt' is not mistaken for 'low-fat'.
NUTRITION_CUTOFF = 0.85

_Value = TypeVar("_Value")
_Default = TypeVar("_Default")
_Args = ParamSpec("_Args")
# A parser of one field: (node, field path, *args, **kwargs) -> the value, or None when invalid.
_Parser = Callable[Concatenate[yaml.Node, str, _Args], _Value | None]


def load_profile(path: Path, known_countries: Mapping[str, str] | None = None,
                 root: Path | None = None) -> model.Profile:
    """Read, validate and build the profile in `path`.

    `known_countries`: the countries the content library's service table knows, with their
    calling codes; given, the clinic's country and phone are checked against them (warnings).
    `root`: the project folder; a profile reached through a symbolic link must lie inside it.
    """
    source = display_path(path)
    text = read_source(Path(path), root=root, max_bytes=MAX_FILE_BYTES)
    return parse_profile(text, source, known_countries)


def parse_profile(text: str, source: str, known_countries: Mapping[str, str] | None = None) -> model.Profile:
    """Validate profile text and build the Profile, or raise one InputError with every problem."""
    try:
        root = parse_yaml(text, source, expected=EXPECTED)
    except InputError as exc:
        raise InputError(invalid_profile(source, len(exc.diagnostics)), exc.diagnostics) from None
    checker = Checker(source)
    if not check_limits(checker, root):  # nothing else reads a profile far too large
        checker.raise_if_errors(invalid_profile(source, len(checker.diagnostics)))
    profile = _profile(checker, root, source, known_countries)
    check_profile_text(checker, root, profile)
    if profile is not None:
        goals.check_goal_plans(checker, root, profile)
    checker.raise_if_errors(invalid_profile(source, len(checker.diagnostics)))
    assert profile is not None
    places = {path: (node.start_mark.line + 1, node.start_mark.column + 1) for path, node in walk(root)}
    return dataclasses.replace(profile, warnings=checker.ordered_warnings(), places=places)


def invalid_profile(source: str, count: int) -> str:
    """The headline of a profile's problems, wherever they were found."""
    return f"{source} is not a valid profile ({counted(count, 'problem')})"


# -- identifiers -----------------------------------------------------------------------------


def id_problem(value: str) -> str | None:
    """Why `value` cannot be a profile id (it names an output folder), or None if it can."""
    if len(value) > ID_MAX_LENGTH:
        return f"the id is too long ({len(value)} characters, at most {ID_MAX_LENGTH})"
    if re.fullmatch(ID_PATTERN, value):
        return None
    fixed = suggest_id(value)
    hint = f": did you mean '{fixed}'?" if fixed and fixed != value else ", such as 'ana-lopez'"
    return (f"invalid id {quote(value)}: use lowercase letters a-z, digits and single hyphens "
            f"between them{hint}")


def suggest_id(value: str) -> str:
    """A valid id close to `value`: accents dropped, lowercased, spaces to hyphens."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:ID_MAX_LENGTH].rstrip("-")


# -- sections --------------------------------------------------------------------------------


def _profile(c: Checker, root: yaml.Node, source: str,
             known_countries: Mapping[str, str] | None = None) -> model.Profile | None:
    top = c.mapping(root, "", known=KEYS[""], required=REQUIRED[""],
                    expected="a profile (a mapping of keys)")
    if top is None:
        return None

    def get(key: str, default: _Default, parse: _Parser[_Args, _Value],
            *args: _Args.args, **kwargs: _Args.kwargs) -> _Value | _Default:
        """A top-level key (its field path is its name), read as `_opt` reads any key."""
        return _opt(top, key, default, parse, "", *args, **kwargs)

    version = get("handbook", None, _version, c)
    profile_id = get("id", None, c.text)
    if profile_id is not None and (problem := id_problem(profile_id)):
        c.error(top["id"], "id", problem)
    name = get("preferred_name", None, c.text, max_length=NAME_MAX_LENGTH)
    language = get("language", None, c.text)
    if language is not None and (problem := language_problem(language)):
        c.error(top["language"], "language", problem)
    if "clinic" not in top:  # no country either: said once, as for a clinic without one
        check_local_services(c, root, {}, model.Clinic(), known_countries)
    return model.Profile(
        handbook=version or FORMAT_VERSION,
        id=profile_id or "",
        preferred_name=name or "",
        language=language or "",
        edition=get("edition", "patient", c.choice, model.EDITIONS, what="edition"),
        start_date=get("start_date", None, c.date),
        print=get("print", model.PrintOptions(), _print, c),
        clinic=get("clinic", model.Clinic(), _clinic, c, known_countries),
        condition=get("condition", model.Condition(), _condition, c),
        goals=get("goals", (), goals.parse_goals, c) or (),
        topics=get("topics", model.Topics(), _topics, c),
        pacing=get("pacing", None, _pacing, c),
        desensitisation=get("desensitisation", None, _desensitisation, c),
        graded_tasks=get("graded_tasks", (), _graded_tasks, c),
        sleep=get("sleep", None, _sleep, c),
        nutrition=get("nutrition", None, _nutrition, c),
        flare_plan=get("flare_plan", None, _flare_plan, c),
        caregivers=get("caregivers", (), _caregivers, c),
        grammatical_gender=get("grammatical_gender", model.Address(), _address, c),
        source=source,
    )


def _version(node: yaml.Node, path: str, c: Checker) -> int | None:
    raw = node.value.strip() if isinstance(node, yaml.ScalarNode) and node.value else ""
    if not isinstance(node, yaml.ScalarNode) or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw):
        c.integer(node, path)  # reports "expected a whole number, got ..."
        return None
    if raw == str(FORMAT_VERSION):
        if node.style is None:
            return FORMAT_VERSION
        c.error(node, path, f"expected the number {FORMAT_VERSION}, got text {quote(raw)} "
                "(remove the quotes)")
        return None
    newer = " (it may have been written for a newer generator)" if float(raw) > 1 else ""
    c.error(node, path, f"unsupported format version {raw}{newer}: this generator reads "
            f"version {FORMAT_VERSION}; write 'handbook: {FORMAT_VERSION}'")
    return None


def _section(c: Checker, node: yaml.Node, path: str) -> dict[str, yaml.Node] | None:
    return c.mapping(node, path, known=KEYS[path], required=REQUIRED.get(path, ()))


def _opt(fields: dict[str, yaml.Node], key: str, default: _Default, parse: _Parser[_Args, _Value],
         path: str, *args: _Args.args, **kwargs: _Args.kwargs) -> _Value | _Default:
    """`parse(fields[key], field path, *args, **kwargs)` if present, else `default`.

    Absent (or null) gives `default`, and so does an invalid value, which `parse` reported.
    """
    if key not in fields:
        return default
    value = parse(fields[key], child(path, key), *args, **kwargs)
    return default if value is None else value


def _address(node: yaml.Node, path: str, c: Checker) -> model.Address:
    f = _section(c, node, path) or {}
    return model.Address(
        patient=_opt(f, "patient", None, c.choice, path, model.GRAMMATICAL_GENDERS, what="grammatical gender"),
        helper=_opt(f, "helper", None, c.choice, path, model.GRAMMATICAL_GENDERS, what="grammatical gender"),
    )


def _print(node: yaml.Node, path: str, c: Checker) -> model.PrintOptions:
    f = _section(c, node, path) or {}
    return model.PrintOptions(
        paper=_opt(f, "paper", "A4", c.choice, path, model.PAPERS, what="paper size"),
        large_print=_opt(f, "large_print", False, c.boolean, path),
        duplex=_opt(f, "duplex", False, c.boolean, path),
    )


MAX_PHONE_DIGITS = 20  # an international number has at most 15 (E.164); a few more for an extension


def _clinic(node: yaml.Node, path: str, c: Checker,
            known_countries: Mapping[str, str] | None = None) -> model.Clinic:
    f = _section(c, node, path) or {}
    country = _opt(f, "country", None, c.text, path)
    if country is not None and (problem := country_problem(country)):
        c.error(f["country"], child(path, "country"), problem)
        country = None
    clinic = model.Clinic(
        name=_opt(f, "name", None, c.text, path),
        phone=_opt(f, "phone", None, c.text, path, pattern=NUMBER_PATTERN, hint=NUMBER_HINT),  # a tel: link
        clinician=_opt(f, "clinician", None, c.text, path),
        next_review=_opt(f, "next_review", None, c.date, path),
        country=country,
        emergency_number=_opt(f, "emergency_number", None, c.text, path, pattern=NUMBER_PATTERN, hint=NUMBER_HINT),
        crisis_line=_opt(f, "crisis_line", None, _service_line, path, c),
    )
    if clinic.phone is not None and sum(ch.isdigit() for ch in clinic.phone) > MAX_PHONE_DIGITS:
        c.error(f["phone"], child(path, "phone"), f"a phone number has at most {MAX_PHONE_DIGITS} digits")
        clinic = dataclasses.replace(clinic, phone=None)
    check_local_services(c, node, f, clinic, known_countries, path)
    return clinic


def _service_line(node: yaml.Node, path: str, c: Checker) -> model.ServiceLine | None:
    f = _section(c, node, path) or {}
    name = _opt(f, "name", None, c.text, path)
    number = _opt(f, "number", None, c.text, path, pattern=NUMBER_PATTERN, hint=NUMBER_HINT)
    return model.ServiceLine(name, number) if name is not None and number is not None else None


def _condition(node: yaml.Node, path: str, c: Checker) -> model.Condition:
    f = _section(c, node, path) or {}
    return model.Condition(
        cause=_opt(f, "cause", None, c.text, path),
        symptoms=_opt(f, "symptoms", (), c.text_list, path, choices=model.SYMPTOMS, what="symptom"),
        areas=_opt(f, "areas", (), c.text_list, path, choices=model.AREAS, what="area"),
        sleep_affected=_opt(f, "sleep_affected", False, c.boolean, path),
        mood_affected=_opt(f, "mood_affected", False, c.boolean, path),
    )


def _topics(node: yaml.Node, path: str, c: Checker) -> model.Topics:
    f = _section(c, node, path) or {}
    include = _opt(f, "include", (), c.text_list, path)
    exclude = _opt(f, "exclude", (), c.text_list, path)
    for index, entry in enumerate(f["exclude"].value if exclude else ()):
        if isinstance(entry, yaml.ScalarNode) and entry.value in include:
            c.error(entry, item(child(path, "exclude"), index),
                    f"{quote(entry.value)} is both included and excluded: keep it in one list")
    return model.Topics(include=include, exclude=exclude)


def _pacing(node: yaml.Node, path: str, c: Checker) -> model.Pacing | None:
    f = _section(c, node, path)
    if f is None:
        return None
    activities: list[model.Activity] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(_opt(f, "activities", [], c.sequence, path)):
        where = item(child(path, "activities"), index)
        activity = _activity(c, entry, where)
        if activity is None:
            continue
        if activity.name in seen:
            c.error(entry, child(where, "name"), f"activity {quote(activity.name)} is listed twice "
                    f"(first at line {seen[activity.name]})")
        seen[activity.name] = entry.start_mark.line + 1 + c.line_offset
        activities.append(activity)
    return model.Pacing(
        activities=tuple(activities),
        baseline_percent=_opt(f, "baseline_percent", 80, c.number, path, minimum=1, maximum=100),
        step_percent=_opt(f, "step_percent", 10, c.number, path, minimum=0, maximum=100),
        weeks=_opt(f, "weeks", 8, c.integer, path, minimum=1, maximum=52),
    )


def _activity(c: Checker, node: yaml.Node, path: str) -> model.Activity | None:
    f = c.mapping(node, path, known=KEYS["pacing.activities[]"],
                  required=REQUIRED["pacing.activities[]"],
                  expected="an activity (name, unit, recent)")
    if f is None:
        return None
    name = c.text(f["name"], child(path, "name")) if "name" in f else None
    unit = (c.choice(f["unit"], child(path, "unit"), model.UNITS, what="unit")
            if "unit" in f else None)
    recent = _recent(c, f["recent"], child(path, "recent")) if "recent" in f else None
    if name is None or unit is None or recent is None:
        return None
    return model.Activity(name=name, unit=unit, recent=recent)


def _recent(c: Checker, node: yaml.Node, path: str) -> tuple[float, ...] | None:
    items = c.sequence(node, path)
    if items is None:
        return None
    if not items:
        c.error(node, path, "expected at least one number: what was managed on recent days")
        return None
    values = [c.number(entry, item(path, i), minimum=0) for i, entry in enumerate(items)]
    numbers = [value for value in values if value is not None]
    return tuple(numbers) if len(numbers) == len(values) else None


def _desensitisation(node: yaml.Node, path: str, c: Checker) -> model.Desensitisation | None:
    f = _section(c, node, path)
    if f is None:
        return None
    textures = _opt(f, "textures", (), c.text_list, path, what="texture", non_empty=True)
    start_at = _opt(f, "start_at", None, c.text, path)
    if start_at is not None and textures and start_at not in textures:
        near = close_match(start_at, textures, 0.6)
        hint = f" did you mean '{near}'?" if near else " expected one of: " + ", ".join(textures)
        c.error(f["start_at"], child(path, "start_at"),
                f"{quote(start_at)} is not one of the textures:{hint}")
    return model.Desensitisation(
        textures=textures,
        area=_opt(f, "area", None, c.choice, path, model.AREAS, what="area"),
        start_at=start_at,
        sessions_per_day=_opt(f, "sessions_per_day", 3, c.integer, path, minimum=1, maximum=12),
        minutes_per_session=_opt(f, "minutes_per_session", 5, c.integer, path, minimum=1, maximum=60),
    )


def _graded_tasks(node: yaml.Node, path: str, c: Checker) -> tuple[model.GradedTask, ...]:
    tasks = []
    for index, entry in enumerate(c.sequence(node, path) or ()):
        where = item(path, index)
        f = c.mapping(entry, where, known=KEYS["graded_tasks[]"],
                      required=REQUIRED["graded_tasks[]"],
                      expected="a task (goal and steps)")
        if f is None:
            continue
        goal = c.text(f["goal"], child(where, "goal")) if "goal" in f else None
        steps = (c.text_list(f["steps"], child(where, "steps"), what="step", non_empty=True)
                 if "steps" in f else None)
        if goal is not None and steps:
            tasks.append(model.GradedTask(goal=goal, steps=steps))
    return tuple(tasks)


def _sleep(node: yaml.Node, path: str, c: Checker) -> model.Sleep | None:
    f = _section(c, node, path)
    if f is None:
        return None
    return model.Sleep(
        problems=_opt(f, "problems", (), c.text_list, path, choices=model.SLEEP_PROBLEMS,
                      what="sleep problem"),
        bedtime=_opt(f, "bedtime", None, c.time, path),
        wake_time=_opt(f, "wake_time", None, c.time, path),
        restricted_window=_opt(f, "restricted_window", False, c.boolean, path),
    )


def _nutrition(node: yaml.Node, path: str, c: Checker) -> model.Nutrition | None:
    f = _section(c, node, path)
    if f is None:
        return None
    patterns = _opt(f, "patterns", (), c.text_list, path)
    # The list is open-ended: an unknown pattern is fine, a misspelt known one is not.
    for index, entry in enumerate(f["patterns"].value if patterns else ()):
        value = getattr(entry, "value", None)
        if value in model.NUTRITION_PATTERNS or not isinstance(value, str):
            continue
        near = close_match(value, model.NUTRITION_PATTERNS, NUTRITION_CUTOFF)
        if near is not None:
            c.error(entry, item(child(path, "patterns"), index),
                    f"unknown eating pattern {quote(value)}: did you mean '{near}'?")
    return model.Nutrition(patterns=patterns, notes=_opt(f, "notes", None, c.text, path))


def _flare_plan(node: yaml.Node, path: str, c: Checker) -> model.FlarePlan | None:
    f = _section(c, node, path)
    if f is None:
        return None
    return model.FlarePlan(
        warning_signs=_opt(f, "warning_signs", (), c.text_list, path),
        first_steps=_opt(f, "first_steps", (), c.text_list, path),
        call_if=_opt(f, "call_if", (), c.text_list, path),
    )


def _caregivers(node: yaml.Node, path: str, c: Checker) -> tuple[model.Caregiver, ...]:
    people = []
    for index, entry in enumerate(c.sequence(node, path) or ()):
        where = item(path, index)
        f = c.mapping(entry, where, known=KEYS["caregivers[]"], required=REQUIRED["caregivers[]"],
                      expected="a caregiver (name and relation)")
        if f is None:
            continue
        name = c.text(f["name"], child(where, "name")) if "name" in f else None
        relation = c.text(f["relation"], child(where, "relation")) if "relation" in f else None
        if name is not None:
            people.append(model.Caregiver(name=name, relation=relation))
    return tuple(people)

