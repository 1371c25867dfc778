"""Saving a profile edited in a form, keeping what the clinician wrote by hand.

A profile is a hand-written file: its comments, key order and layout are the clinician's.
`updated_text` changes only the values that differ (ruamel.yaml round-trip), puts a new key
where the format's key order (load.KEYS) says, removes what the form emptied, and keeps every
top-level section whose values did not change byte for byte as it was. The text written must
read back (with PyYAML, as the loader reads it) as exactly the values meant, or nothing is
written. `write_atomically` replaces the file in one step, so a failed save leaves it as it was;
`profile_file` is the one way from a profile id to a file the studio may write.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from generator.errors import InputError, display_path
from generator.inputs.checker import boolean_of, child, is_null, item, number_of
from generator.inputs.source import parse_yaml
from generator.language import N_
from generator.profile.fields import spec_of
from generator.profile.load import EXPECTED, KEYS, id_problem
from generator.project import PROFILE_SUFFIXES

_INDEX = re.compile(r"\[[0-9]+\]")
_WORD = re.compile(r"[A-Za-z0-9-]+")
_STR = "tag:yaml.org,2002:str"


class SaveError(InputError):
    """A profile that could not be saved; the file is as it was.

    Its message is an interface string (`template`, marked N_ for extraction) and the `values`
    of its %(name)s placeholders, so the studio can say it in its own language (`said_in`).
    """

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template % values)
        self.template = template
        self.values = values

    def said_in(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext` (English when it has no translation)."""
        return gettext(self.template) % self.values


def plain(value: Any) -> Any:
    """A YAML value as plain Python (dict, list, str, int, float, bool, date, None), for comparing."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, ScalarString):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def values_as_written(root: yaml.Node | None, path: str = "") -> Any:
    """A profile's values as the loader reads them (inputs/checker.py): text exactly as written
    (`No`, `12:30`, `NO` and `2026-01-05` stay text), a truth only in a box, a number only in a
    number's field. PyYAML's own reading (YAML 1.1) takes `No` for false and `12:30` for 750: the
    form showed those and wrote them back as the patient's name and a clinician called "750"."""
    if isinstance(root, yaml.MappingNode):
        return {str(key.value): values_as_written(value, child(path, str(key.value)))
                for key, value in root.value if isinstance(key, yaml.ScalarNode)}
    if isinstance(root, yaml.SequenceNode):
        return [values_as_written(entry, item(path, index)) for index, entry in enumerate(root.value)]
    if not isinstance(root, yaml.ScalarNode) or is_null(root):
        return None
    spec = spec_of(path)
    if spec is None and path.endswith("]"):  # an item of a list of numbers (pacing.activities[].recent)
        spec = spec_of(path[:path.rindex("[")])
    kind = spec.kind if spec else "text"
    if kind == "checkbox":
        truth = boolean_of(root)
        return root.value if truth is None else truth
    if kind in ("number", "integer", "numbers", "const"):
        number = number_of(root)
        return root.value if number is None else number
    return root.value


def read_as_written(text: str, source: str) -> Any:
    """`values_as_written` of a profile's text, read as strictly as the loader reads it."""
    return values_as_written(parse_yaml(text, source, expected=EXPECTED))


def is_empty(value: Any) -> bool:
    """Nothing said: None, blank text, an empty list, or a mapping of empty values."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, list):
        return not value
    if isinstance(value, Mapping):
        return all(is_empty(item) for item in value.values())
    return False


def _round_trip(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML set to the file's own indentation, and the file's document."""
    try:
        _, indent, offset = load_yaml_guess_indent(text)
        handler = YAML()
        handler.preserve_quotes = True
        handler.width = 4096  # never fold a long line the clinician wrote on one line
        handler.indent(mapping=2, sequence=indent or 4, offset=offset if offset is not None else 2)
        return handler, handler.load(text)
    except RuamelError as error:
        raise SaveError(N_("the file cannot be edited in the form: it is not valid YAML (%(error)s)"),
                        error=str(error)) from None


