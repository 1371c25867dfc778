"""Reading YAML input files into node trees that remember their line numbers.

Profiles and content front matter are written by hand by people who are not
programmers, so every problem must point at a line. We therefore *compose*
YAML (nodes with marks) instead of constructing Python objects, and we reject
what PyYAML would silently accept: duplicate keys (the last one would win),
several documents, and aliases (which also closes the "billion laughs" hole).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

from generator.errors import Diagnostic, InputError, counted, display_path, unprintable
from generator.project import link_problem, special_kind

# No hand-written profile or module comes near this; a bigger file is a mistake.
MAX_BYTES = 5_000_000

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16",
}

# Hints for PyYAML's most common complaints, in the words of someone who edits by hand.
_HINTS = {
    "found character '\\t' that cannot start any token":
        "tabs cannot be used to indent YAML; use spaces",
    "mapping values are not allowed here":
        "put text that contains ': ' in quotes, or check the indentation of this line",
    "could not find expected ':'": "each line needs 'key: value'; check the line above too",
    "while scanning a quoted scalar": "a quote (' or \") is not closed",
    "found undefined alias": "aliases (*name) are not supported; write the value out",
    "expected <block end>, but found": "check the indentation: items of one list or mapping "
                                       "must start in the same column",
}


# Bidirectional embeddings, overrides and isolates (LRE ... RLO, LRI ... PDI): a name (or a
# translation) holding U+202E shows the rest of the sentence it is printed in reversed. The marks
# (LRM, RLM, ALM) only nudge one character's direction and are real Arabic and Hebrew typing, so
# they are kept. Profiles refuse these controls; translations may not add any their source lacks.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def read_source(path: Path, *, root: Path | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The text of a hand-written input file, or an InputError a person can act on.

    Only a regular file is read: a FIFO, a device or a socket is refused before it is opened
    (it could block or never end), and it is opened without blocking and checked again. With
    `root` (the project folder), a file reached through a symbolic link must lie inside it
    (`project.link_problem`): a link cannot bring another patient's profile or a system file in.
    A file over `max_bytes` is refused unread: composing megabytes of YAML takes minutes.
    """
    name = display_path(path)

    def fail(message: str, line: int | None = None) -> InputError:
        return InputError(f"cannot read {name}", [Diagnostic(name, line, None, "", message)])

    path = Path(path)
    try:
        if root is not None and (problem := link_problem(path, (root,))):
            raise fail(problem)
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise fail("this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"this is not a regular file ({special_kind(info.st_mode)}); a profile or module "
                       "is a text file")
        if info.st_size > max_bytes:
            raise fail(f"the file is too large ({info.st_size:,} bytes, at most {max_bytes:,} bytes) "
                       "to be a hand-written input")
        data = _read_regular(path, fail, max_bytes)
    except FileNotFoundError:
        raise fail("file not found") from None
    except PermissionError:
        raise fail("permission denied: the file cannot be read") from None
    except OSError as exc:
        raise fail(f"the file cannot be read: {exc.strerror or exc}") from None

    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise fail(f"the file is saved as {encoding}; save it as UTF-8")
    if b"\x00" in data:
        raise fail("this is a binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise fail(f"not UTF-8 text (byte 0x{byte:02x} at line {line}); save the file as UTF-8",
                   line) from None
    text = text.removeprefix("\ufeff")
    if _mostly_control(text):
        raise fail("this looks like a binary file, not text (it is mostly control characters)")
    return text


def _read_regular(path: Path, fail: Callable[[str], InputError], max_bytes: int) -> bytes:
    """At most `max_bytes` of a file that is still a regular file once open (it may have been swapped)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise fail(f"this is not a regular file ({special_kind(mode)}); a profile or module is a text file")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise fail(f"the file is too large (over {max_bytes:,} bytes, at most {max_bytes:,} bytes) "
                   "to be a hand-written input")
    return data


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab, line feed, return; DEL


def _mostly_control(text: str) -> bool:
    """Whether a file looks like binary junk (over a tenth of its start is control characters).

    Counted by one regular expression, not a Python loop over each character: every profile of
    a batch is read this way in the main process, beside the workers (issue 12)."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > 0.1


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer, but aliases become recorded errors instead of shared nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_marks: list[tuple[str, yaml.Mark]] = []

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(AliasEvent):
            # types-PyYAML leaves Parser.get_event unannotated. It returns the AliasEvent
            # (from this pure-Python parser: a str anchor and yaml.Mark marks).
            event = self.get_event()  # type: ignore[no-untyped-call]
            self.alias_marks.append((event.anchor, event.start_mark))
            # A placeholder keeps composing so every alias is reported, not only the first.
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


