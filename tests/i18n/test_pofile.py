"""A PO file's text is checked before Babel reads it: every problem names the file and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.i18n.catalogs import read_catalog

HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # lines 1-4
ENTRY = '#: templates/_cover.html:3\nmsgid "Your handbook"\nmsgstr "Su manual"\n'  # lines 5-7


def problem(tmp_path: Path, data: bytes) -> tuple[int | None, str]:
    path = tmp_path / "messages.po"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_catalog(path)
    assert caught.value.message == f"{path} is not a valid PO file" or "messages.po" in caught.value.message
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file.endswith("messages.po")
    return diagnostic.line, diagnostic.message


BROKEN_LINES = {  # from the adversarial review of issue 12: each was read silently, or said "line 0"
    "a missing closing quote": (ENTRY.replace('"Su manual"', '"Su manual'), 7, "does not end with a '\"'"),
    "a missing closing quote and another line": (ENTRY.replace('"Su manual"', '"Su manual\n" y más"'), 7,
                                                 "does not end"),
    "a stray quote inside": (ENTRY.replace('"Su manual"', '"Su "manual"'), 7, "does not end"),
    "a line that is no PO": (ENTRY + "Su manual\n", 8, "expected a keyword"),
    "a misspelt keyword": (ENTRY.replace("msgstr", "msgtsr"), 7, "expected a keyword"),
    "binary junk": (ENTRY + "\x01\x02\x03junk\n", 8, "U+0001"),
    "an escape character": (ENTRY.replace("Su manual", "Su \x1b[31mmanual"), 7, "U+001B"),
    "a bell": (ENTRY.replace("Su manual", "Su manual\x07"), 7, "U+0007"),
    "a NUL": (ENTRY.replace("Su manual", "Su \x00 ZZ"), 7, "U+0000"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_LINES))
def test_a_broken_line_is_an_error_at_its_line(tmp_path: Path, case: str) -> None:
    entry, line, expected = BROKEN_LINES[case]
    found = problem(tmp_path, (HEAD + entry).encode("utf-8"))
    assert found[0] == line and expected in found[1], found


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path: Path) -> None:
    data = (HEAD + ENTRY).encode("utf-8").replace("Su manual".encode(), "Su manual".encode() + b"\xed")
    assert problem(tmp_path, data) == (7, "not UTF-8 text (byte 0xed at line 7); save the file as UTF-8")


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    assert problem(tmp_path, (HEAD + ENTRY).encode("utf-16")) == (1, "the file is saved as UTF-16; save it as UTF-8")


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + ENTRY).encode("utf-8"))
    assert read_catalog(path).get("Your handbook").string == "Su manual"


def test_good_files_with_every_kind_of_line_are_read(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_text(HEAD.replace("\n", "\r\n") + ENTRY + '#, fuzzy\n#| msgid "Old"\nmsgid ""\n"Two "\n"lines"\n'
                    'msgstr "Dos \\"líneas\\"\\n\\t"\n\nmsgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Uno"\n'
                    'msgstr[1]  "Muchos"  \n\n#~ msgid "Gone"\n#~ msgstr "Ido"\n', encoding="utf-8")
    catalog = read_catalog(path)
    assert catalog.get("Your handbook").string == "Su manual"
    assert catalog.get("Two lines").string == 'Dos "líneas"\n\t'
    assert catalog.get("One").string == ("Uno", "Muchos")


def test_a_control_character_written_as_an_escape_is_refused_at_its_entry(tmp_path: Path) -> None:
    found = problem(tmp_path, (HEAD + ENTRY.replace("Su manual", "Su\\r manual")).encode("utf-8"))
    assert found == (6, "the translation holds U+000D, an invisible control character, which is not text: delete it")


def test_a_header_field_after_a_blank_line_cannot_hide_from_the_header_checks(tmp_path: Path) -> None:
    """Babel joined '"Plural-Forms: nplurals=1000000000..."' after a blank line to the header, where
    the header checks (which stop at the blank line) never saw it."""
    data = HEAD.replace("\n\n", '\n\n"Plural-Forms: nplurals=1000000000; plural=n;\\n"\n\n') + ENTRY
    assert problem(tmp_path, data.encode("utf-8")) == (5, "a quoted continuation must follow its msgid or msgstr "
                                                          "line directly, without a blank line or comment between them")
