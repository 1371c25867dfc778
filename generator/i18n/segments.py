"""Cutting a module's markdown into translatable messages, as Sphinx does it.

A module's markdown is cut into blocks (headings, paragraphs, list items, table
cells, callout titles, blockquote paragraphs) and each block is one PO message
whose msgctxt is the module id. Everything else (`:::` lines, plan calls,
`{% if %}` lines, table rules, blank lines, comments, list markers and
indentation) is structure: it is kept from the source and never shown to a
translator, so a translation cannot break it.

Why a module of its own: extraction (i18n.tools) and applying a catalogue
(i18n.translator) must cut a body the same way, and neither needs the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.content.blocks import EDITION_KINDS
from generator.content.grammar import (
    BLOCK_CLOSE,
    BLOCK_OPEN,
    FENCE,
    HEADING,
    LIST_ITEM,
    ONLY_TEMPLATE_TAGS,
    QUOTE,
    RULE,
    TABLE_RULE,
    TEMPLATE_TAG,
    table_cells,
)
from generator.content.library import Module, Topic

TOPIC_CONTEXT = "topic:"  # msgctxt of a chapter title: "topic:<id>" (never a module id: ids have no ':')

# --- segmentation -----------------------------------------------------------------------------

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

SINGLE_LINE_KINDS = ("heading", "table column heading", "table cell", "callout title", "module title",
                     "module summary", "chapter title", "key point")


@dataclass(frozen=True)
class Segment:
    """One translatable block: its text (the msgid) and how to put a translation back."""

    text: str
    kind: str  # heading, paragraph, list item, table cell, ... (the translator comment)
    line: int  # 1-based, within the body
    notes: tuple[str, ...]  # "caregiver edition only", "in a 'tip' box"
    joins: tuple[str, ...] = ()  # between the source's lines: line end and the next line's indentation
    continuation: str = "\n"  # between lines a translation adds beyond the source's

    @property
    def multiline(self) -> bool:
        return self.kind not in SINGLE_LINE_KINDS

    def comment(self) -> str:
        return "; ".join((self.kind, *self.notes))

    def place(self, text: str) -> str:
        """`text` laid out as this block: its lines joined as the source's were."""
        lines = text.split("\n")
        out = [lines[0]]
        for index, line in enumerate(lines[1:]):
            out.append(self.joins[index] if index < len(self.joins) else self.continuation)
            out.append(line)
        return "".join(out)


@dataclass(frozen=True)
class SegmentedBody:
    """A body as literal structure and numbered segments, in order."""

    pieces: tuple[str | int, ...]
    segments: tuple[Segment, ...]

    def rebuild(self, texts: Sequence[str]) -> str:
        """The body with segment i's text replaced by texts[i]; identity texts give the source."""
        return "".join(p if isinstance(p, str) else self.segments[p].place(texts[p]) for p in self.pieces)


@dataclass
class _Open:
    kind: str
    line: int
    notes: tuple[str, ...]
    quoted: bool
    lines: list[str]
    joins: list[str]
    trailing: str  # after the last line so far: trailing blanks and the line end
    continuation: str


