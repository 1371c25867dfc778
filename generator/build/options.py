"""What a build is asked (`BuildOptions`) and what it answers (`Outcome`, `BuildReport`).

Apart from the stages, so that a batch settled from its record (output/batches.py) loads
nothing more than these and the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path
    formats: frozenset[str] = frozenset(FORMATS)
    today: dt.date = field(default_factory=dt.date.today)
    jobs: int = 0  # 0: one worker per core
    strict: bool = False  # refuse a handbook that would show any module untranslated
    force: bool = False  # build even when the inputs did not change
    group_readable: bool = False  # handbooks readable by the owner's group too (default: the owner only)
    scheduler: str | None = None  # a Dask scheduler's address: lay the batch out on its cluster (workers/cluster.py)
    ship_project: bool = False  # with a scheduler: send content/ and templates/ to the workers (no shared storage)

    @property
    def settings(self) -> str:
        """What, besides the files, a handbook depends on: part of its inputs digest."""
        return (f"today={self.today.isoformat()};formats={','.join(sorted(self.formats))};strict={self.strict}"
                f";group={self.group_readable}")

    @property
    def expected_files(self) -> tuple[str, ...]:
        """Files whose presence says a handbook of these formats is still there."""
        return tuple(name for fmt, name in (("html", "index.html"), ("pdf", "handbook.pdf")) if fmt in self.formats)


@dataclass(frozen=True)
class Outcome:
    """What became of one profile: built (files) or failed (message, exit code)."""

    source: str
    profile_id: str | None
    output_dir: str | None = None
    files: tuple[str, ...] = ()
    error: str | None = None
    exit_code: int = 0
    up_to_date: bool = False  # inputs unchanged since the last build: nothing was written
    warnings: tuple[str, ...] = ()  # about the profile: worth a look, but it was built
    layout_notes: tuple[str, ...] = ()  # what WeasyPrint said while laying out the PDF (--verbose)


@dataclass(frozen=True)
class BuildReport:
    outcomes: tuple[Outcome, ...]

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)

    @property
    def built(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is None)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.error is not None)


Progress = Callable[[Outcome, int], None]  # each outcome as it is settled, and how many profiles in all
