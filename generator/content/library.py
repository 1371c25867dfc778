"""The content library: topics (chapters) and markdown modules with front matter.

The whole library is read and checked before anything is built, and every
problem of every file is reported at once with file:line, as for profiles.
Modules cite the bibliography (content/sources.yaml, sources.py) by key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.content.conditions import Condition, ConditionError, compile_condition
from generator.content.limits import MAX_MODULE_FILE
from generator.content.sandbox import content_problems
from generator.content.services import ServiceTable, load_services
from generator.content.sources import Source, load_sources
from generator.errors import Diagnostic, InputError, counted, did_you_mean, display_path, unprintable
from generator.inputs.checker import ID_PATTERN, Checker
from generator.inputs.source import parse_yaml, read_source
from generator.profile.model import EDITIONS

AUDIENCES: tuple[str, ...] = (*EDITIONS, "both")
MODULE_KEYS = ("id", "title", "topic", "audience", "order", "when", "summary", "sources", "reviewed",
               "reviewed_by", "review_months")
REQUIRED_MODULE_KEYS = ("id", "title", "topic", "audience", "order", "sources", "reviewed", "reviewed_by")
TOPICS_FILE = "topics.yaml"
REVIEW_MONTHS = 24  # how long a review holds when a module does not say (`review_months`)
ABOUT_TOPIC = "about-this-handbook"  # the closing chapter every handbook gets (render/about.py), not a library topic


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 January + 1 month: 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


TOPIC_MODULE = "topic:"  # how a chapter's key points are named in messages: "topic:pacing"
MAX_KEY_POINTS = 3  # PEMAT-P: a chapter opens with three or fewer key points (docs/content-format.md)
KEY_POINT_EDITIONS = {"key_points": "both", "caregiver_key_points": "caregiver"}


@dataclass(frozen=True)
class KeyPoint:
    """One plain sentence a chapter opens with, and its line in topics.yaml."""

    text: str
    line: int
    when: Condition | None = None  # shown only to readers for whom it holds (as a module's `when`)


FRONT_MATTER_OFFSET = 1  # the front matter starts below the opening '---': its line 1 is the file's line 2

@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    line: int = 1  # of its title in topics.yaml, for messages and translators' references
    key_points: tuple[KeyPoint, ...] = ()  # for both editions (patient and, unless given, caregiver)
    caregiver_key_points: tuple[KeyPoint, ...] = ()  # the caregiver edition's own, speaking to the helper
    path: str = "content/topics.yaml"  # as shown in messages

    def key_points_for(self, edition: str, names: Mapping[str, Any] | None = None) -> tuple[KeyPoint, ...]:
        """The key points a reader of `edition` sees: with the profile's `names`, only those whose
        `when` holds for it (ConditionError, placed in topics.yaml, when one cannot be decided)."""
        points = self.caregiver_key_points if edition == "caregiver" and self.caregiver_key_points \
            else self.key_points
        if names is None:
            return points
        shown = tuple(point for point in points if point.when is None or self._holds(point, names))
        if len(shown) > MAX_KEY_POINTS:
            raise ConditionError(f"{len(shown)} key points apply to this reader: a chapter opens with at most "
                                 f"{MAX_KEY_POINTS}; make their `when` conditions exclude each other").at(
                self.path, self.line, TOPIC_MODULE + self.id)
        return shown

    def _holds(self, point: KeyPoint, names: Mapping[str, Any]) -> bool:
        assert point.when is not None
        try:
            return point.when.evaluate(dict(names))
        except ConditionError as error:
            raise error.at(self.path, point.line, TOPIC_MODULE + self.id) from None


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    topic: str
    audience: str  # patient | caregiver | both
    order: int
    when: Condition | None
    summary: str
    sources: tuple[str, ...]  # keys of the bibliography (content/sources.yaml)
    reviewed: dt.date
    body: str
    path: str  # as shown in messages
    body_line: int  # line of the file where the body starts
    key_lines: tuple[tuple[str, int], ...] = ()  # (front-matter key, its line in the file)
    reviewed_by: str = ""  # who checked it, a person or a role
    review_months: int = REVIEW_MONTHS  # how long the review holds

    @property
    def review_due(self) -> dt.date:
        """The day by which the module must be reviewed again: `check-content` fails after it."""
        return add_months(self.reviewed, self.review_months)

    def for_edition(self, edition: str) -> bool:
        return self.audience in ("both", edition)

    def line_of(self, key: str) -> int | None:
        """The file line of a front-matter key, so a message can point at `when:` or `title:`."""
        return dict(self.key_lines).get(key)


@dataclass(frozen=True)
class Library:
    topics: tuple[Topic, ...]
    modules: tuple[Module, ...]  # in chapter order, then module order
    sources: tuple[Source, ...] = ()  # the bibliography, in file order
    services: ServiceTable = ServiceTable()  # emergency and crisis numbers by country (services.py)

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)

    def cited_by(self, modules: tuple[Module, ...]) -> tuple[Source, ...]:
        """The bibliography entries `modules` cite, in bibliography order."""
        cited = {key for m in modules for key in m.sources}
        return tuple(s for s in self.sources if s.key in cited)

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
        fields = check.mapping(node, where, known=("id", "title", *KEY_POINT_EDITIONS), required=("id", "title"))
        if fields is None:
            continue
        topic_id = check.text(fields["id"], f"{where}.id", pattern=ID_PATTERN,
                              hint="lower-case letters, digits and hyphens") if "id" in fields else None
        title = check.text(fields["title"], f"{where}.title") if "title" in fields else None
        points = {key: _key_points(check, fields[key], f"{where}.{key}") if key in fields else ()
                  for key in KEY_POINT_EDITIONS}
        if topic_id and topic_id in seen:
            check.error(fields["id"], f"{where}.id",
                        f"topic '{topic_id}' is listed twice (first at line {seen[topic_id]})")
        elif topic_id == ABOUT_TOPIC:
            check.error(fields["id"], f"{where}.id", f"'{ABOUT_TOPIC}' is the chapter every handbook ends with, "
                        "made by the generator: give the topic another id")
        elif topic_id and title:
            seen[topic_id] = fields["id"].start_mark.line + 1
            topics.append(Topic(topic_id, title, fields["title"].start_mark.line + 1,
                                points["key_points"], points["caregiver_key_points"], source))
    check.raise_if_errors(f"{source} is not a valid list of topics")
    return tuple(topics)


def _key_points(check: Checker, node: yaml.Node, path: str) -> tuple[KeyPoint, ...]:
    """Plain sentences, each on one line, without template tags: at most MAX_KEY_POINTS for
    everyone, and more only as alternatives for some readers (`{text: ..., when: ...}`)."""
    items = check.sequence(node, path)
    if items is None:
        return ()
    if not items:
        check.error(node, path, "expected 1 to 3 key points, got an empty list (leave the key out instead)")
        return ()
    points = []
    for index, entry in enumerate(items):
        where = f"{path}[{index}]"
        when: Condition | None = None
        if isinstance(entry, yaml.MappingNode):
            fields = check.mapping(entry, where, known=("text", "when"), required=("text", "when"))
            if not fields or "text" not in fields:
                continue
            text_node = fields["text"]
            if "when" in fields and (condition := check.text(fields["when"], f"{where}.when")) is not None:
                try:
                    when = compile_condition(condition)
                except ConditionError as error:
                    check.error(fields["when"], f"{where}.when", error.message)
                    continue
        else:
            text_node = entry
        text = check.text(text_node, where)
        if text is None:
            continue
        if "\n" in text.strip() or "{{" in text or "{%" in text:
            check.error(text_node, where, "a key point is one line of plain text, without {{ }} or {% %}")
            continue
        points.append(KeyPoint(text.strip(), text_node.start_mark.line + 1, when))
    for_everyone = [point for point in points if point.when is None]
    if len(for_everyone) > MAX_KEY_POINTS or len(items) > 2 * MAX_KEY_POINTS:
        check.error(items[MAX_KEY_POINTS], path, f"{len(for_everyone)} key points for every reader: a chapter "
                    f"opens with at most {MAX_KEY_POINTS} (PEMAT-P); keep the {MAX_KEY_POINTS} that matter most, "
                    "or give the others a `when`")
        return ()
    return tuple(points)


def _load_module(path: Path, topic_ids: tuple[str, ...], source_keys: tuple[str, ...] | None
                 ) -> Module | list[Diagnostic]:
    """One module, or its problems; with `source_keys` None (a broken bibliography) its keys go unchecked."""
    source = display_path(path)
    try:
        text = read_source(path, max_bytes=4 * MAX_MODULE_FILE)  # UTF-8 has at most 4 bytes a character
        if len(text) > MAX_MODULE_FILE:  # markdown would read it for seconds in every handbook
            return [Diagnostic(source, None, None, "", f"the module has {len(text):,} characters: at most "
                               f"{MAX_MODULE_FILE:,} are allowed; split it into several modules")]
        front, body, body_line = split_front_matter(text, source)
        root = parse_yaml(front, source, line_offset=FRONT_MATTER_OFFSET,
                          expected="front matter (id, title, topic, audience, order, sources, reviewed, reviewed_by)")
    except InputError as error:
        return list(error.diagnostics) or [Diagnostic(source, None, None, "", error.message)]
    check = Checker(source, line_offset=FRONT_MATTER_OFFSET)
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
    sources = check.text_list(get("sources"), "sources", choices=source_keys, what="source") if get("sources") else None
    reviewed = check.date(get("reviewed"), "reviewed") if get("reviewed") else None
    reviewed_by = check.text(get("reviewed_by"), "reviewed_by") if get("reviewed_by") else None
    review_months = (check.integer(get("review_months"), "review_months", minimum=1, maximum=120)
                     if get("review_months") else REVIEW_MONTHS)
    when: Condition | None = None
    if get("when"):
        when_text = check.text(get("when"), "when")
        if when_text:
            try:
                when = compile_condition(when_text)
            except ConditionError as error:
                check.error(get("when"), "when", str(error))
    for line, message in content_problems(body):  # what no body may do (something random)
        check.diagnostics.append(Diagnostic(source, body_line + line - 1, None, "", message))
    for number, line_text in enumerate(body.split("\n"), start=body_line):  # pages are text: no ESC, no BEL
        if code := unprintable(line_text.removesuffix("\r")):
            check.diagnostics.append(Diagnostic(source, number, None, "", f"invisible control character {code} "
                                                "is not allowed in text; delete it"))
    if check.diagnostics:
        return check.diagnostics
    assert module_id and title and topic and audience and order is not None and sources is not None and reviewed
    assert reviewed_by and review_months
    key_lines = tuple((key, node.start_mark.line + 1 + FRONT_MATTER_OFFSET) for key, node in _key_nodes(root))
    return Module(module_id, title, topic, audience, order, when, summary or "", sources,
                  reviewed, body, source, body_line, key_lines, reviewed_by, review_months)


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
    services, problems = load_services(content_dir)  # the table's problems are reported with the modules'
    sources: tuple[Source, ...] = ()
    source_keys: tuple[str, ...] | None = None
    try:
        sources = load_sources(content_dir)
        source_keys = tuple(s.key for s in sources)
    except InputError as error:  # the bibliography's problems too
        problems.extend(error.diagnostics)
    first_seen: dict[str, str] = {}
    for path in sorted(content_dir.glob("*/*.md")):
        loaded = _load_module(path, topic_ids, source_keys)
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
    return Library(topics, tuple(modules), sources, services)


def resolve_topic_names(names: tuple[str, ...], library: Library, source: str, field: str,
                        places: Mapping[str, tuple[int, int]] | None = None) -> list[Diagnostic]:
    """Problems with names in a profile's topics.include/exclude: each must be a topic or module id,
    reported at its line and column (`places`, the loader's, by field path) like every other problem."""
    known = library.topic_ids + library.module_ids
    problems = []
    for index, name in enumerate(names):
        if name not in known:
            path = f"{field}[{index}]"
            line, column = (places or {}).get(path, (None, None))
            problems.append(Diagnostic(source, line, column, path, f"'{name}' is neither a topic nor a module id:"
                                       + (did_you_mean(name, known) or " see `handbook list-content`")))
    return problems