def updated_text(text: str, data: Mapping[str, Any]) -> str:
    """`text` (a profile) with the values of `data`, its comments, order and untouched parts kept.

    `data` holds plain values (no empty ones); a key `data` lacks is removed from the file unless
    the file's value is empty too (a starter's `notes:` stays as it was).
    """
    handler, document = _round_trip(text)
    if not isinstance(document, CommentedMap):
        raise SaveError(N_("the file cannot be edited in the form: it is not a mapping of keys"))
    before = {key: plain(value) for key, value in document.items()}
    _merge_mapping(document, data, "")
    if {key: plain(value) for key, value in document.items()} == before:
        return text  # nothing changed: not a byte either (a missing final newline stays missing)
    out = io.StringIO()
    try:
        handler.dump(document, out)
    except (RuamelError, ValueError, TypeError) as error:
        raise SaveError(N_("these values cannot be written as YAML: %(error)s"), error=str(error)) from None
    new_text = out.getvalue()
    _check_reads_back(new_text, data)
    unchanged = {key for key in document if key in before and plain(document[key]) == before[key]}
    return _as_the_file_was(text, _keep_sections(text, new_text, unchanged))


def _as_the_file_was(old_text: str, new_text: str) -> str:
    """`new_text` with the file's own line breaks (CRLF from a Windows editor) and byte-order mark."""
    if old_text.startswith("\ufeff") and not new_text.startswith("\ufeff"):
        new_text = "\ufeff" + new_text
    if "\r\n" in old_text and "\n" not in old_text.replace("\r\n", ""):  # every line break is CRLF
        new_text = new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    return new_text


def _merge_mapping(target: CommentedMap, new: Mapping[str, Any], path: str) -> None:
    order = KEYS.get(_INDEX.sub("[]", path), ())
    for key in list(target):  # a key the format lacks is the check's to report, not the form's to drop
        if key in order and (key not in new or is_empty(new[key])) and not is_empty(target[key]):
            _delete_key(target, key)
    for key, value in new.items():
        if is_empty(value):
            continue
        if key in target:
            target[key] = _merged(target[key], value, f"{path}.{key}" if path else key)
            continue
        rank = order.index(key) if key in order else len(order)
        position = sum(1 for existing in target if existing in order and order.index(existing) < rank)
        last = list(target)[-1] if target and position == len(target) else None
        target.insert(position, key, _to_yaml(value, f"{path}.{key}" if path else key))
        if last is not None:
            _move_trailing_lines(target, last, key)


def _comments(mapping: CommentedMap, key: str) -> list[Any]:
    """ruamel's comment slots of `key`: [_, comments above it, comment after it (and lines below), _]."""
    slots: list[Any] = mapping.ca.items.setdefault(key, [None, None, None, None])
    return slots


def _move_trailing_lines(mapping: CommentedMap, before: str, after: str) -> None:
    """The blank lines and comments below `before` go below `after`, a key appended after it."""
    if not isinstance(mapping[before], (str, int, float, dt.date)) or before not in mapping.ca.items:
        return
    token = mapping.ca.items[before][2]
    if token is None or token.value.count("\n") < 2:
        return
    first, rest = token.value.split("\n", 1)
    moved = copy.copy(token)
    moved.value = "\n" + rest
    token.value = first + "\n"
    _comments(mapping, after)[2] = moved


def _delete_key(mapping: CommentedMap, key: str) -> None:
    """Remove `key`; the comments written above it stay, above the key that follows."""
    keys = list(mapping)
    above = mapping.ca.items.get(key, [None, None])[1]
    del mapping[key]
    following = keys.index(key) + 1
    if above and following < len(keys):
        slots = _comments(mapping, keys[following])
        slots[1] = [*above, *(slots[1] or [])]


def _merged(old: Any, new: Any, path: str) -> Any:
    """`new` written over `old`: `old` itself when equal, else updated keeping its style and comments."""
    if plain(old) == plain(new):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        _merge_mapping(old, new, path)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_sequence(old, new, path)
        return old
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)  # keep the clinician's quotes
    return _to_yaml(new, path)


