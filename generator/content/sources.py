"""The bibliography: the published sources the modules draw on, in content/sources.yaml.

A reviewer audits the library from one file: each source is a readable citation
(title, publisher, year) with the clinical note its facts were taken from, and
modules cite sources by key (`sources: [physical-therapy]`), so a citation is
written once and a wrong key is caught when the library loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import Diagnostic, InputError, display_path
from generator.inputs.checker import ID_PATTERN, Checker
from generator.inputs.source import parse_yaml, read_source

SOURCES_FILE = "sources.yaml"
SOURCE_KEYS = ("key", "title", "publisher", "year", "note")
UNKNOWN = "unknown"  # what a source does not say (no publisher named, no date), written as such
FIRST_YEAR, LAST_YEAR = 1900, 2100
KEY_HINT = "lower-case letters, digits and hyphens, e.g. physical-therapy"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str | None  # None: the source names no publisher (`publisher: unknown`)
    year: int | None  # None: the source gives no date (`year: unknown`)
    note: str  # the clinical-notes file its facts were taken from
    line: int = 1  # of its key in sources.yaml, for messages


def _text(check: Checker, fields: dict[str, yaml.Node], where: str, name: str,
          pattern: str | None = None) -> str | None:
    """A text field (a missing one is already reported by `Checker.mapping`)."""
    return check.text(fields[name], f"{where}.{name}", pattern=pattern, hint=KEY_HINT) if name in fields else None


def _says_unknown(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == UNKNOWN


def load_sources(content_dir: Path) -> tuple[Source, ...]:
    """Read and check content/sources.yaml; every problem at once, with file:line."""
    path = content_dir / SOURCES_FILE
    source = display_path(path)
    if not path.is_file():
        raise InputError(f"the content library has no bibliography: {source} is missing", [Diagnostic(
            source, None, None, "", "the file is missing: list there the sources the modules cite "
            "(key, title, publisher, year, note; see docs/content-format.md)")])
    root = parse_yaml(read_source(path), source,
                      expected="a list of sources (- key: ..., title: ..., publisher: ..., year: ..., note: ...)")
    check = Checker(source)
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(check.sequence(root, "") or []):
        where = f"[{index}]"
        fields = check.mapping(node, where, known=SOURCE_KEYS, required=SOURCE_KEYS)
        if fields is None:
            continue
        key = _text(check, fields, where, "key", pattern=ID_PATTERN)
        title, publisher, note = (_text(check, fields, where, name) for name in ("title", "publisher", "note"))
        year = None  # `year: unknown`, or a mistake already recorded
        if "year" in fields and not _says_unknown(fields["year"]):
            year = check.integer(fields["year"], f"{where}.year", minimum=FIRST_YEAR, maximum=LAST_YEAR)
        if key and key in seen:
            check.error(fields["key"], f"{where}.key", f"source '{key}' is listed twice (first at line {seen[key]})")
        elif key and title and publisher and note:
            seen[key] = fields["key"].start_mark.line + 1
            sources.append(Source(key, title, None if publisher == UNKNOWN else publisher, year, note, seen[key]))
    check.raise_if_errors(f"{source} is not a valid bibliography")
    return tuple(sources)
