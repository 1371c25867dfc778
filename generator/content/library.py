"""The content library: topics (chapters) and markdown modules with front matter.

The whole library is read and checked before anything is built, and every
problem of every file is reported at once with file:line, as for profiles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content.conditions import Condition, ConditionError, compile_condition
from generator.errors import Diagnostic, InputError, counted, did_you_mean, display_path
from generator.inputs.checker import ID_PATTERN, Checker
from generator.inputs.source import parse_yaml, read_source
from generator.profile.model import EDITIONS

AUDIENCES: tuple[str, ...] = (*EDITIONS, "both")
MODULE_KEYS = ("id", "title", "topic", "audience", "order", "when", "summary", "sources", "reviewed")
REQUIRED_MODULE_KEYS = ("id", "title", "topic", "audience", "order", "sources", "reviewed")
TOPICS_FILE = "topics.yaml"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    line: int = 1  # of its title in topics.yaml, for messages and translators' references


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    topic: str
    audience: str  # patient | caregiver | both
    order: int
    when: Condition | None
    summary: str
    sources: tuple[str, ...]
    reviewed: dt.date
    body: str
    path: str  # as shown in messages
    body_line: int  # line of the file where the body starts
    key_lines: tuple[tuple[str, int], ...] = ()  # (front-matter key, its line in the file)

    def for_edition(self, edition: str) -> bool:
        return self.audience in ("both", edition)

    def line_of(self, key: str) -> int | None:
        """The file line of a front-matter key, so a message can point at `when:` or `title:`."""
        return dict(self.key_lines).get(key)


@dataclass(frozen=True)
class Library:
    topics: tuple[Topic, ...]
    modules: tuple[Module, ...]  # in chapter order, then module order

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.topics)

    @property
    def module_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


def split_front_matter(text: str, source: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts); InputError without front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise InputError(
            f"{source} has no front matter",
            [Diagnostic(source, 1, 1, "", "expected the file to start with a '---' line, "
                        "the module's front matter (id, title, topic, ...), and a closing '---' line")],
        )
    front = match.group(1)
    body_line = text.count("\n", 0, match.end()) + 1
    return front, text[match.end():], body_line


def _load_topics(content_dir: Path) -> tuple[Topic, ...]:
    path = content_dir / TOPICS_FILE
    source = display_path(path)
    root = parse_yaml(read_source(path), source, expected="a list of topics (- id: ..., title: ...)")
    check = Checker(source)
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(check.sequence(root, "") or []):
        where = f"[{index}]"
        fields = check.mapping(node, where, known=("id", "title"), required=("id", "title"))
        if fields is None:
            continue
        topic_id = check.text(fields["id"], f"{where}.id", pattern=ID_PATTERN,
                              hint="lower-case letters, digits and hyphens") if "id" in fields else None
        title = check.text(fields["title"], f"{where}.title") if "title" in fields else None
        if topic_id and topic_id in seen:
            check.error(fields["id"], f"{where}.id",
                        f"topic '{topic_id}' is listed twice (first at line {seen[topic_id]})")
        elif topic_id and title:
            seen[topic_id] = fields["id"].start_mark.line + 1
            topics.append(Topic(topic_id, title, fields["title"].start_mark.line + 1))
    check.raise_if_errors(f"{source} is not a valid list of topics")
    return tuple(topics)


def _load_module(path: Path, topic_ids: tuple[str, ...]) -> Module | list[Diagnostic]:
    source = display_path(path)
    try:
        text = read_source(path)
        front, body, body_line = split_front_matter(text, source)
        root = parse_yaml(front, source, line_offset=1,
                          expected="front matter (id, title, topic, audience, order, sources, reviewed)")
    except InputError as error:
        return list(error.diagnostics) or [Diagnostic(source, None, None, "", error.message)]
    check = Checker(source, line_offset=1)
    fields = check.mapping(root, "", known=MODULE_KEYS, required=REQUIRED_MODULE_KEYS)
    if fields is None:
        return check.diagnostics
    get = fields.get
    module_id = check.text(get("id"), "id", pattern=ID_PATTERN,
                           hint="lower-case letters, digits and hyphens, e.g. pacing-basics") if get("id") else None
    title = check.text(get("title"), "title") if get("title") else None
    topic = check.choice(get("topic"), "topic", topic_ids) if get("topic") else None
    audience = check.choice(get("audience"), "audience", AUDIENCES) if get("audience") else None
    order = check.integer(get("order"), "order") if get("order") else None
    summary = check.text(get("summary"), "summary") if get("summary") else ""
    sources = check.text_list(get("sources"), "sources") if get("sources") else None
    reviewed = check.date(get("reviewed"), "reviewed") if get("reviewed") else None
    when: Condition | None = None
    if get("when"):
        when_text = check.text(get("when"), "when")
        if when_text:
            try:
                when = compile_condition(when_text)
            except ConditionError as error:
                check.error(get("when"), "when", str(error))
    if check.diagnostics:
        return check.diagnostics
    assert module_id and title and topic and audience and order is not None and sources is not None and reviewed
    key_lines = tuple((key, node.start_mark.line + 2) for key, node in _key_nodes(root))  # front starts on line 2
    return Module(module_id, title, topic, audience, order, when, summary or "", sources,
                  reviewed, body, source, body_line, key_lines)


def _key_nodes(root: yaml.Node) -> list[tuple[str, yaml.Node]]:
    """The front matter's key nodes, in order (the values of a block list start a line later)."""
    if not isinstance(root, yaml.MappingNode):
        return []
    return [(key.value, key) for key, _ in root.value if isinstance(key, yaml.ScalarNode)]


def load_library(content_dir: Path) -> Library:
    """Read and check every module under `content_dir`; all problems at once."""
    if not content_dir.is_dir():
        raise InputError(f"content folder {display_path(content_dir)} does not exist")
    topics = _load_topics(content_dir)
    topic_ids = tuple(t.id for t in topics)
    modules: list[Module] = []
    problems: list[Diagnostic] = []
    first_seen: dict[str, str] = {}
    for path in sorted(content_dir.glob("*/*.md")):
        loaded = _load_module(path, topic_ids)
        if isinstance(loaded, list):
            problems.extend(loaded)
            continue
        if loaded.id in first_seen:
            problems.append(Diagnostic(loaded.path, 2, 1, "id",
                                       f"module id '{loaded.id}' is already used by {first_seen[loaded.id]}"))
            continue
        first_seen[loaded.id] = loaded.path
        if path.parent.name != loaded.topic:
            problems.append(Diagnostic(loaded.path, None, None, "topic",
                                       f"the module is in folder '{path.parent.name}/' but its topic is "
                                       f"'{loaded.topic}': move it to content/{loaded.topic}/"))
            continue
        modules.append(loaded)
    if problems:
        raise InputError(f"the content library in {display_path(content_dir)} has {counted(len(problems), 'problem')}",
                         problems)
    rank = {topic_id: index for index, topic_id in enumerate(topic_ids)}
    modules.sort(key=lambda m: (rank[m.topic], m.order, m.id))
    return Library(topics, tuple(modules))


def resolve_topic_names(names: tuple[str, ...], library: Library, source: str, field: str) -> list[Diagnostic]:
    """Problems with names in a profile's topics.include/exclude: each must be a topic or module id."""
    known = library.topic_ids + library.module_ids
    return [
        Diagnostic(source, None, None, field, f"'{name}' is neither a topic nor a module id:"
                   + (did_you_mean(name, known) or " see `handbook list-content`"))
        for name in names if name not in known
    ]
