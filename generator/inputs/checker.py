"""Checks on composed YAML nodes that collect every problem of a file.

A clinician fixing a profile should see all its mistakes at once, each with its
line and field, not one per run. So the `Checker` methods never raise: they
record a `Diagnostic` and return None, and the caller raises once at the end
(`raise_if_errors`). Scalars are read from their raw text (`node.value`), so
YAML 1.1 surprises (`No` as false, `23:30` as a sexagesimal number, `1.0` as a
float) cannot change what a person wrote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TypeVar

import yaml

from generator.errors import Diagnostic, InputError, did_you_mean, quote

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_INT_RE = re.compile(r"[-+]?[0-9]+")
_NUMBER_RE = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_LARGEST = 10**12  # far beyond any count, percentage or duration a profile holds
_MAX_DIGITS = 40  # digits before the point: anything longer is far above _LARGEST

# Every date written by hand lies here: plans, diaries and reviews are laid out for years after it and
# stay far inside the calendar (Python's ends on 9999-12-31), and no one plans in 1800 or 3000.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)

_Choice = TypeVar("_Choice", bound=str)  # a vocabulary's words, e.g. the Literal of model.Paper
_Number = TypeVar("_Number", int, float)


def date_problem(value: dt.date) -> str | None:
    """Why a date cannot start, review or date a plan (see EARLIEST_DATE), or None when it can."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return f"{value.isoformat()} is out of range: expected a date from {EARLIEST_DATE} to {LATEST_DATE}"


def child(path: str, key: str) -> str:
    """The field path of `key` inside `path`: `pacing` + `weeks` -> `pacing.weeks`."""
    return f"{path}.{key}" if path else key


def item(path: str, index: int) -> str:
    """The field path of a list item: `goals` + 1 -> `goals[1]`."""
    return f"{path}[{index}]"


# Ids of profiles, modules and topics: they name output folders, pages and anchors.
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def is_null(node: yaml.Node | None) -> bool:
    """True for a missing value: no node, `~`, `null` or nothing after the colon."""
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL)