def _merge_sequence(old: CommentedSeq, new: list[Any], path: str) -> None:
    """Items matched by value (difflib), so a removed or added item keeps the others' comments."""
    keys_old = [json.dumps(plain(v), sort_keys=True, default=str) for v in old]
    keys_new = [json.dumps(plain(v), sort_keys=True, default=str) for v in new]
    item_path = f"{path}[]"
    opcodes = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(common):
            old[i1 + k] = _merged(old[i1 + k], new[j1 + k], item_path)
        for index in reversed(range(i1 + common, i2)):
            del old[index]
        for k, value in enumerate(new[j1 + common:j2]):
            old.insert(i1 + common + k, _to_yaml(value, item_path))


def _to_yaml(value: Any, path: str) -> Any:
    """A new value as ruamel nodes: keys in the format's order, text PyYAML would misread quoted."""
    if isinstance(value, Mapping):
        order = KEYS.get(_INDEX.sub("[]", path), ())
        mapping = CommentedMap()
        for key in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
            if not is_empty(value[key]):
                mapping[key] = _to_yaml(value[key], f"{path}.{key}")
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_to_yaml(item, f"{path}[]") for item in value)
        short = all(isinstance(v, (int, float)) or (isinstance(v, str) and _WORD.fullmatch(v)) for v in value)
        sequence.fa.set_flow_style() if short and value else sequence.fa.set_block_style()
        return sequence
    if isinstance(value, str) and _misread(value):
        return DoubleQuotedScalarString(value)
    return value


def _misread(text: str) -> bool:
    """True when PyYAML (YAML 1.1, as the loader reads) would not read `text`, unquoted, as this text."""
    # types-PyYAML leaves Resolver.resolve unannotated; it returns the tag as a str.
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return resolved != _STR or text != text.strip() or text == ""


def _check_reads_back(text: str, meant: Mapping[str, Any]) -> None:
    """Every value of `meant` (what the form saves) reads back from `text` as the loader reads it."""
    try:
        read = read_as_written(text, "the saved profile")
    except InputError as error:
        raise SaveError(N_("these values cannot be written as YAML that reads back: %(error)s"),
                        error=error.message) from None
    wrong = _first_difference(meant, read, "")
    if wrong == "":
        raise SaveError(N_("a value cannot be written so that it reads back the same; nothing was saved"))
    if wrong is not None:
        raise SaveError(N_("the value of %(field)s cannot be written so that it reads back the same; "
                           "nothing was saved"), field=wrong)


def _first_difference(meant: Any, read: Any, path: str) -> str | None:
    """The first field path where `read` (as written) does not say `meant`, or None."""
    if isinstance(meant, Mapping):
        if not isinstance(read, Mapping):
            return path
        for key, value in meant.items():
            found = _first_difference(value, read.get(key), child(path, key))
            if found is not None:
                return found
        return None
    if isinstance(meant, list):
        if not isinstance(read, list) or len(read) != len(meant):
            return path
        for index, (value, back) in enumerate(zip(meant, read, strict=True)):
            found = _first_difference(value, back, item(path, index))
            if found is not None:
                return found
        return None
    if isinstance(meant, bool) or isinstance(read, bool):
        return None if meant is read else path
    if isinstance(meant, (int, float)) and isinstance(read, (int, float)):
        return None if float(meant) == float(read) else path
    if isinstance(meant, dt.date):
        return None if read == meant.isoformat() else path
    return None if meant == read else path


def _section_starts(text: str) -> dict[str, int] | None:
    """The 0-based line where each top-level key starts, or None when the file is not a plain mapping."""
    _, document = _round_trip(text)
    if not isinstance(document, CommentedMap):
        return None
    return {key: document.lc.key(key)[0] for key in document}


