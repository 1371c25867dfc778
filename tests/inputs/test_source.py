"""Reading input files and composing YAML: every failure is an InputError with a place."""

from __future__ import annotations

from pathlib import Path

import os
import pytest
import yaml

from generator.errors import InputError
from generator.inputs.source import parse_yaml, read_source


def read_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_source(path)
    assert len(info.value.diagnostics) == 1
    return info.value


def parse_error(text: str, line_offset: int = 0) -> InputError:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "profiles/x.yaml", line_offset)
    assert all(d.file == "profiles/x.yaml" for d in info.value.diagnostics)
    return info.value


# -- read_source ---------------------------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path so file names in messages are short and predictable."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    return tmp_path


def test_reads_utf8_and_strips_bom(in_tmp: Path) -> None:
    path = in_tmp / "profiles" / "x.yaml"
    path.write_bytes("\ufeffpreferred_name: José\n".encode("utf-8"))
    assert read_source(path) == "preferred_name: José\n"


def test_missing_file(in_tmp: Path) -> None:
    error = read_error(Path("profiles/nobody.yaml"))
    diag = error.diagnostics[0]
    assert diag.file == "profiles/nobody.yaml"
    assert diag.message == "file not found"
    assert "profiles/nobody.yaml" in str(error)


def test_directory(in_tmp: Path) -> None:
    diag = read_error(Path("profiles")).diagnostics[0]
    assert diag.file == "profiles"
    assert "folder, not a file" in diag.message


def test_binary_junk_with_nul_bytes(in_tmp: Path) -> None:
    path = Path("profiles/x.yaml")
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    diag = read_error(path).diagnostics[0]
    assert diag.file == "profiles/x.yaml"
    assert "binary file" in diag.message


def test_mostly_control_characters(in_tmp: Path) -> None:
    path = Path("profiles/x.yaml")
    path.write_bytes(bytes(range(1, 9)) * 50)
    assert "binary file" in read_error(path).diagnostics[0].message


def test_latin1_file_is_not_utf8(in_tmp: Path) -> None:
    path = Path("profiles/x.yaml")
    path.write_bytes("handbook: 1\nid: jose\npreferred_name: José\n".encode("latin-1"))
    diag = read_error(path).diagnostics[0]
    assert diag.file == "profiles/x.yaml"
    assert diag.line == 3
    assert diag.message == "not UTF-8 text (byte 0xe9 at line 3); save the file as UTF-8"


def test_utf16_file(in_tmp: Path) -> None:
    path = Path("profiles/x.yaml")
    path.write_bytes("handbook: 1\n".encode("utf-16"))
    assert "saved as UTF-16; save it as UTF-8" in read_error(path).diagnostics[0].message


# -- parse_yaml -----------------------------------------------------------------------------


def test_composes_nodes_with_marks() -> None:
    node = parse_yaml("a: 1\nb:\n  - x\n", "profiles/x.yaml")
    assert isinstance(node, yaml.MappingNode)
    (_, _), (key_b, value_b) = node.value
    assert key_b.start_mark.line == 1
    assert isinstance(value_b, yaml.SequenceNode)


def test_syntax_error_has_line_and_column() -> None:
    error = parse_error("handbook: 1\nid: ana\ncause: Pain: since May\n")
    (diag,) = error.diagnostics
    assert (diag.line, diag.column) == (3, 12)
    assert diag.message.startswith("YAML syntax error: mapping values are not allowed here")
    assert "quotes" in diag.message
    assert str(diag).startswith("profiles/x.yaml:3:12:")


def test_tab_indentation() -> None:
    (diag,) = parse_error("goals:\n\t- walk\n").diagnostics
    assert diag.line == 2
    assert "tabs cannot be used" in diag.message


def test_unclosed_quote() -> None:
    (diag,) = parse_error("a: 1\nb: 'open\n").diagnostics
    assert "quote" in diag.message and "not closed" in diag.message


def test_syntax_error_line_offset() -> None:
    (diag,) = parse_error("a: 1\nb: [1, 2\n", line_offset=5).diagnostics
    assert diag.line == 8  # the stream ends on line 3 of the text, after 5 lines before it
    assert "at line 7" in diag.message  # where the list started, also shifted


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n# and another\n", "---\n"])
def test_empty_document(text: str) -> None:
    (diag,) = parse_error(text).diagnostics
    assert diag.message == "the file is empty: expected keys and values (key: value lines)"


def test_empty_front_matter_wording() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("\n", "content/a.md", line_offset=1, expected="front matter keys (id, title)")
    assert info.value.diagnostics[0].message == (
        "the front matter is empty: expected front matter keys (id, title)")


def test_more_than_one_document() -> None:
    (diag,) = parse_error("a: 1\n---\nb: 2\n").diagnostics
    assert diag.line == 3
    assert "one document only" in diag.message