def boolean_of(node: yaml.Node | None) -> bool | None:
    """The truth a scalar writes as the loader reads it (true/false, YAML 1.1's yes/no/on/off,
    never quoted), or None when it writes none."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL and node.style is None:
        word = node.value.lower()
        return True if word in _TRUE else False if word in _FALSE else None
    return None


def number_of(node: yaml.Node | None) -> int | float | None:
    """The number a scalar writes as the loader reads it (unquoted; whole numbers as int), or None."""
    if not isinstance(node, yaml.ScalarNode) or node.style is not None or not _NUMBER_RE.fullmatch(node.value):
        return None
    if len(node.value) > _MAX_DIGITS + 8:
        return None  # far too large for any field (the check says so); never converted
    return int(node.value) if _INT_RE.fullmatch(node.value) else float(node.value)


# The tags PyYAML gives a plain or quoted scalar by itself; any other was written with '!' (`!!binary`, `!foo`).
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))


def walk(node: yaml.Node | None, path: str = "") -> Iterator[tuple[str, yaml.Node]]:
    """Every value in `node` (itself first) with its field path: `goals[1]`, `pacing.weeks`."""
    if node is None:
        return
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield from walk(value, child(path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, entry in enumerate(node.value):
            yield from walk(entry, item(path, index))


def describe(node: yaml.Node | None) -> str:
    """What a node is, in plain words, for "expected X, got Y"."""
    if is_null(node):
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping (keys and values)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    assert isinstance(node, yaml.ScalarNode)
    if node.value == "":
        return "an empty value"
    if node.tag == _BOOL:
        return f"true/false ({node.value})"
    if node.tag in (_INT, _FLOAT) and node.style is None and _NUMBER_RE.fullmatch(node.value):
        return f"the number {node.value}"
    return f"text {quote(node.value)}"


def suggest(word: str, choices: Sequence[str]) -> str:
    """" did you mean 'x'?" for a near miss, ignoring case first; "" when nothing is close."""
    for choice in choices:
        if choice.lower() == word.lower() or choice.lower() == word.lower().replace(" ", "-"):
            return f" did you mean '{choice}'?"
    return did_you_mean(word, choices)


def close_match(word: str, choices: Sequence[str], cutoff: float) -> str | None:
    """The choice nearest `word` with at least `cutoff` similarity, ignoring case."""
    lowered = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


class Checker:
    """Validates nodes of one file and collects Diagnostics instead of raising."""

    def __init__(self, source: str, line_offset: int = 0) -> None:
        self.source = source
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []  # worth a look, but the file is valid: exit 0

    # -- reporting -----------------------------------------------------------------------

    def error(self, node: yaml.Node | None, path: str, message: str) -> None:
        """Record one problem at `node`'s position (1-based, plus the line offset)."""
        line = column = None
        if node is not None and node.start_mark is not None:
            line = node.start_mark.line + 1 + self.line_offset
            column = node.start_mark.column + 1
        self.diagnostics.append(Diagnostic(self.source, line, column, path, message))

    def warn(self, node: yaml.Node | None, path: str, message: str) -> None:
        """Record something a clinician should look at, at `node`'s position; it does not stop a build."""
        before = len(self.diagnostics)
        self.error(node, path, message)
        self.warnings.append(self.diagnostics.pop(before))

    def ordered_warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self.warnings, key=lambda d: (d.line or 0, d.column or 0)))

    def raise_if_errors(self, message: str) -> None:
        """Raise one InputError holding every problem, in file order, if there were any."""
        if self.diagnostics:
            ordered = sorted(self.diagnostics, key=lambda d: (d.line or 0, d.column or 0))
            raise InputError(message, ordered)

    # -- containers ----------------------------------------------------------------------

    def mapping(self, node: yaml.Node | None, path: str, *, known: Sequence[str],
                required: Sequence[str] = (), expected: str = "a mapping of keys"
                ) -> dict[str, yaml.Node] | None:
        """The keys of a mapping, checked against `known` and `required`.

        Optional keys whose value is null are left out, as if absent; a required key
        set to null stays in, so its own check reports "got nothing" at its line.
        """
        if not isinstance(node, yaml.MappingNode):
            self.error(node, path, f"expected {expected}, got {describe(node)}")
            return None
        result: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or is_null(key):
                self.error(key, path, f"expected a key (a plain word), got {describe(key)}")
                continue
            name = key.value
            if name not in known:
                hint = suggest(name, known) or " expected one of: " + ", ".join(known)
                self.error(key, child(path, name), f"unknown key {quote(name)}:{hint}")
                continue
            if is_null(value) and name not in required:
                result.pop(name, None)
                continue
            result[name] = value
        for name in required:
            if name not in result:
                self.error(node, child(path, name), f"required key '{name}' is missing")
        return result

    def sequence(self, node: yaml.Node | None, path: str) -> list[yaml.Node] | None:
        """The items of a list; a single value gets a hint on how to write a list."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        hint = ""
        if isinstance(node, yaml.ScalarNode) and not is_null(node):
            hint = f" (write [{node.value}], or one '- ' item per line)"
        self.error(node, path, f"expected a list, got {describe(node)}{hint}")
        return None

    def text_list(self, node: yaml.Node | None, path: str, *,
                  choices: Sequence[str] | None = None, unique: bool = True,
                  what: str = "value", non_empty: bool = False) -> tuple[str, ...] | None:
        """A list of non-empty texts, optionally from a vocabulary, optionally unique."""
        items = self.sequence(node, path)
        if items is None:
            return None
        if non_empty and not items:
            self.error(node, path, f"expected at least one {what}, got an empty list")
            return None
        values: list[str] = []
        first_line: dict[str, int] = {}
        for index, entry in enumerate(items):
            where = item(path, index)
            value = (self.choice(entry, where, choices, what=what) if choices is not None
                     else self.text(entry, where))
            if value is None:
                continue
            if unique and value in first_line:
                self.error(entry, where, f"{quote(value)} is listed twice "
                           f"(first at line {first_line[value]})")
                continue
            first_line[value] = entry.start_mark.line + 1 + self.line_offset
            values.append(value)
        return tuple(values)

    # -- scalars -------------------------------------------------------------------------

    def _scalar_node(self, node: yaml.Node | None, path: str, expected: str) -> yaml.ScalarNode | None:
        if isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:  # `!!binary aGk=` read as "aGk="
            self.error(node, path, f"the YAML tag {quote(node.tag.removeprefix('tag:yaml.org,2002:'))} is not "
                       "supported: write the value itself, without a '!' tag")
            return None
        if isinstance(node, yaml.ScalarNode) and not is_null(node):
            return node
        self.error(node, path, f"expected {expected}, got {describe(node)}")
        return None

    def _scalar(self, node: yaml.Node | None, path: str, expected: str) -> str | None:
        scalar = self._scalar_node(node, path, expected)
        if scalar is None:
            return None
        value: str = scalar.value  # a scalar node's value is its raw text
        return value

    def text(self, node: yaml.Node | None, path: str, *, pattern: str | None = None,
             hint: str = "", allow_empty: bool = False, max_length: int | None = None
             ) -> str | None:
        """Text exactly as written (`No`, `1.0` and `2026-01-01` stay text)."""
        value = self._scalar(node, path, "text")
        if value is None:
            return None
        if not allow_empty and not value.strip():
            self.error(node, path, "expected text, got an empty value")
            return None
        if not allow_empty and not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value):
            codes = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in value if not ch.isspace()}))
            self.error(node, path, f"the value holds only invisible characters ({codes}): write the text itself")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(node, path, f"too long: {len(value)} characters, at most {max_length}")
            return None
        if pattern is not None and not re.fullmatch(pattern, value):
            self.error(node, path, f"{quote(value)} is not valid" + (f": {hint}" if hint else ""))
            return None
        return value

    def choice(self, node: yaml.Node | None, path: str, choices: Sequence[_Choice], *,
               what: str = "value") -> _Choice | None:
        """One word from a fixed vocabulary, with did-you-mean on near misses."""
        value = self.text(node, path)
        if value is None:
            return None
        for known in choices:
            if known == value:
                return known
        hint = suggest(value, choices) or " expected one of: " + ", ".join(choices)
        self.error(node, path, f"unknown {what} {quote(value)}:{hint}")
        return None

    def integer(self, node: yaml.Node | None, path: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        """A whole number, optionally within [minimum, maximum]."""
        scalar = self._scalar_node(node, path, "a whole number")
        if scalar is None:
            return None
        value: str = scalar.value
        if scalar.style is not None or not _INT_RE.fullmatch(value):
            self.error(scalar, path, f"expected a whole number, got {describe(scalar)}")
            return None
        if self._too_long(scalar, path, "a whole number"):
            return None
        return self._in_range(scalar, path, int(value), minimum, maximum, "a whole number")

    def number(self, node: yaml.Node | None, path: str, *, minimum: float | None = None,
               maximum: float | None = None) -> float | None:
        """A number; whole numbers come back as int so they print without '.0'."""
        scalar = self._scalar_node(node, path, "a number")
        if scalar is None:
            return None
        value: str = scalar.value
        if scalar.style is not None or not _NUMBER_RE.fullmatch(value):
            self.error(scalar, path, f"expected a number, got {describe(scalar)}")
            return None
        if self._too_long(scalar, path, "a number"):
            return None
        number = int(value) if _INT_RE.fullmatch(value) else float(value)
        return self._in_range(scalar, path, number, minimum, maximum, "a number")

    def _too_long(self, node: yaml.ScalarNode, path: str, noun: str) -> bool:
        """A number written with more digits than any value here could have (Python refuses to
        convert a whole number of over 4,300 digits, and there is no need to try)."""
        digits = node.value.lstrip("+-").lstrip("0").split(".")[0].split("e")[0].split("E")[0]
        if len(digits) <= _MAX_DIGITS:
            return False
        self.error(node, path, f"{node.value[:17]}... ({len(node.value):,} characters) is too large to be {noun} here")
        return True

    def _in_range(self, node: yaml.ScalarNode, path: str, number: _Number, minimum: float | None,
                  maximum: float | None, noun: str) -> _Number | None:
        if not abs(number) <= _LARGEST:  # also catches inf from 1e400
            shown = node.value if len(node.value) <= 20 else node.value[:17] + "..."
            self.error(node, path, f"{shown} is too large to be {noun} here")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            if minimum is not None and maximum is not None:
                expected = f"from {minimum:g} to {maximum:g}"
            elif minimum is not None:
                expected = f"at least {minimum:g}"
            else:
                expected = f"at most {maximum:g}"
            self.error(node, path, f"{number:g} is out of range: expected {noun} {expected}")
            return None
        return number

    def boolean(self, node: yaml.Node | None, path: str) -> bool | None:
        """true or false (YAML 1.1's yes/no/on/off too), never quoted text."""
        scalar = self._scalar_node(node, path, "true or false")
        if scalar is None:
            return None
        value: str = scalar.value
        truth = boolean_of(scalar)
        if truth is not None:
            return truth
        extra = " (remove the quotes)" if scalar.style and value.lower() in _TRUE | _FALSE else ""
        self.error(scalar, path, f"expected true or false, got {describe(scalar)}{extra}")
        return None

    def date(self, node: yaml.Node | None, path: str) -> dt.date | None:
        """A calendar date written YYYY-MM-DD, checked to exist and to lie from EARLIEST_DATE to LATEST_DATE."""
        value = self._scalar(node, path, "a date (YYYY-MM-DD)")
        if value is None:
            return None
        match = _DATE_RE.fullmatch(value.strip())
        if not match:
            self.error(node, path, f"expected a date written YYYY-MM-DD, such as 2026-12-07, "
                       f"got {describe(node)}")
            return None
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            self.error(node, path, f"{value.strip()} is not a real date: {exc}")
            return None
        if problem := date_problem(day):
            self.error(node, path, problem)
            return None
        return day

    def time(self, node: yaml.Node | None, path: str) -> dt.time | None:
        """A time of day written HH:MM on the 24-hour clock (quoted or not)."""
        value = self._scalar(node, path, "a time (HH:MM)")
        if value is None:
            return None
        match = _TIME_RE.fullmatch(value.strip())
        if not match:
            self.error(node, path, f"expected a time written HH:MM (24-hour clock), such as "
                       f"23:30, got {describe(node)}")
            return None
        hour, minute = (int(part) for part in match.groups())
        if hour > 23 or minute > 59:
            which = "hour must be 0 to 23" if hour > 23 else "minutes must be 00 to 59"
            self.error(node, path, f"{value.strip()} is not a real time: {which}")
            return None
        return dt.time(hour, minute)