class _Segmenter:
    def __init__(self) -> None:
        self.pieces: list[str | int] = []
        self.segments: list[Segment] = []
        self.open: _Open | None = None
        self.blocks: list[str] = []  # the `:::` kinds we are inside

    def notes(self) -> tuple[str, ...]:
        notes = [f"{kind} edition only" for kind in self.blocks if kind in EDITION_KINDS]
        notes += [f"in the '{kind}' box" for kind in self.blocks if kind not in EDITION_KINDS]
        return tuple(dict.fromkeys(notes))

    def literal(self, text: str) -> None:
        if text:
            if self.pieces and isinstance(self.pieces[-1], str):
                self.pieces[-1] += text
            else:
                self.pieces.append(text)

    def close(self) -> None:
        if self.open is None:
            return
        block, self.open = self.open, None
        self.add(Segment("\n".join(block.lines), block.kind, block.line, block.notes, tuple(block.joins),
                         block.continuation))
        self.literal(block.trailing)

    def add(self, segment: Segment) -> None:
        self.pieces.append(len(self.segments))
        self.segments.append(segment)

    def single(self, before: str, text: str, after: str, kind: str, line: int, notes: tuple[str, ...] = ()) -> None:
        """A block on one line: `before` and `after` stay as they are."""
        self.close()
        self.literal(before)
        self.add(Segment(text, kind, line, self.notes() + notes))
        self.literal(after)

    def start(self, prefix: str, text: str, trailing: str, kind: str, line: int, quoted: bool,
              continuation: str) -> None:
        self.close()
        self.literal(prefix)
        self.open = _Open(kind, line, self.notes(), quoted, [text], [], trailing, continuation)

    def extend(self, prefix: str, text: str, trailing: str) -> None:
        assert self.open is not None
        self.open.joins.append(self.open.trailing + prefix)
        self.open.lines.append(text)
        self.open.trailing = trailing


def _split_end(raw: str) -> tuple[str, str]:
    content = raw.rstrip("\r\n")
    return content, raw[len(content):]


def _table_cells(segmenter: _Segmenter, row: str, end: str, kind: str, line: int) -> None:
    """Each non-empty cell of a table row is a segment; pipes and padding stay structure."""
    segmenter.close()
    position = 0  # how much of the row is written
    start = 0  # where the cell starts in the row
    for cell in table_cells(row):
        text = cell.strip()
        if text:
            first = start + len(cell) - len(cell.lstrip())
            segmenter.literal(row[position:first])
            segmenter.add(Segment(text, kind, line, segmenter.notes()))
            position = first + len(text)
        start += len(cell) + 1  # the cell and the pipe after it
    segmenter.literal(row[position:] + end)


def has_pipe(text: str) -> bool:
    """Whether `text` has a '|' that would split a table cell (not escaped, not inside a template tag)."""
    return len(table_cells(text)) > 1


def segment_body(body: str) -> SegmentedBody:
    """Cut a module body into translatable segments and the structure around them."""
    lines = [_split_end(m.group(0)) for m in _LINES.finditer(body)]
    seg = _Segmenter()
    fence: str | None = None
    in_comment = False
    in_table = False
    for index, (content, end) in enumerate(lines):
        number = index + 1
        if in_comment or fence:
            seg.literal(content + end)
            if in_comment and "-->" in content:
                in_comment = False
            elif fence and content.strip().startswith(fence) and not content.strip().strip(fence[0]):
                fence = None
            continue
        quote = QUOTE.match(content)
        container = quote.group(0) if quote and ">" in quote.group(0) else ""
        rest = content[len(container):]
        if not rest.strip():
            seg.close()
            in_table = False
            seg.literal(content + end)
            continue
        if not container and (BLOCK_CLOSE.match(content) or BLOCK_OPEN.match(content)):
            in_table = False
            opened = BLOCK_OPEN.match(content)
            if BLOCK_CLOSE.match(content):
                seg.close()
                if seg.blocks:
                    seg.blocks.pop()
                seg.literal(content + end)
            elif opened and opened["title"] and opened["kind"] not in EDITION_KINDS:
                seg.close()
                seg.blocks.append(opened["kind"])
                seg.single(content[:opened.start("title")], opened["title"], content[opened.end("title"):] + end,
                           "callout title", number)
            else:
                seg.close()
                seg.blocks.append(opened["kind"] if opened else "")
                seg.literal(content + end)
            continue
        if rest.lstrip().startswith("<!--"):
            seg.close()
            in_comment = "-->" not in rest
            seg.literal(content + end)
            continue
        fenced = FENCE.match(rest)
        if fenced:
            seg.close()
            fence = fenced.group(1)
            seg.literal(content + end)
            continue
        if ONLY_TEMPLATE_TAGS.match(rest) or RULE.match(rest):
            seg.close()
            in_table = False
            seg.literal(content + end)
            continue
        heading = HEADING.match(rest)
        if heading and heading["text"]:
            seg.single(container + heading["prefix"], heading["text"], heading["suffix"] + end, "heading", number)
            continue
        if in_table and has_pipe(rest):
            if TABLE_RULE.match(rest):
                seg.literal(content + end)
            else:
                _table_cells(seg, content, end, "table cell", number)
            continue
        in_table = False
        if has_pipe(rest) and index + 1 < len(lines):
            following = lines[index + 1][0]
            following = following[len(container):] if following.startswith(container) else following
            if "|" in following and TABLE_RULE.match(following):
                in_table = True
                _table_cells(seg, content, end, "table column heading", number)
                continue
        item = LIST_ITEM.match(rest)
        if item:
            marker = item["prefix"]
            seg.start(container + marker, item["text"], item["suffix"] + end, "list item", number,
                      bool(container), end + (container or "") + " " * len(marker.expandtabs(4)))
            continue
        text = rest.strip()
        indent = rest[:len(rest) - len(rest.lstrip())]
        trailing = rest[len(rest.rstrip()):] + end
        if seg.open is not None and seg.open.quoted == bool(container):
            seg.extend(container + indent, text, trailing)
        else:
            kind = "blockquote" if container else "paragraph"
            seg.start(container + indent, text, trailing, kind, number, bool(container), end + container + indent)
    seg.close()
    return SegmentedBody(tuple(seg.pieces), tuple(seg.segments))


