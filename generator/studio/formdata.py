"""Between a posted form and profile values, both ways.

Three shapes of the same profile: the file's values (what PyYAML reads), the *raw* tree the form
shows (text as typed, every list item kept, even an empty one just added), and the *data* a save
writes (numbers and dates converted, empty optionals and empty list items dropped). Reading a
form keeps only names the format has (formdata never trusts a posted name), and `to_data`
remembers where each list item came from, so a message about `goals[1]` reaches the field it
concerns even when an empty goal above it was dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import FormData

from generator.profile.edit import is_empty
from generator.profile.fields import field_specs, spec_of

_SEGMENT = re.compile(r"\.?([A-Za-z_]+)|\[([0-9]{1,4})\]")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_LINE_BREAK = re.compile(r"\r\n?")
OTHER_SUFFIX = "+other"  # the text input of an open vocabulary's own words (nutrition.patterns)
Raw = dict[str, Any]


def _segments(path: str) -> list[str | int] | None:
    """`pacing.activities[0].name` -> ['pacing', 'activities', 0, 'name']; None for anything else."""
    parts: list[str | int] = []
    position = 0
    for match in _SEGMENT.finditer(path):
        if match.start() != position:
            return None
        parts.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    return parts if position == len(path) and parts else None


def _put(tree: Raw, parts: list[str | int], value: Any) -> None:
    """Set `value` at `parts`, making dicts for keys and index-keyed dicts for list items."""
    node: Any = tree
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _lists(node: Any, path: str) -> Any:
    """Index-keyed dicts made by `_put` as lists in index order, at the paths the format lists."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_lists(node[key], f"{path}[]") for key in sorted(node)]
    return {key: _lists(value, f"{path}.{key}" if path else key) for key, value in node.items()}


def read_form(form: FormData) -> Raw:
    """The raw tree of a posted form: every name the format has, as typed; other names ignored."""
    tree: Raw = {}
    for name in form:
        base = name.removesuffix(OTHER_SUFFIX)
        spec = spec_of(base)
        parts = _segments(base)
        if spec is None or parts is None or spec.kind in ("group", "repeat", "goal"):
            continue
        if spec.kind == "choices":
            chosen = [v for v in form.getlist(base) if isinstance(v, str) and v in spec.choices]
            other = form.get(base + OTHER_SUFFIX)
            own = [w.strip() for w in other.split(",")] if isinstance(other, str) else []
            _put(tree, parts, chosen + [w for w in own if w and w not in chosen])
        elif spec.kind == "checkbox":
            _put(tree, parts, form.get(base) == "true")
        else:
            value = form.get(base)  # a browser sends a text area's line breaks as CRLF (HTML's form encoding)
            _put(tree, parts, _LINE_BREAK.sub("\n", value).strip() if isinstance(value, str) else "")
    for path, spec in field_specs().items():  # an unticked box is not posted at all
        if spec.kind == "checkbox" and "[]" not in path:
            parts = _segments(path)
            assert parts is not None
            node: Any = tree
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node.setdefault(parts[-1], False)
    raw: Raw = _lists(tree, "")
    return raw


def raw_values(data: Mapping[str, Any]) -> Raw:
    """The raw tree of a profile's values (as PyYAML read them), for filling the form."""
    return {key: _raw(value, key) for key, value in data.items() if spec_of(key) is not None}