@lru_cache(maxsize=1)
def _fast_composer() -> Callable[[str], Any] | None:
    """The same composer on libyaml's events: ten times faster than the pure-Python parser.

    Used only for text it reads exactly as the pure-Python parser does (`_FAST_TEXT`) and only
    when it succeeds; anything else, errors and aliases included, is read again by `_Loader`, so
    every message stays the pure-Python parser's. On every profile, sample and content file both
    give the same nodes (values, tags, styles, start marks); libyaml writes a plain scalar's style
    as '', and an unindented list's flow_style as False where PyYAML has None (only its truth is
    read); a list's or mapping's end mark may sit after a trailing comment (none is read).
    None when PyYAML was built without libyaml (its wheels have it).
    """
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - a PyYAML built without libyaml reads everything in Python
        return None

    class FastComposer(yaml.composer.Composer, CParser, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            if self.check_event(AliasEvent):
                raise _NotFast
            return super().compose_node(parent, index)

        def compose_scalar_node(self, anchor: Any) -> yaml.ScalarNode:
            node: yaml.ScalarNode = super().compose_scalar_node(anchor)
            node.style = node.style or None
            return node

    return FastComposer


class _NotFast(Exception):
    """The fast reading gives way to the pure-Python one."""


# Text both parsers read alike: printable (as PyYAML's reader requires), no tabs (libyaml takes
# some uses that PyYAML refuses: found by the mutation test), no carriage returns, and none of
# the line breaks or marks only PyYAML's reader treats specially (NEL, LS, PS, BOM). A '?' is
# allowed here and checked after reading (`_read_alike`).
_FAST_TEXT = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                        "\U00010000-\U0010ffff]*")


def _fast_documents(text: str) -> list[yaml.Node] | None:
    """The documents of `text` read by libyaml, or None where `_Loader` must read it."""
    fast_composer = _fast_composer()
    if fast_composer is None or not _FAST_TEXT.fullmatch(text):
        return None
    try:
        composer = fast_composer(text)
        documents: list[yaml.Node] = []
        while composer.check_node():
            documents.append(composer.get_node())
    except (yaml.YAMLError, _NotFast, RecursionError, ValueError, TypeError):
        return None
    return documents if _read_alike(text, documents) else None