def test_trailing_empty_document_is_harmless() -> None:
    assert isinstance(parse_yaml("---\na: 1\n---\n", "x"), yaml.MappingNode)


def test_duplicate_top_level_key_reports_both_lines() -> None:
    text = "handbook: 1\ngoals: [a]\nid: x\ngoals: [b]\n"
    (diag,) = parse_error(text).diagnostics
    assert (diag.line, diag.column) == (4, 1)
    assert diag.field == "goals"
    assert diag.message == "duplicate key 'goals' (first at line 2)"


def test_duplicate_nested_keys_all_reported() -> None:
    text = (
        "pacing:\n"
        "  weeks: 8\n"
        "  activities:\n"
        "    - name: Walking\n"
        "      unit: minutes\n"
        "      name: Typing\n"
        "  weeks: 9\n"
    )
    error = parse_error(text, line_offset=1)
    assert [(d.line, d.field, d.message) for d in error.diagnostics] == [
        (7, "pacing.activities[0].name", "duplicate key 'name' (first at line 5)"),
        (8, "pacing.weeks", "duplicate key 'weeks' (first at line 3)"),
    ]
    assert "2 problems" in error.message


def test_aliases_are_refused() -> None:
    text = "a: &x [1, 2]\nb: *x\nc: *x\n"
    error = parse_error(text)
    assert [d.line for d in error.diagnostics] == [2, 3]
    assert error.diagnostics[0].message.startswith("aliases (*x) are not supported")


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    error = parse_error("\n".join(lines) + "\n")
    assert "aliases" in error.diagnostics[0].message


def test_control_character_in_text() -> None:
    (diag,) = parse_error("a: 1\nb: x\x07y\n").diagnostics
    assert (diag.line, diag.column) == (2, 5)
    assert "control character U+0007" in diag.message


def test_deep_nesting_does_not_escape_as_recursion_error() -> None:
    (diag,) = parse_error("[" * 600 + "]" * 600).diagnostics
    assert "nested too deeply" in diag.message


# -- hostile files: special files, links out of the project, characters that are no text ---------