def _raw(value: Any, path: str) -> Any:
    spec = spec_of(path)
    kind = spec.kind if spec else "text"
    if kind == "goal":
        return {"text": _text(value.get("text")), "plan": _text(value.get("plan"))} \
            if isinstance(value, Mapping) else {"text": _text(value), "plan": ""}
    if kind == "group":
        return {k: _raw(v, f"{path}.{k}") for k, v in value.items()} if isinstance(value, Mapping) else {}
    if kind == "repeat":  # a lone item where a list belongs is shown (and saved) as a list of one
        return [_raw(v, f"{path}[{i}]") for i, v in enumerate(_as_list(value))]
    if kind == "choices":
        return [_text(v) for v in _as_list(value)]
    if kind == "numbers":
        return ", ".join(_text(v) for v in value) if isinstance(value, list) else _text(value)
    if kind == "checkbox":
        return value is True
    return _text(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str:
    if value is None or isinstance(value, (Mapping, list)):  # never a Python repr: `unshown` reports it
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_SCALAR = (str, int, float, dt.date)


def unshown(data: Mapping[str, Any]) -> list[str]:
    """The paths where the file holds a value the form has no field for: a list or a group where
    text belongs, text where a group belongs, "yes" for a box. A save from the form would drop or
    rewrite it, so the editor refuses to save until it is fixed in the file."""
    found: list[str] = []
    for key, value in data.items():
        if spec_of(key) is not None:
            _unshown(value, key, found)
    return found


def _unshown(value: Any, path: str, found: list[str]) -> None:
    spec = spec_of(path)
    kind = spec.kind if spec else "text"
    if value is None:
        return
    if kind in ("group", "goal") and isinstance(value, Mapping):
        for key, entry in value.items():
            if spec_of(f"{path}.{key}") is not None:
                _unshown(entry, f"{path}.{key}", found)
    elif kind == "repeat":
        for index, entry in enumerate(_as_list(value)):
            _unshown(entry, f"{path}[{index}]", found)
    elif kind in ("choices", "numbers"):
        allowed = str if kind == "choices" else _SCALAR
        if not all(isinstance(entry, allowed) for entry in _as_list(value)):
            found.append(path)
    elif kind == "checkbox":
        if not isinstance(value, bool):
            found.append(path)
    elif kind == "group" or not isinstance(value, _SCALAR):
        found.append(path)


def with_unshown(data: dict[str, Any], original: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """`data` with the file's own values put back where the form could not show them (`unshown`),
    so that the check names what the file holds (a list where text belongs), not a value gone
    missing. Only ever checked: a profile with such a value is not saved from the form."""
    for path in paths:
        parts = _segments(path)
        value = _find(original, parts) if parts else None
        if parts is None or value is None:
            continue
        parent = _find(data, parts[:-1], create=True) if len(parts) > 1 else data
        last = parts[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            parent[last] = value
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = value
    return data


def to_data(raw: Raw, original: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The values to save, and where each kept list item sits in the form (`goals[1]` -> `goals[2]`).

    Text stays text (the check says what is wrong with it); numbers and dates are converted when
    they are numbers and dates. A box left unticked is not written into a file that lacks it.
    """
    places: dict[str, str] = {}
    data = _data(raw, "", "", original or {}, places)
    return (data if isinstance(data, dict) else {}), places


def _data(value: Any, path: str, form_path: str, original: Any, places: dict[str, str]) -> Any:
    spec = spec_of(form_path) if form_path else field_specs()[""]
    kind = spec.kind if spec else "text"
    if kind in ("group", "goal") or not form_path:
        if not isinstance(value, Mapping):
            return None
        old = original if isinstance(original, Mapping) else {}
        out: dict[str, Any] = {}
        for key, entry in value.items():
            child_spec = spec_of(f"{form_path}.{key}" if form_path else key)
            if child_spec is None:
                continue
            if child_spec.kind == "checkbox" and entry is False and key not in old:
                continue  # unticked, and the file never said: the default stays unsaid
            converted = _data(entry, f"{path}.{key}" if path else key,
                              f"{form_path}.{key}" if form_path else key, old.get(key), places)
            if not is_empty(converted):
                out[key] = converted
        if kind == "goal":
            return out.get("text") if set(out) <= {"text"} else out
        return out or None
    if kind == "repeat":
        items: list[Any] = []
        for index, entry in enumerate(value if isinstance(value, list) else []):
            converted = _data(entry, f"{path}[{len(items)}]", f"{form_path}[{index}]", None, places)
            if not is_empty(converted):
                places[f"{path}[{len(items)}]"] = f"{form_path}[{index}]"
                items.append(converted)
        return items or None
    if kind == "choices":
        chosen = [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []
        before = [v for v in original if isinstance(v, str)] if isinstance(original, list) else []
        # Keep the file's order: what it listed first, then what was ticked, in the vocabulary's order.
        vocabulary = list(spec.choices) if spec else []
        return sorted(chosen, key=lambda v: (before.index(v) if v in before else len(before),
                                             vocabulary.index(v) if v in vocabulary else len(vocabulary))) or None
    if kind == "numbers":
        words = [w for w in re.split(r"[,;\s]+", value) if w] if isinstance(value, str) else []
        return [_number(w) for w in words] or None
    if kind == "checkbox":
        return value is True
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if kind in ("text", "textarea", "select") and isinstance(original, str) and original.strip() == text:
        return original  # the file's own spaces and final line break (`cause: |`) stay as they were
    if kind in ("number", "integer"):
        return _number(text)
    if kind == "date":
        try:
            return dt.date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else text
        except ValueError:
            return text
    if kind == "const":
        return _number(text)
    return text


def _number(text: str) -> int | float | str:
    if not _NUMBER.fullmatch(text):
        return text  # the check reports it: "expected a number, got text"
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def apply_action(raw: Raw, action: str) -> str | None:
    """`add:<list path>` or `remove:<item path>` on the raw tree; the path to focus afterwards, or None."""
    verb, _, path = action.partition(":")
    parts = _segments(path)
    if parts is None:
        return None
    if verb == "remove" and isinstance(parts[-1], int):
        holder = _find(raw, parts[:-1])
        if isinstance(holder, list) and parts[-1] < len(holder):
            del holder[parts[-1]]
            return re.sub(r"\[[0-9]+\]$", "", path)
        return None
    spec = spec_of(path)
    if verb != "add" or spec is None or spec.kind != "repeat":
        return None
    holder = _find(raw, parts[:-1], create=True)
    if not isinstance(holder, dict):
        return None
    items = holder.get(parts[-1])
    if not isinstance(items, list):
        items = holder[parts[-1]] = []
    if len(items) >= spec.max_items:
        return None
    item_spec = spec_of(f"{path}[0]")
    items.append({} if item_spec and item_spec.kind in ("group", "goal") else "")
    return f"{path}[{len(items) - 1}]"


def _find(tree: Any, parts: list[str | int], create: bool = False) -> Any:
    node = tree
    for part in parts:
        if isinstance(node, dict) and isinstance(part, str):
            if part not in node and create:
                node[part] = {}
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def form_path(places: Mapping[str, str], path: str) -> str:
    """Where the field a check names (`goals[1].text`, in the saved values) is in the form."""
    for end in sorted((m.end() for m in re.finditer(r"\]", path)), reverse=True):
        if path[:end] in places:
            return places[path[:end]] + path[end:]
    return path