@lru_cache(maxsize=512)
def segmented(body: str) -> SegmentedBody:
    """segment_body, once per distinct body (extraction, status and builds cut the same modules)."""
    return segment_body(body)


# --- messages of a module ---------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One PO message of the content catalog."""

    id: str
    context: str
    location: tuple[str, int]
    comments: tuple[str, ...]


def source_path(module: Module) -> str:
    """Where the module lives, as PO references name it: content/<topic>/<file>.md."""
    name = module.path.replace("\\", "/").rsplit("/", 1)[-1]
    return f"content/{module.topic}/{name}"


def _keep_note(text: str) -> tuple[str, ...]:
    tags = sorted(TEMPLATE_TAG.findall(text))
    if not tags:
        return ()
    return (f"Keep {', '.join(dict.fromkeys(tags))} exactly as written: the profile fills it in.",)


def module_segments(module: Module) -> list[tuple[Segment, int]]:
    """(segment, line in the module file) for the title, the summary and every body block."""
    out = [(Segment(module.title, "module title", 0, ()), 0)]
    if module.summary:
        out.append((Segment(module.summary, "module summary", 0, ()), 0))
    body = segmented(module.body)
    out.extend((segment, module.body_line + segment.line - 1) for segment in body.segments)
    return out


def module_messages(module: Module, front_lines: dict[str, int] | None = None) -> list[Message]:
    """The module's PO messages in reading order; `front_lines` gives title/summary lines."""
    path = source_path(module)
    lines = front_lines or {}
    messages = []
    for segment, line in module_segments(module):
        if segment.kind == "module title":
            line = lines.get("title", 2)
        elif segment.kind == "module summary":
            line = lines.get("summary", 2)
        messages.append(Message(segment.text, module.id, (path, line),
                                (segment.comment(), *_keep_note(segment.text))))
    return messages


def topic_message(topic: Topic, location: tuple[str, int]) -> Message:
    return Message(topic.title, TOPIC_CONTEXT + topic.id, location, ("chapter title",))


def key_point_segment(text: str) -> Segment:
    return Segment(text, "key point", 0, ())


def key_point_messages(topic: Topic, source: str) -> list[Message]:
    """The chapter's key points (topics.yaml), in the chapter title's context."""
    editions = ((topic.key_points, "patient edition only" if topic.caregiver_key_points else ""),
                (topic.caregiver_key_points, "caregiver edition only"))
    return [Message(point.text, TOPIC_CONTEXT + topic.id, (source, point.line),
                    ("chapter key point, in the 'Key points' box at the top of the chapter"
                     + (f", {note}" if note else ""),))
            for points, note in editions for point in points]
