"""A PO file's text checked before Babel reads it, each problem an InputError with the PO line.

Babel reads leniently: an entry whose closing quote is missing loses a character silently, a
BOM or binary junk is "misformatted keyword on 0", bytes that are not UTF-8 a byte offset, and a
broken header a traceback or a billion plural forms. So the file is read here first: its
encoding, every line (a keyword with a quoted string, a quoted continuation, a comment or a
blank line, and no control character), then its header's charset and Plural-Forms.
"""

from __future__ import annotations

import codecs
import gettext
import re
from pathlib import Path

from generator.errors import NOT_TEXT, Diagnostic, InputError, display_path

MAX_PLURALS = 6  # Arabic has the most plural forms of any language (CLDR): zero, one, two, few, many, other
_CHARSET = re.compile(r"charset\s*=\s*([^\s;\\]+)", re.I)
_NPLURALS = re.compile(r"nplurals\s*=\s*([^;\s]*)", re.I)
_PLURAL = re.compile(r"plural\s*=\s*([^;\\]*)", re.I)
_HEADER_START = re.compile(rb'^msgid\s+""\s*\nmsgstr\s+', re.M)
_QUOTED = re.compile(rb'^\s*"(.*)"\s*$')


def _header_fields(data: bytes) -> list[tuple[str, str, int]]:
    """(field name, value, line) of the header entry (msgid ""), its quoted pieces joined
    as gettext joins them, so a field wrapped over two lines is read whole."""
    start = _HEADER_START.search(data[:50_000])
    if not start:
        return []
    text, lines = "", []  # the header's text, and the file line of each of its characters' pieces
    line = data.count(b"\n", 0, start.end()) + 1
    for raw in data[start.end():].split(b"\n"):
        quoted = _QUOTED.match(raw)
        if not quoted or len(text) > 20_000:
            break
        piece = quoted.group(1).decode("utf-8", "replace").replace("\\n", "\n").replace('\\"', '"')
        lines.extend([line] * len(piece))
        text += piece
        line += 1
    fields, offset = [], 0
    for entry in text.split("\n"):
        name, colon, value = entry.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), value, lines[offset] if offset < len(lines) else line))
        offset += len(entry) + 1
    return fields


def header_problem(path: Path, data: bytes) -> None:
    """InputError naming the PO file and line when its header's charset or Plural-Forms is broken.

    Babel and gettext would otherwise fail with a traceback on an unknown charset, run out of
    memory on an `nplurals` of a billion, or fail on a `plural` expression that does not parse
    or divides by zero.
    """
    for name, value, line in _header_fields(data):
        field = name.lower()
        if "charset=CHARSET" in value:  # xgettext's placeholder in a template (.pot), which Babel reads
            continue
        problem = _charset_problem(value) if field == "content-type" else \
            _plural_problem(value) if field == "plural-forms" else None
        if problem:
            raise InputError(f"{display_path(path)} has a broken header",
                             [Diagnostic(display_path(path), line, None, name, problem)])


def _charset_problem(value: str) -> str | None:
    found = _CHARSET.search(value)
    if not found:
        return None
    charset = found.group(1)
    try:
        codecs.lookup(charset)
        usable = "msgid".encode(charset) == b"msgid"
    except (LookupError, ValueError, UnicodeError):
        usable = False
    return None if usable else f"unknown or unusable charset '{charset[:40]}': write charset=UTF-8"


def _plural_problem(value: str) -> str | None:
    count, expression = _NPLURALS.search(value), _PLURAL.search(value)
    if not count or not count.group(1).isdigit() or not 1 <= int(count.group(1)) <= MAX_PLURALS:
        shown = count.group(1)[:20] if count else "nothing"
        return (f"nplurals is {shown!r}: expected a number from 1 to {MAX_PLURALS}, "
                "e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'")
    if not expression:
        return "no plural expression: expected e.g. 'plural=(n != 1);'"
    try:
        plural = gettext.c2py(expression.group(1).strip())
        forms = {plural(n) for n in range(1000)}
    except (ValueError, ArithmeticError, RecursionError, TypeError):
        return f"the plural expression {expression.group(1).strip()[:60]!r} does not parse or fails for some numbers"
    if not forms <= set(range(int(count.group(1)))):
        return f"the plural expression gives form {max(forms)}, but nplurals is {count.group(1)}"
    return None


_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16",
               b"\xfe\xff": "UTF-16"}
_KEYWORD = re.compile(r'\s*(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s"])\s*')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*')


def _fail(path: Path, line: int | None, message: str) -> InputError:
    return InputError(f"{display_path(path)} is not a valid PO file",
                      [Diagnostic(display_path(path), line, None, "", message)])


def _line_problem(line: str) -> str | None:
    """Why one line of a PO file is not PO, or None."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    keyword = _KEYWORD.match(line)
    rest = line[keyword.end():] if keyword else line.lstrip()
    if not rest.startswith('"'):
        return ("expected a keyword (msgid, msgstr, msgctxt, msgid_plural, msgstr[n]) with a quoted string, "
                "a quoted continuation or a # comment")
    if not _STRING.fullmatch(rest):
        return 'the quoted string does not end with a \'"\' on this line (write \\" for a quote inside it)'
    return None


def checked_po(path: Path, data: bytes) -> bytes:
    """The bytes Babel should read (a UTF-8 BOM dropped), or InputError naming the PO file and line."""
    for bom, encoding in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise _fail(path, 1, f"the file is saved as {encoding}; save it as UTF-8")
    data = data.removeprefix(_UTF8_BOM)
    header_problem(path, data)
    charset = next((found.group(1) for name, value, _ in _header_fields(data)
                    if name.lower() == "content-type" and (found := _CHARSET.search(value))), "utf-8")
    if "CHARSET" in charset:  # xgettext's placeholder in a template (.pot)
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as error:
        where = data.count(b"\n", 0, error.start) + 1
        raise _fail(path, where, f"not {charset} text (byte 0x{data[error.start]:02x} at line {where}); "
                    "save the file as UTF-8") from None
    in_string = False  # whether the line before holds a string this line may continue
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if found := NOT_TEXT.search(line):
            raise _fail(path, number, f"invisible control character U+{ord(found.group()):04X} is not allowed in "
                        "a PO file; delete it")
        if problem := _line_problem(line):
            raise _fail(path, number, problem)
        if line.lstrip().startswith('"') and not in_string:  # Babel would still join it, unseen by the checks
            raise _fail(path, number, "a quoted continuation must follow its msgid or msgstr line directly, "
                        "without a blank line or comment between them")
        in_string = line.lstrip().startswith(('"', "msg"))
    return data
