"""Field checks that collect every problem of a file, and warnings that do not stop a build."""

from __future__ import annotations

import pytest
import yaml

from generator.errors import InputError
from generator.inputs.checker import Checker
from generator.inputs.source import parse_yaml


def test_a_warning_keeps_its_line_and_does_not_make_the_file_invalid() -> None:
    root = parse_yaml("a: 1\nb: hot pack\n", "p.yaml")
    check = Checker("p.yaml")
    fields = check.mapping(root, "", known=("a", "b"))
    assert fields is not None
    check.warn(fields["b"], "b", "heat on numb skin can burn")
    check.raise_if_errors("not raised: a warning is no error")
    assert [str(w) for w in check.ordered_warnings()] == ["p.yaml:2:4: b: heat on numb skin can burn"]


def test_errors_still_fail_with_warnings_beside_them() -> None:
    root = parse_yaml("a: 1\n", "p.yaml")
    check = Checker("p.yaml")
    check.warn(root, "", "looked at")
    check.error(root, "a", "wrong")
    with pytest.raises(InputError) as caught:
        check.raise_if_errors("p.yaml is not valid")
    assert len(caught.value.diagnostics) == 1 and len(check.warnings) == 1


# -- numbers of any size -------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [30, 5000, 100_000])
def test_a_whole_number_of_any_length_is_a_problem_not_a_crash(digits: int) -> None:
    node = yaml.compose(f"n: {'9' * digits}\n").value[0][1]
    for read in ("integer", "number"):
        checker = Checker("profiles/x.yaml")
        assert getattr(checker, read)(node, "n") is None
        assert "too large" in checker.diagnostics[0].message
        assert len(checker.diagnostics[0].message) < 200


# -- text that is not there ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"\\u200b"', '"\\u200b\\u200d \\ufeff"', '"\\u00ad"'])
def test_a_text_of_invisible_characters_only_is_empty(value: str) -> None:
    root = parse_yaml(f"name: {value}\n", "p.yaml")
    check = Checker("p.yaml")
    fields = check.mapping(root, "", known=("name",))
    assert fields is not None and check.text(fields["name"], "name") is None
    assert "only invisible characters" in str(check.diagnostics[0]), check.diagnostics


@pytest.mark.parametrize("value", ["!!binary aGVsbG8=", "!foo Jo", "!!python/name:os.system ''"])
def test_a_yaml_tag_on_a_value_is_refused_not_ignored(value: str) -> None:
    """`!!binary aGVsbG8=` was read as the name 'aGVsbG8=', `!foo Jo` as 'Jo'."""
    root = parse_yaml(f"name: {value}\n", "p.yaml")
    check = Checker("p.yaml")
    fields = check.mapping(root, "", known=("name",))
    assert fields is not None and check.text(fields["name"], "name") is None
    assert "YAML tag" in str(check.diagnostics[0]) and "is not supported" in str(check.diagnostics[0])


def test_explicit_standard_tags_are_read() -> None:
    root = parse_yaml("name: !!str 123\n", "p.yaml")
    check = Checker("p.yaml")
    fields = check.mapping(root, "", known=("name",))
    assert fields is not None and check.text(fields["name"], "name") == "123"
