"""What `handbook build` says while a batch runs: a bar in a terminal, plain lines elsewhere.

In a terminal (stderr is a tty) one line on stderr is redrawn as each handbook is settled:
a bar, the count, and the time left at the pace so far; failures and warnings are printed
above it as they come, built and unchanged handbooks only counted. Anywhere else (a log
file, CI, a pipe) each handbook gets its own plain line, as before. Both end with one
summary of how many were built, unchanged and failed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click

from generator.build import Outcome
from generator.errors import counted, printable

BAR_WIDTH = 24


def outcome_line(outcome: Outcome, verbose: bool) -> list[tuple[str, bool]]:
    """The lines about one handbook, each with whether it goes to stderr."""
    lines = [(f"warning: {warning}", True) for warning in outcome.warnings]
    notes = outcome.layout_notes if verbose else ()
    lines += [(f"layout note ({outcome.profile_id}): {note}", True) for note in notes]
    if outcome.up_to_date:
        lines.append((f"up to date {outcome.profile_id}: {outcome.output_dir}/ (inputs unchanged; --force rebuilds)",
                      False))
    elif outcome.error is None:
        lines.append((f"built {outcome.profile_id}: {outcome.output_dir}/ ({', '.join(file_summary(outcome.files))})",
                      False))
    else:
        lines.append((f"failed {outcome.source}:\n  {outcome.error.replace(chr(10), chr(10) + '  ')}", True))
    return [(printable(text), to_stderr) for text, to_stderr in lines]  # nothing raw reaches the terminal


def file_summary(files: tuple[str, ...]) -> list[str]:
    pages = [f for f in files if f.endswith(".html") and "/" not in f]
    parts = [f"{counted(len(pages), 'HTML page')}"] if pages else []
    if "handbook.pdf" in files:
        parts.append("handbook.pdf")
    return parts


def bar(done: int, total: int, elapsed: float) -> str:
    """`[#######.....]  12/40  00:31 left`: the time left at the average pace so far."""
    filled = BAR_WIDTH * done // max(total, 1)
    left = elapsed / done * (total - done) if done else None
    when = "--:--" if left is None else f"{int(left) // 60:02d}:{int(left) % 60:02d}"
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}  {when} left"


class Reporter:
    """The `progress` of build.build: prints as each handbook is settled."""

    def __init__(self, verbose: bool, terminal: bool | None = None, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.verbose = verbose
        self.stream: TextIO = stream or sys.stderr  # (click.get_text_stream is deprecated in click 8.5)
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.clock = clock
        self.start = clock()
        self.done = 0
        self.built = 0  # written in this run (not unchanged, not failed): what an interruption reports
        self.drawn = False

    def __call__(self, outcome: Outcome, total: int) -> None:
        self.done += 1
        self.built += outcome.error is None and not outcome.up_to_date
        for text, to_stderr in outcome_line(outcome, self.verbose):
            if self.terminal and not to_stderr:
                continue  # counted in the bar
            self._clear()
            click.echo(text, err=to_stderr)
        if self.terminal:
            self._clear()
            self._write(bar(self.done, total, self.clock() - self.start))
            self.drawn = True

    def _clear(self) -> None:
        if self.drawn:
            self._write("\r\x1b[2K")  # back to the line's start, and erase it
            self.drawn = False

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        self._clear()


def summary(outcomes: tuple[Outcome, ...]) -> str:
    """`12 handbooks: 3 built, 8 unchanged, 1 failed.`"""
    unchanged = sum(1 for o in outcomes if o.up_to_date)
    failed = sum(1 for o in outcomes if o.error is not None)
    built = len(outcomes) - unchanged - failed
    return f"{counted(len(outcomes), 'handbook')}: {built} built, {unchanged} unchanged, {failed} failed."
