"""The profile format as a form: one field per property of `handbook schema`'s JSON Schema.

The form is generated, never written by hand, so it follows the format as the format grows:
`profile.fields.field_specs` reads the schema once into a `Spec` per field path
(`pacing.activities[].unit`), and `build_form` lays the values of one profile (or of a posted form) out as a tree of
fieldsets (`Group`), lists to add to and remove from (`Repeat`) and inputs (`Field`), with the
check's messages attached to the fields they concern. Reading a posted form back is formdata.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.language import N_
from generator.profile.fields import LABELS, Kind, Spec, field_pattern, field_specs, help_message

ADD_LABELS: dict[str, str] = {
    "goals": N_("Add a goal"), "topics.include": N_("Add a topic to include"),
    "topics.exclude": N_("Add a topic to leave out"), "pacing.activities": N_("Add an activity"),
    "desensitisation.textures": N_("Add a texture"), "graded_tasks": N_("Add a task"),
    "graded_tasks[].steps": N_("Add a step"), "flare_plan.warning_signs": N_("Add a warning sign"),
    "flare_plan.first_steps": N_("Add a first step"), "flare_plan.call_if": N_("Add a reason to call"),
    "caregivers": N_("Add a caregiver"),
}


# -- the form of one profile -------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    severity: Literal["error", "warning"]
    text: str
    lang: str = ""  # "en": words of the checks, which speak English only; "": in the studio's language


@dataclass
class Node:
    """A field, a fieldset or a list of the form; `path` is its name in the posted form."""

    path: str
    kind: Kind
    spec: Spec
    value: Any = None
    children: list[Node] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    number: int = 0  # 1-based position of a list item, 0 for anything else
    focus: bool = False  # the field a list action just added

    @property
    def id(self) -> str:
        """The element id: the path with every character outside [a-z0-9_] as a hyphen."""
        return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", self.path).strip("-") if self.path else "f-profile"

    @property
    def label(self) -> str:
        return LABELS.get(field_pattern(self.path), self.path.rsplit(".", 1)[-1].replace("_", " ").capitalize())

    @property
    def help(self) -> str:
        """The schema's description, as a message id for the templates' newstyle gettext (% doubled)."""
        return help_message(field_pattern(self.path))

    @property
    def add_label(self) -> str:
        return ADD_LABELS.get(field_pattern(self.path), N_("Add"))

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]

    def walk(self) -> Iterator[Node]:
        yield self
        for node in self.children:
            yield from node.walk()


def build_form(values: Mapping[str, Any]) -> Node:
    """The whole form, filled with `values` (the raw tree formdata.py reads and writes)."""
    return _node("", field_specs()[""], values)


def _node(path: str, spec: Spec, value: Any, number: int = 0) -> Node:
    if spec.kind in ("group", "goal"):
        mapping = value if isinstance(value, Mapping) else {}
        keys = spec.keys if spec.kind == "group" else ("text", "plan")
        children = [_node(f"{path}.{key}" if path else key, field_specs()[field_pattern(f"{path}.{key}" if path
                                                                                      else key)],
                          mapping.get(key)) for key in keys]
        return Node(path, spec.kind, spec, None, children, number=number)
    if spec.kind == "repeat":
        items = value if isinstance(value, list) else []
        item_spec = field_specs()[field_pattern(path) + "[]"]
        children = [_node(f"{path}[{index}]", item_spec, entry, index + 1) for index, entry in enumerate(items)]
        return Node(path, "repeat", spec, None, children)
    return Node(path, spec.kind, spec, value, number=number)


def attach(form: Node, messages: Mapping[str, list[Message]]) -> list[tuple[Node | None, Message]]:
    """Put each message on the field its path names, or the nearest fieldset holding it.

    Returns every message with the node it went to (None: the whole profile), for the summary.
    """
    nodes = {node.path: node for node in form.walk()}
    placed: list[tuple[Node | None, Message]] = []
    for path, found in messages.items():
        target = _nearest(nodes, path)
        for message in found:
            if target is not None:
                target.messages.append(message)
            placed.append((target, message))
    return placed


def _nearest(nodes: Mapping[str, Node], path: str) -> Node | None:
    while path:
        node = nodes.get(path)
        if node is not None:
            if node.kind == "goal":  # a goal's problems are its text's
                return nodes.get(f"{path}.text", node)
            return node
        path = re.sub(r"(\[[0-9]+\]|\.[^.\[]+|^[^.\[]+)$", "", path)
    return None
