"""The form editor: a profile as a form generated from the profile format, saved round-trip.

GET /edit/<id> shows the profile's form with the check's messages next to their fields;
POST /edit/<id> saves it (or adds or removes a list item, which works without script);
POST /edit/<id>/check answers the script's as-you-type check with JSON; /new makes a profile
from the starter of `handbook new`. A save is refused while the values have errors: nothing
is written, the form keeps what was typed and says what to fix (docs/studio.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from generator.errors import Diagnostic, HandbookError, InputError, display_path, printable
from generator.inputs.checker import walk
from generator.inputs.source import parse_yaml, read_source
from generator.profile.edit import SaveError, profile_file, updated_text, values_as_written, write_atomically
from generator.profile.fields import choice_labels
from generator.profile.limits import MAX_FILE_BYTES
from generator.profile.load import EXPECTED
from generator.studio import guard
from generator.studio.app import Studio
from generator.studio.form import Message, Node, attach, build_form
from generator.studio.formdata import (
    Raw,
    apply_action,
    form_path,
    raw_values,
    read_form,
    to_data,
    unshown,
    with_unshown,
)
from generator.studio.starting import new_profile_text, starter_values


class NoProfile(InputError):
    """The form was asked for a profile that profiles/ does not hold (a 404, not a file to fix)."""


@dataclass
class Outcome:
    """What the check of a form's values found: messages by form path, and whether it may be saved."""

    messages: dict[str, list[Message]] = field(default_factory=dict)
    text: str | None = None  # the text that would be saved, when the values could be written

    @property
    def has_errors(self) -> bool:
        return any(m.severity == "error" for found in self.messages.values() for m in found)

    def add(self, path: str, message: Message) -> None:
        self.messages.setdefault(path, []).append(message)


def routes(studio: Studio) -> list[BaseRoute]:
    async def edit(request: Request) -> Response:
        profile_id = request.path_params["profile_id"]
        try:
            path, text, values, unshowable = _open(studio, profile_id)
        except HandbookError as error:
            return _unavailable(studio, request, profile_id, error)
        if request.method == "GET":
            outcome = _check(studio, text, values, raw_values(values), path, unshowable=unshowable)
            notice = {"saved": "saved", "created": "created"}.get(request.query_params.get("done", ""))
            return _page(studio, request, "edit.html", raw_values(values), outcome, profile_id=profile_id,
                         digest=_digest(text), notice=notice)
        form = await guard.checked_form(studio, request)
        raw = read_form(form)
        action = str(form.get("action") or "save")
        if action != "save":
            focus = apply_action(raw, action)
            outcome = _check(studio, text, values, raw, path, unshowable=unshowable)
            return _page(studio, request, "edit.html", raw, outcome, profile_id=profile_id,
                         digest=str(form.get("digest", "")), focus=focus)
        if form.get("digest") != _digest(text):
            outcome = _check(studio, text, values, raw, path, unshowable=unshowable)
            outcome.add("", Message("error", studio.gettext(
                "The file was changed by someone else since this page was opened, so nothing was saved. Copy what "
                "you typed, then reload the page.")))
            return _page(studio, request, "edit.html", raw, outcome, status=409, profile_id=profile_id,
                         digest=str(form.get("digest", "")), notice="conflict")
        outcome = _check(studio, text, values, raw, path, unshowable=unshowable)
        if outcome.has_errors or outcome.text is None:
            return _page(studio, request, "edit.html", raw, outcome, status=422, profile_id=profile_id,
                         digest=_digest(text), notice="refused")
        try:
            if outcome.text != text:  # nothing changed: the file is not touched
                write_atomically(path, outcome.text)
        except SaveError as error:
            outcome.add("", Message("error", error.said_in(studio.gettext)))
            return _page(studio, request, "edit.html", raw, outcome, status=500, profile_id=profile_id,
                         digest=_digest(text), notice="failed")
        return RedirectResponse(f"/edit/{profile_id}?done=saved", status_code=303)

    async def check(request: Request) -> Response:
        form = await guard.checked_form(studio, request)
        profile_id = request.path_params.get("profile_id")
        raw = read_form(form)
        unshowable: dict[str, int] = {}
        if profile_id is None:
            text, values, path = new_profile_text(_new_id(raw)), starter_values(), None
        else:
            try:
                path, text, values, unshowable = _open(studio, profile_id)
            except HandbookError as error:
                return JSONResponse({"error": _said(studio, error)}, status_code=404)
        outcome = _check(studio, text, values, raw, path, new=profile_id is None, unshowable=unshowable)
        placed = attach(build_form(raw), outcome.messages)
        return JSONResponse({"ok": not outcome.has_errors, "messages": [
            {"id": node.id if node else None, "label": _label(studio, node) if node else "", "severity": m.severity,
             "text": m.text, "lang": m.lang} for node, m in placed]})

    async def new(request: Request) -> Response:
        values = starter_values()
        if request.method == "GET":
            raw = raw_values(values)
            raw["id"] = ""
            return _page(studio, request, "new.html", raw, Outcome())
        form = await guard.checked_form(studio, request)
        raw = read_form(form)
        action = str(form.get("action") or "save")
        if action != "save":
            focus = apply_action(raw, action)
            return _page(studio, request, "new.html", raw, Outcome(), focus=focus)
        profile_id = _new_id(raw)
        outcome = _check(studio, new_profile_text(profile_id), values, raw, None, new=True)
        if not outcome.has_errors and outcome.text is not None:
            try:
                target = profile_file(studio.project.profiles_dir, profile_id)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(target, outcome.text, new=True)
            except SaveError as error:
                outcome.add("id", Message("error", error.said_in(studio.gettext)))
            except OSError as error:
                where = display_path(studio.project.profiles_dir / f"{profile_id}.yaml")
                outcome.add("id", Message("error", studio.gettext("cannot save %(path)s: %(reason)s", path=where,
                                                                  reason=error.strerror or str(error))))
            else:
                return RedirectResponse(f"/edit/{profile_id}?done=created", status_code=303)
        return _page(studio, request, "new.html", raw, outcome, status=422, notice="refused")

    return [
        Route("/edit/{profile_id}", edit, methods=["GET", "POST"]),
        Route("/edit/{profile_id}/check", check, methods=["POST"]),
        Route("/new", new, methods=["GET", "POST"]),
        Route("/new/check", check, methods=["POST"]),
    ]


