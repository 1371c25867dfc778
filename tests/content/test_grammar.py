"""The one line grammar: rendering, translation and the quality gates read a line the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.blocks import CALLOUT_TITLE, expand_blocks
from generator.content.grammar import (
    BLOCK_CLOSE,
    BLOCK_OPEN,
    HEADING,
    JINJA_EXPRESSION,
    ONLY_TEMPLATE_TAGS,
    TABLE_RULE,
    TEMPLATE_TAG,
    table_cells,
)
from generator.content.library import Module
from generator.i18n.segments import Segment, has_pipe, segment_body
from generator.i18n.translator import check_translation
from generator.quality.gates import medication_problems
from generator.quality.readability import prose
from generator.render.module import render_module


def rendered(body: str) -> str:
    module = Module("demo", "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1), body,
                    "content/pacing/demo.md", 10)
    return render_module(module, "patient", {"reader": {"name": "Ana"}}, {}).html


def texts(body: str) -> list[tuple[str, str]]:
    return [(segment.text, segment.kind) for segment in segment_body(body).segments]


def test_a_table_rule_of_single_dashes_is_a_rule_for_every_reader() -> None:
    body = "| Day | Minutes |\n|-|-|\n| Monday | 10 |\n"
    assert TABLE_RULE.match("|-|-|") and TABLE_RULE.match("| :-: | --: |")
    html = rendered(body)
    assert "<th>Day</th>" in html and "<td>Monday</td>" in html and "-|" not in html
    assert texts(body) == [("Day", "table column heading"), ("Minutes", "table column heading"),
                           ("Monday", "table cell"), ("10", "table cell")]
    assert prose(body, "patient") == "Day, Minutes.\nMonday, 10."


@pytest.mark.parametrize("line", ["  :::", " ::: tip Title", "\t:::"])
def test_an_indented_block_line_is_not_a_block_line_for_any_reader(line: str) -> None:
    assert not BLOCK_OPEN.match(line) and not BLOCK_CLOSE.match(line)
    assert line in expand_blocks(f"Text\n{line}\n", "patient")  # kept as text, no error
    paragraph = Segment("Use a timer.\nRest.", "paragraph", 1, ())
    assert check_translation(paragraph, paragraph.text, f"Use un reloj.\n{line}") is None
    assert check_translation(paragraph, paragraph.text, f"Use un reloj.\n{line.strip()}") is not None


def test_an_escaped_pipe_or_a_filter_does_not_split_a_cell() -> None:
    row = r"| Say \| or stop | {{ reader.name | upper }} |"
    assert table_cells(row) == ["", r" Say \| or stop ", " {{ reader.name | upper }} ", ""]
    assert "|".join(table_cells(row)) == row
    assert table_cells("no pipe here") == ["no pipe here"]
    assert not has_pipe(r"a \| b") and not has_pipe("{{ x | round }}") and has_pipe("a | b")
    body = f"{row}\n|---|---|\n| a | b |\n"
    assert texts(body)[:2] == [(r"Say \| or stop", "table column heading"),
                               ("{{ reader.name | upper }}", "table column heading")]
    assert segment_body(body).rebuild([s.text for s in segment_body(body).segments]) == body
    assert prose(body, "patient").splitlines()[0] == r"Say \| or stop, Ana."
    assert "<th>Say | or stop</th>" in rendered(body)


def test_a_heading_with_closing_hashes_is_read_without_them() -> None:
    heading = HEADING.match("## Rest days ##")
    assert heading and (heading["prefix"], heading["text"], heading["suffix"]) == ("## ", "Rest days", " ##")
    body = "## Rest days ##\n\nText.\n"
    assert texts(body)[0] == ("Rest days", "heading")
    assert segment_body(body).rebuild(["Días de descanso", "Texto."]) == "## Días de descanso ##\n\nTexto.\n"
    assert prose(body, "patient").splitlines()[0] == "Rest days."
    assert '<h3 id="demo-rest-days">Rest days</h3>' in rendered(body)


def test_a_callout_title_is_found_in_the_text_blocks_write() -> None:
    expanded = expand_blocks("::: tip Good <to> know\nText.\n:::\n", "patient")
    titles = [m["title"] for line in expanded.splitlines() if (m := CALLOUT_TITLE.fullmatch(line))]
    assert titles == ["Good &lt;to&gt; know"]
    assert prose("::: tip Good <to> know\nText.\n:::\n", "patient") == "Good <to> know.\nText."


def test_template_tags_are_whole_tags_of_every_kind() -> None:
    text = "A {{ reader.name }} {% if x %}b{% endif %} {# note #} c"
    assert TEMPLATE_TAG.findall(text) == ["{{ reader.name }}", "{% if x %}", "{% endif %}", "{# note #}"]
    expression = JINJA_EXPRESSION.search(text)
    assert expression and expression["expression"] == " reader.name "
    assert ONLY_TEMPLATE_TAGS.match("  {% if x %} {# c #}") and not ONLY_TEMPLATE_TAGS.match("{% if x %} text")


@pytest.mark.parametrize(("body", "flagged"), [
    ("You should not rush.\n- stop your tablets", True),  # a list item starts a sentence of its own
    ("Do not worry\n## stop your tablets", True),  # so does a heading
    ("Do not worry\n| stop your tablets |", True),  # and a table row
    ("You should not\n  stop your tablets", False),  # a wrapped line goes on with the sentence
    ("Do not worry\n::: tip Stop your tablets", True),  # and a `:::` line
])
def test_the_medicine_gate_cuts_sentences_at_the_lines_the_grammar_knows(body: str, flagged: bool) -> None:
    assert bool(list(medication_problems(body))) is flagged
