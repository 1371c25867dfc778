"""What a body prints is inert text: no markup, no function, no object address, no control character."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.library import Module
from generator.content.sandbox import escape_value
from generator.errors import ContentError
from generator.render.module import RenderError, render_module


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", "\x1b[31mred\x07", "nul\x00", "\x7f", "\x85", "\r"])
def test_a_value_that_is_not_text_is_refused_when_printed(value: str) -> None:
    with pytest.raises(ContentError, match="which is not text"):
        escape_value(value)


def test_tabs_newlines_and_any_character_are_printed() -> None:
    assert escape_value("a\tb\nc 😀 ü") == "a\tb\nc 😀 ü"


@pytest.mark.parametrize("body", ["{{ '\\ud800' }}", "{{ '\\x1b[31mred\\x07' }}", "{% set x = '\\x00' %}{{ x | e }}"])
def test_a_body_that_prints_no_text_is_an_error_on_its_line(body: str) -> None:
    """From the adversarial review of issue 12: a lone surrogate was an 'unexpected error' when the
    page was written, without file or line, blaming handbook."""
    module = Module("demo", "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1),
                    f"# Title\n\nSome text.\n{body}\n", "content/pacing/demo.md", 10)
    with pytest.raises(RenderError) as caught:
        render_module(module, "patient", {}, {})
    assert (caught.value.path, caught.value.line) == ("content/pacing/demo.md", 13)
    assert "which is not text" in caught.value.message
