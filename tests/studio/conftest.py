"""Studio fixtures: a temporary copy of the repository's project, and a form read as a browser posts it."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import REPO


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A project folder with copies of the sample profiles (content and templates are the defaults)."""
    root = tmp_path / "clinic"
    shutil.copytree(REPO / "profiles", root / "profiles")
    return root


class _FormReader(HTMLParser):
    """The name/value pairs a browser would post for the first form of a page (no button)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and "name" in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select is not None and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def form_fields(html: str) -> list[tuple[str, str]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.fields


def encoded(fields: list[tuple[str, str]]) -> dict[str, object]:
    """Keyword arguments of TestClient.post that send `fields` as a browser does (repeated names kept)."""
    from urllib.parse import urlencode

    return {"content": urlencode(fields), "headers": {"content-type": "application/x-www-form-urlencoded"}}