def _new_id(raw: Raw) -> str:
    value = raw.get("id")
    return value if isinstance(value, str) else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _open(studio: Studio, profile_id: str) -> tuple[Path, str, dict[str, Any], dict[str, int]]:
    """The profile's file, text, values, and the line of each value the form cannot show
    (formdata.unshown); an InputError says why it cannot be edited in the form at all."""
    path = profile_file(studio.project.profiles_dir, profile_id)
    if not path.exists():
        raise NoProfile(studio.gettext("There is no profile named '%(name)s' in profiles/.",
                                        name=printable(profile_id[:80])))
    text = read_source(path, root=studio.project.root, max_bytes=MAX_FILE_BYTES)
    root = parse_yaml(text, f"profiles/{path.name}", expected=EXPECTED)  # the loader's strict reading
    values = values_as_written(root)  # `No` and `12:30` stay text, as `validate` reads them
    if not isinstance(values, dict):
        raise InputError(studio.gettext("the file is not a mapping of keys (handbook, id, preferred_name, ...)"))
    result: dict[str, Any] = values
    lines = {where: node.start_mark.line + 1 for where, node in walk(root)}
    return path, text, result, {where: _line_of(lines, where) for where in unshown(result)}


def _line_of(lines: Mapping[str, int], where: str) -> int:
    """The line of a value, or of the nearest value holding it (a lone item shown as `goals[0]` is `goals`)."""
    while where not in lines and where:
        where = re.sub(r"(\[[0-9]+\]|\.[^.\[]+|^[^.\[]+)$", "", where)
    return lines.get(where, 1)


def _check(studio: Studio, base: str, original: Mapping[str, Any], raw: Raw, path: Path | None,
           new: bool = False, unshowable: Mapping[str, int] | None = None) -> Outcome:
    """The real checks (check.check_profile) on the text the form's values would save."""
    from generator.check import check_profile_text
    from generator.content.library import load_library

    outcome = Outcome()
    source = f"profiles/{path.name}" if path else "the new profile"
    for where, line in (unshowable or {}).items():  # an error: no save can drop what the form cannot show
        outcome.add(where, Message("error", studio.gettext(
            "The form cannot show what %(file)s holds here (line %(line)s), and saving would lose it: fix it in "
            "the file, then reload this page.", file=source, line=line)))
    data, places = to_data(raw, original)
    if unshowable:
        data = with_unshown(data, original, unshowable)
    try:
        candidate = updated_text(base, data)
    except SaveError as error:
        outcome.add("", Message("error", error.said_in(studio.gettext)))
        return outcome
    try:
        library = load_library(studio.project.content_dir)
        profile, _ = check_profile_text(candidate, source, library)
    except HandbookError as error:
        diagnostics = error.diagnostics or (Diagnostic(source, None, None, "", error.message),)
        for found in diagnostics:
            outcome.add(form_path(places, found.field), Message("error", found.message, "en"))
        outcome.text = candidate
        return outcome
    for warning in profile.warnings:
        outcome.add(form_path(places, warning.field), Message("warning", warning.message, "en"))
    if new and studio.project.profiles_dir.joinpath(f"{data.get('id')}.yaml").exists():
        outcome.add("id", Message("error", studio.gettext("a profile called '%(id)s' already exists: choose another id",
                                                          id=str(data.get("id")))))
    outcome.text = candidate
    return outcome


def _page(studio: Studio, request: Request, template: str, raw: Raw, outcome: Outcome, status: int = 200,
          focus: str | None = None, **context: Any) -> Response:
    form = build_form(raw)
    placed = attach(form, outcome.messages)
    focused: Node | None = None
    if focus:
        focused = next((n for n in form.walk() if n.path == focus), None)
        while focused is not None and focused.kind != "repeat" and focused.children:
            focused = focused.children[0]
        if focused is not None:
            focused.focus = True
    context.setdefault("notice", None)
    context.setdefault("digest", "")
    return studio.render(request, template, status_code=status, form=form, placed=placed,
                         choice_labels=lambda path: choice_labels(path, studio.ui_language), **context)


def _unavailable(studio: Studio, request: Request, profile_id: str, error: HandbookError) -> Response:
    status = 404 if isinstance(error, (SaveError, NoProfile)) else 422
    return studio.render(request, "edit_unavailable.html", status_code=status, profile_id=printable(profile_id[:80]),
                         problems=[Message("error", _said(studio, error),
                                           "" if isinstance(error, (SaveError, NoProfile)) else "en"),
                                   *(Message("error", str(d), "en") for d in error.diagnostics)])


def _said(studio: Studio, error: HandbookError) -> str:
    """An error's message in the studio's language: its own words, when studio code or a save wrote it."""
    return error.said_in(studio.gettext) if isinstance(error, SaveError) else error.message


def _label(studio: Studio, node: Node) -> str:
    """A field's label in the studio's language, as the form shows it (`Goal 2`)."""
    label = studio.gettext(node.label)
    return label % {"number": node.number} if node.number else label