def _read_alike(text: str, documents: list[yaml.Node]) -> bool:
    """Whether the pure-Python parser reads these nodes of `text` as libyaml did, where they differ.

    Inside [ ] or { }, an empty value's mark is a column apart. A '?' is read alike only inside a
    quoted or block scalar, or after the first character of a plain scalar outside brackets: as
    an indicator (a complex key) or in a plain scalar inside brackets the parsers differ (PyYAML
    ends a flow plain scalar at '?'). A '?' in a comment, or anywhere else, also sends the file to
    the pure-Python parser."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[yaml.Node, bool]] = [(document, False) for document in documents]
    while stack:
        node, in_flow = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if in_flow and not node.style and not node.value:
                return False
            first = node.start_mark.index + (0 if node.style else 1)  # a plain scalar's first character
            if node.style or not in_flow:
                spans.append((first, node.end_mark.index))
            continue
        in_flow = in_flow or bool(getattr(node, "flow_style", False))
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        stack.extend((child, in_flow) for child in children)
    if "?" not in text:
        return True
    spans.sort()
    starts = [start for start, _ in spans]
    for found in re.finditer(r"\?", text):
        at = bisect.bisect_right(starts, found.start()) - 1
        if at < 0 or not spans[at][0] <= found.start() < spans[at][1]:
            return False
    return True


def parse_yaml(text: str, source: str, line_offset: int = 0, *,
               expected: str = "keys and values (key: value lines)") -> yaml.Node:
    """Compose exactly one YAML document, keeping marks; every problem is an InputError.

    `line_offset` is added to every reported line (front matter starts after a `---`
    line). `expected` says, in an empty file's message, what the file should hold.
    """
    text = text.removeprefix("\ufeff")
    fast = _fast_documents(text)
    return _checked(fast, [], text, source, line_offset, expected) if fast else \
        _parse_slowly(text, source, line_offset, expected)


def _parse_slowly(text: str, source: str, line_offset: int, expected: str) -> yaml.Node:
    def diag(mark: yaml.Mark | None, message: str, field: str = "") -> Diagnostic:
        if mark is None:
            return Diagnostic(source, None, None, field, message)
        return Diagnostic(source, mark.line + 1 + line_offset, mark.column + 1, field, message)

    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, source, line_offset) from None
    try:
        documents: list[yaml.Node] = []
        while loader.check_node():
            node = loader.get_node()
            assert node is not None, "check_node() said a document follows"
            documents.append(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(f"{source} is not valid YAML",
                         [diag(mark, _syntax_message(exc, line_offset))]) from None
    except yaml.YAMLError as exc:  # ReaderError and friends, without a mark
        raise InputError(f"{source} is not valid YAML",
                         [diag(None, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError(f"{source} is not valid YAML",
                         [diag(None, "the YAML is nested too deeply to read")]) from None
    finally:
        loader.dispose()
    return _checked(documents, loader.alias_marks, text, source, line_offset, expected)


def _checked(documents: list[yaml.Node], alias_marks: list[tuple[str, yaml.Mark]], text: str, source: str,
             line_offset: int, expected: str) -> yaml.Node:
    """The one document of a file, or an InputError listing every problem found in its nodes."""

    def diag(mark: yaml.Mark | None, message: str, field: str = "") -> Diagnostic:
        if mark is None:
            return Diagnostic(source, None, None, field, message)
        return Diagnostic(source, mark.line + 1 + line_offset, mark.column + 1, field, message)

    documents = [doc for doc in documents if not _is_empty(doc)] or documents[:1]
    if not documents or _is_empty(documents[0]):
        where = "the file" if line_offset == 0 else "the front matter"
        mark = documents[0].start_mark if documents else None
        raise InputError(f"{source} is empty",
                         [diag(mark, f"{where} is empty: expected {expected}")])

    problems = [diag(mark, f"aliases (*{anchor}) are not supported; write the value out in full")
                for anchor, mark in alias_marks]
    for extra in documents[1:]:
        problems.append(diag(extra.start_mark, "a second YAML document starts here: the file must "
                             "hold one document only (remove the extra '---' line)"))
    for field, key, first in _duplicate_keys(documents[0]):
        problems.append(diag(key.start_mark, f"duplicate key '{key.value}' "
                             f"(first at line {first.start_mark.line + 1 + line_offset})", field))
    for scalar in _scalars(documents[0]):
        if code := unprintable(scalar.value):
            problems.append(diag(scalar.start_mark, _not_text(code)))
    if problems:
        problems.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise InputError(f"{source} is not valid YAML ({counted(len(problems), 'problem')})", problems)
    return documents[0]


def _not_text(code: str) -> str:
    """Why a value holding the character `code` (U+XXXX), written as a YAML escape, is refused."""
    value = int(code[2:], 16)
    if 0xD800 <= value <= 0xDFFF:
        return (f"{code} is half of a UTF-16 surrogate pair, not a character: write the character itself "
                "(or one \\U escape, such as \\U0001F600)")
    if value in (0xFFFE, 0xFFFF):
        return f"{code} is not a character; delete it"
    return f"invisible control character {code} is not allowed in text; delete it"


def _scalars(root: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every scalar of the tree, keys too; iterative, so a deeply nested file cannot exhaust the stack."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _is_empty(node: yaml.Node) -> bool:
    """A document with nothing in it (only comments, or a bare '---')."""
    return isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None \
        and node.tag == "tag:yaml.org,2002:null"


def _reader_error(exc: yaml.reader.ReaderError, text: str, source: str,
                  line_offset: int) -> InputError:
    """PyYAML's reader rejects control characters with a position but no line: find it."""
    position, character = exc.position, exc.character
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    message = f"invisible control character {code} is not allowed in YAML; delete it"
    return InputError(f"{source} is not valid YAML",
                      [Diagnostic(source, line + line_offset, column, "", message)])


def _syntax_message(exc: yaml.MarkedYAMLError, line_offset: int) -> str:
    problem = (exc.problem or str(exc)).strip()
    context = (exc.context or "").strip()
    message = f"YAML syntax error: {problem}"
    if context and exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        message += f" ({context} at line {exc.context_mark.line + 1 + line_offset})"
    for needle, hint in _HINTS.items():
        if needle in problem or needle in context:
            return f"{message}; {hint}"
    return message


def _duplicate_keys(root: yaml.Node) -> Iterator[tuple[str, yaml.ScalarNode, yaml.Node]]:
    """Yield (field path, repeated key node, first key node) anywhere in the tree.

    Iterative, so a deeply nested file cannot exhaust the stack.
    """
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            children: list[tuple[yaml.Node, str]] = []
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    field = f"{path}.{key.value}" if path else key.value
                    if key.value in seen:
                        yield field, key, seen[key.value]
                    else:
                        seen[key.value] = key
                    children.append((value, field))
                else:
                    children.append((value, path))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            items = [(entry, f"{path}[{i}]") for i, entry in enumerate(node.value)]
            stack.extend(reversed(items))
