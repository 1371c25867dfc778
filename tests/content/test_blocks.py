from __future__ import annotations

import pytest

from generator.content.blocks import BlockError, expand_blocks

BODY = """\
Intro.

::: patient
Rub the fabric over your hand.
:::

::: caregiver
Sit with them while they rub the fabric.
:::

::: tip Good to know
A *tip*.
:::
"""


def test_patient_edition_keeps_only_patient_text() -> None:
    out = expand_blocks(BODY, "patient")
    assert "Rub the fabric over your hand." in out
    assert "Sit with them" not in out


def test_caregiver_edition_keeps_only_caregiver_text() -> None:
    out = expand_blocks(BODY, "caregiver")
    assert "Sit with them" in out
    assert "over your hand" not in out


def test_checking_keeps_both_editions() -> None:
    out = expand_blocks(BODY, None)
    assert "Sit with them" in out and "over your hand" in out


def test_callout_becomes_a_titled_markdown_div() -> None:
    out = expand_blocks(BODY, "patient")
    assert '<div class="callout callout-tip" markdown="1">' in out
    assert '<p class="callout-title">Good to know</p>' in out


def test_nested_edition_block_inside_callout() -> None:
    body = "::: try Try this week\n::: caregiver\n- Help them\n:::\n- Walk\n:::\n"
    patient = expand_blocks(body, "patient")
    assert "Help them" not in patient and "- Walk" in patient and patient.count("</div>") == 1


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("text\n::: tip\nnever closed\n", 2, "never closed"),
        ("text\n:::\n", 2, "never opened"),
        ("::: warnign\nx\n:::\n", 1, "did you mean 'warning'"),
        ("::: patient Title\nx\n:::\n", 1, "takes no title"),
    ],
)
def test_block_errors_say_which_line(body: str, line: int, message: str) -> None:
    with pytest.raises(BlockError) as caught:
        expand_blocks(body, "patient")
    assert caught.value.line == line
    assert message in str(caught.value)
