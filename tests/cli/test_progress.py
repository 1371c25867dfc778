"""The build command's progress: a bar with count and time left in a terminal, plain lines elsewhere."""

from __future__ import annotations

import io

from generator.build import Outcome
from generator.cli.progress import Reporter, bar, summary

BUILT = Outcome("profiles/a.yaml", "a", "out/a", ("index.html",))
SAME = Outcome("profiles/b.yaml", "b", "out/b", up_to_date=True)
FAILED = Outcome("profiles/c.yaml", None, error="profiles/c.yaml:2:1: bad", exit_code=2)


def test_the_bar_shows_the_count_and_the_time_left_at_the_pace_so_far() -> None:
    assert bar(0, 4, 0.0).endswith("0/4  --:-- left")
    half = bar(2, 4, 30.0)
    assert half.count("#") * 2 == half.count("#") + half.count(".") and half.endswith("2/4  00:30 left")
    assert bar(4, 4, 99.0).endswith("4/4  00:00 left")


def test_in_a_terminal_only_failures_get_lines_and_the_bar_is_redrawn(capsys) -> None:
    screen = io.StringIO()
    ticks = iter([0.0, 1.0, 2.0, 3.0])
    reporter = Reporter(verbose=False, terminal=True, stream=screen, clock=lambda: next(ticks))
    for outcome in (BUILT, SAME, FAILED):
        reporter(outcome, 3)
    reporter.finish()
    said = capsys.readouterr()
    assert "built a" not in said.out and "up to date b" not in said.out
    assert "failed profiles/c.yaml" in said.err
    drawn = screen.getvalue()
    assert "1/3" in drawn and "3/3  00:00 left" in drawn and drawn.endswith("\r\x1b[2K")


def test_elsewhere_every_handbook_gets_a_plain_line_and_no_bar(capsys) -> None:
    screen = io.StringIO()
    reporter = Reporter(verbose=False, terminal=False, stream=screen)
    for outcome in (BUILT, SAME, FAILED):
        reporter(outcome, 3)
    said = capsys.readouterr()
    assert "built a: out/a/" in said.out and "up to date b" in said.out and "failed profiles/c.yaml" in said.err
    assert screen.getvalue() == ""


def test_the_summary_counts_built_unchanged_and_failed() -> None:
    assert summary((BUILT, SAME, FAILED)) == "3 handbooks: 1 built, 1 unchanged, 1 failed."
