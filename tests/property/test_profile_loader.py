"""Property tests of the profile loader: whatever a file holds, the loader gives a Profile or an InputError.

Thousands of inputs each run: text of any characters, YAML documents built from the format's keys with
values of every type and size, and the sample profiles mutated (keys deleted, inserted, values swapped
for other types, lines deleted, duplicated or cut). A profile that loads must also go through what
`validate` does next (its plans and their warnings) without an exception: what validate accepts, build can use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from helpers import REPO
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from property.generated import mutate, paths, values

from generator.errors import InputError
from generator.plans.checks import plan_warnings
from generator.plans.compute import make_plans
from generator.profile import model
from generator.profile.load import KEYS, parse_profile

# Each test stays under about 10 s: cheap inputs get more examples, built documents fewer.
MANY = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=250, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SAMPLES = {path.name: path.read_text(encoding="utf-8") for path in sorted((REPO / "profiles").glob("*.yaml"))}
TODAYS = st.sampled_from([dt.date(2026, 11, 23), dt.date(1900, 1, 1), dt.date(2999, 12, 31)])


def loads_or_refuses(text: str, today: dt.date) -> None:
    """The property: a Profile whose plans can be made, or an InputError with a place; nothing else."""
    try:
        profile = parse_profile(text, "profiles/x.yaml")
    except InputError as error:
        assert error.diagnostics or error.message
        str(error)  # printable
        return
    assert isinstance(profile, model.Profile)
    plan_warnings(profile)
    make_plans(profile, today)


def dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeError, ValueError):
        assume(False)
        raise


@MANY
@given(st.text(max_size=300), TODAYS)
def test_any_text_loads_or_is_refused(text: str, today: dt.date) -> None:
    loads_or_refuses(text, today)


@SOME
@given(st.dictionaries(st.sampled_from(KEYS[""]), values, max_size=12), TODAYS)
def test_generated_documents_of_the_formats_keys_load_or_are_refused(data: dict[str, Any], today: dt.date) -> None:
    head = {"handbook": 1, "id": "kim", "preferred_name": "Kim", "language": "en"}
    loads_or_refuses(dump({**head, **data}), today)


@settings(SOME, max_examples=200)
@given(st.sampled_from(sorted(SAMPLES)), st.data(), TODAYS)
def test_mutated_samples_load_or_are_refused(name: str, data: st.DataObject, today: dt.date) -> None:
    document = yaml.safe_load(SAMPLES[name])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        places = paths(document)
        path = data.draw(st.sampled_from(places))
        action = data.draw(st.sampled_from(["delete", "swap", "insert", "repeat"]))
        document = mutate(document, path, action, data.draw(values))
    loads_or_refuses(dump(document), today)


@settings(MANY, max_examples=500)
@given(st.sampled_from(sorted(SAMPLES)), st.data(), TODAYS)
def test_samples_cut_and_spliced_as_text_load_or_are_refused(name: str, data: st.DataObject, today: dt.date) -> None:
    lines = SAMPLES[name].splitlines(keepends=True)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        index = data.draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "cut"]))
        if not lines:
            break
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, data.draw(st.text(max_size=30)) + "\n")
        else:
            line = lines[index]
            at = data.draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + data.draw(st.text(max_size=5)) + line[at:]
    loads_or_refuses("".join(lines), today)


def test_the_samples_themselves_load() -> None:
    for name, text in SAMPLES.items():
        assert parse_profile(text, name).id == Path(name).stem