def _refused_within(seconds: int, call):  # type: ignore[no-untyped-def]
    """Run `call`, turning a hang into a test failure instead of a stuck suite."""
    import signal

    def hung(*_args: object) -> None:
        raise AssertionError(f"hung for {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        with pytest.raises(InputError) as info:
            call()
        return info.value
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_fifo_is_refused_without_hanging(in_tmp: Path) -> None:
    import os

    fifo = in_tmp / "profiles" / "x.yaml"
    os.mkfifo(fifo)
    error = _refused_within(5, lambda: read_source(fifo))
    assert "not a regular file" in str(error) and "FIFO" in str(error)


def test_a_device_is_refused_not_read_forever(in_tmp: Path) -> None:
    error = _refused_within(5, lambda: read_source(Path("/dev/zero")))
    assert "not a regular file" in str(error)


def test_a_link_out_of_the_project_is_refused(in_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "other-patient.yaml"
    outside.write_text("preferred_name: Someone else\n", encoding="utf-8")
    link = in_tmp / "profiles" / "x.yaml"
    link.symlink_to(outside)
    error = read_error_within(link, in_tmp)
    assert "outside the project" in str(error)
    assert "Someone else" not in str(error)


def test_a_link_inside_the_project_is_read(in_tmp: Path) -> None:
    real = in_tmp / "profiles" / "real.yaml"
    real.write_text("preferred_name: Kim\n", encoding="utf-8")
    link = in_tmp / "profiles" / "x.yaml"
    link.symlink_to(real)
    assert read_source(link, root=in_tmp) == "preferred_name: Kim\n"


def test_a_folder_linked_out_of_the_project_is_refused(in_tmp: Path,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "x.yaml").write_text("preferred_name: Someone else\n", encoding="utf-8")
    (in_tmp / "profiles" / "shared").symlink_to(elsewhere)
    error = read_error_within(in_tmp / "profiles" / "shared" / "x.yaml", in_tmp)
    assert "outside the project" in str(error)


def read_error_within(path: Path, root: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_source(path, root=root)
    assert len(info.value.diagnostics) == 1
    return info.value


@pytest.mark.parametrize(("escaped", "shown"), [
    ("\\ud800", "U+D800"), ("\\udfff", "U+DFFF"), ("\\x1b[31m", "U+001B"), ("\\x07", "U+0007"),
    ("\\x85", "U+0085"), ("\\x00", "U+0000"), ("\\x7f", "U+007F"), ("\\uffff", "U+FFFF"),
])
def test_characters_that_are_no_text_are_refused_where_they_are_written(escaped: str, shown: str) -> None:
    error = parse_error(f'a: 1\nname: "Jo{escaped} Smith"\n')
    assert [(d.line, d.column) for d in error.diagnostics] == [(2, 7)]
    message = str(error)
    assert shown in message
    assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) < 0xA0 or 0xD800 <= ord(ch) < 0xE000
                   for ch in message), message


def test_escaped_emoji_tabs_and_line_breaks_are_text() -> None:
    node = parse_yaml('name: "Jo \\U0001F600\\tand\\nmore"\n', "profiles/x.yaml")
    assert node.value[0][1].value == "Jo \U0001F600\tand\nmore"


def test_a_control_character_in_a_key_is_refused_too() -> None:
    error = parse_error('"a\\x1b": 1\n')
    assert "U+001B" in str(error)


# -- libyaml's fast reading gives what the pure-Python reading gives -------------------------


def _nodes(node: yaml.Node) -> list[tuple[object, ...]]:
    """Every node in document order: kind, tag, value, style, flow or not, and marks.

    (A list written without indentation has flow_style None from PyYAML, False from libyaml, and
    a list's or mapping's end may be placed after a trailing comment: neither is ever read.)"""
    found: tuple[object, ...] = (type(node).__name__, node.tag, getattr(node, "style", None),
                                 bool(getattr(node, "flow_style", None)), node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return [(*found, node.value, node.end_mark.line, node.end_mark.column)]
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return [found, *(row for child in children for row in _nodes(child))]


def _both(text: str) -> tuple[object, object]:
    from generator.inputs.source import _parse_slowly

    def outcome(read) -> object:
        try:
            return _nodes(read())
        except InputError as error:
            return str(error), [str(d) for d in error.diagnostics]

    return (outcome(lambda: parse_yaml(text, "profiles/x.yaml")),
            outcome(lambda: _parse_slowly(text.removeprefix("\ufeff"), "profiles/x.yaml", 0,
                                          "keys and values (key: value lines)")))


REPO_YAML = sorted({*Path(__file__).resolve().parents[2].glob("profiles/*.yaml"),
                    *Path(__file__).resolve().parents[2].glob("content/*.yaml")})


@pytest.mark.parametrize("path", REPO_YAML, ids=lambda p: p.name)
def test_the_fast_reading_gives_the_same_nodes_as_the_pure_python_one(path: Path) -> None:
    from generator.inputs.source import _fast_documents

    text = path.read_text(encoding="utf-8")
    assert _fast_documents(text) is not None, "every sample profile and library file is read the fast way"
    fast, slow = _both(text)
    assert fast == slow and isinstance(fast, list)


@pytest.mark.parametrize(("text", "fast"), [
    ('a: "Need to talk? 1737"\n', True), ("a: Can I walk? Yes\n", True), ("a: |\n  Why?\n", True),
    ("a: [b?c]\n", False),  # PyYAML ends a plain scalar at '?' inside brackets; libyaml does not
    ("? a\n: b\n", False), ("a: ?b\n", False), ("a: 1  # why?\n", False), ("a: [1, 2: ]\n", False)])
def test_a_question_mark_is_read_the_fast_way_only_where_both_parsers_agree(text: str, fast: bool) -> None:
    from generator.inputs.source import _fast_documents

    assert (_fast_documents(text) is not None) == fast
    assert _both(text)[0] == _both(text)[1]


def test_mutated_files_give_the_same_nodes_or_the_same_messages_either_way() -> None:
    """Bytes deleted, inserted and repeated (tabs, quotes, colons, dashes, anchors, odd line breaks):
    whatever the fast reading accepts it reads as the pure-Python one does, and what it cannot
    read is left to the pure-Python one, so every message is the one users saw before."""
    import random

    pieces = ["\t", "'", '"', ": ", "- ", "&a ", "*a", "{", "[", "\r\n", "\x85", "\u2028", "\ufeff", "\x07", "é", "# ",
              "\n  ", "|\n", ">-\n", "!!str ", "? ", "?", " ?", "\n? ", "?\n", "---\n", "...\n", "%YAML 1.1\n", "\\"]
    chance = random.Random(12)
    texts = [p.read_text(encoding="utf-8") for p in REPO_YAML]
    for _ in range(int(os.environ.get("MUT", "400"))):
        text = chance.choice(texts)
        for _ in range(chance.randint(1, 4)):
            at = chance.randrange(len(text))
            kind = chance.random()
            if kind < 0.4:
                text = text[:at] + chance.choice(pieces) + text[at:]
            elif kind < 0.7:
                text = text[:at] + text[at + chance.randint(1, 20):]
            else:
                line_end = text.find("\n", at) + 1 or len(text)
                text = text[:line_end] + text[at:line_end] + text[line_end:]
        fast, slow = _both(text)
        assert fast == slow, text