def _keep_sections(old_text: str, new_text: str, unchanged: set[str]) -> str:
    """`new_text` with each unchanged top-level section (and the header) copied from `old_text`."""
    old_starts, new_starts = _section_starts(old_text), _section_starts(new_text)
    if not old_starts or not new_starts or any(len(set(starts.values())) < len(starts)
                                               for starts in (old_starts, new_starts)):
        return new_text  # a flow mapping (`{handbook: 1, id: ...}`) has no section of lines of its own
    old_lines, new_lines = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)

    def blocks(lines: list[str], starts: dict[str, int]) -> tuple[list[str], dict[str, list[str]]]:
        keys = sorted(starts, key=starts.__getitem__)
        ends = [starts[k] for k in keys[1:]] + [len(lines)]
        return lines[:starts[keys[0]]], {k: lines[starts[k]:end] for k, end in zip(keys, ends, strict=True)}

    old_header, old_blocks = blocks(old_lines, old_starts)
    _, new_blocks = blocks(new_lines, new_starts)
    # Sections the clinician set apart with a blank line stay apart when one is added or removed.
    spaced = all(block and block[-1].strip() == "" for block in list(old_blocks.values())[:-1])
    out = list(old_header)
    order = sorted(new_starts, key=new_starts.__getitem__)
    for number, key in enumerate(order):
        block = list(old_blocks[key] if key in unchanged and key in old_blocks else new_blocks[key])
        if block and not block[-1].endswith("\n"):
            block[-1] += "\n"
        if spaced and number < len(order) - 1 and block[-1].strip():
            block.append("\n")
        out.extend(block)
    result = "".join(out)
    if yaml.safe_load(result) != yaml.safe_load(new_text):  # never trade a value for a layout
        return new_text
    return result


# -- files -------------------------------------------------------------------------------------


def profile_file(profiles_dir: Path, profile_id: str) -> Path:
    """The file of profile `profile_id` in `profiles_dir` (which need not exist yet), as a real path.

    Refused (SaveError): an id that is not a profile id (so no path characters), and a file or
    folder that resolves outside `profiles_dir` through a symbolic link.
    """
    if problem := id_problem(profile_id):
        raise SaveError(N_("no such profile: %(problem)s"), problem=problem)
    folder = Path(os.path.realpath(profiles_dir))
    named = next((profiles_dir / f"{profile_id}{s}" for s in PROFILE_SUFFIXES
                  if (profiles_dir / f"{profile_id}{s}").exists()), profiles_dir / f"{profile_id}.yaml")
    real = Path(os.path.realpath(named))
    if real.parent != folder:
        raise SaveError(N_("%(path)s is a symbolic link to %(target)s, outside %(folder)s: the studio does not "
                           "write there"), path=display_path(named), target=display_path(real),
                        folder=display_path(profiles_dir))
    return real


def write_atomically(path: Path, text: str, *, new: bool = False) -> None:
    """Write `text` to `path` in one step: a temporary file beside it, synced, then swapped in.

    The file keeps its mode (a new one is owner-only: it holds health information). With
    `new`, an existing file is never replaced. Any failure leaves `path` as it was.
    """
    data = text.encode("utf-8")
    try:
        mode = 0o600 if new else stat.S_IMODE(os.stat(path).st_mode)
    except OSError as error:
        raise SaveError(N_("cannot save %(path)s: %(reason)s"), path=display_path(path),
                        reason=error.strerror or str(error)) from None
    temporary = None
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".saving")
        temporary = Path(name)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if new:
            os.link(temporary, path)  # fails when the file exists: no profile is overwritten
            temporary.unlink()
            temporary = None
        else:
            os.replace(temporary, path)
            temporary = None
        _sync_folder(path.parent)
    except FileExistsError:
        raise SaveError(N_("%(path)s already exists: choose another id"), path=display_path(path)) from None
    except OSError as error:
        raise SaveError(N_("cannot save %(path)s: %(reason)s; the file is as it was"), path=display_path(path),
                        reason=error.strerror or str(error)) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows a folder to be synced)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
