"""What the quality gates found, as data and as the `check-content` text.

The gates, the command and the library site all read the same report, so its
shape and its wording live apart from the checks that fill it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content.library import Module
from generator.errors import counted
from generator.profile.model import EDITIONS
from generator.quality.readability import MAX_SMOG, Reading, editions_of


@dataclass(frozen=True)
class Problem:
    """One finding about one module; warnings never fail a gate."""

    path: str
    line: int | None  # in the module file, 1-based
    module_id: str
    gate: str  # grade, smog, medication, try-box, sources, reviewed, summary, names, links, render
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        label = "warning: " if self.severity == "warning" else ""
        return f"{where}: {label}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ModuleQuality:
    module: Module
    readings: tuple[Reading, ...]
    problems: tuple[Problem, ...]

    @property
    def editions(self) -> tuple[str, ...]:
        return editions_of(self.module)

    @property
    def passed(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def status(self) -> str:
        if not self.passed:
            return "FAIL"
        return "warn" if self.problems else "ok"

    def reading(self, edition: str) -> Reading | None:
        return next((r for r in self.readings if r.edition == edition), None)


@dataclass(frozen=True)
class QualityReport:
    modules: tuple[ModuleQuality, ...]
    max_grade: float
    today: dt.date
    max_smog: float = MAX_SMOG
    data: tuple[Problem, ...] = ()  # findings outside the modules: service-table rows past review

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for m in self.modules for p in m.problems) + self.data

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def passed(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "max_grade": self.max_grade,
            "max_smog": self.max_smog,
            "today": self.today.isoformat(),
            "modules": [
                {
                    "id": q.module.id,
                    "path": q.module.path,
                    "title": q.module.title,
                    "topic": q.module.topic,
                    "audience": q.module.audience,
                    "when": q.module.when.source if q.module.when else "always",
                    "sources": list(q.module.sources),
                    "reviewed": q.module.reviewed.isoformat(),
                    "reviewed_by": q.module.reviewed_by,
                    "review_due": q.module.review_due.isoformat(),
                    "editions": list(q.editions),
                    "readings": {
                        r.edition: {"grade": r.grade, "smog": r.smog, "words_per_sentence": r.words_per_sentence,
                                    "words": r.words, "sentences": r.sentences,
                                    "polysyllables": r.polysyllables, "smog_sentences": r.smog_sentences}
                        for r in q.readings
                    },
                    "status": q.status,
                    "problems": [p.as_dict() for p in q.problems],
                }
                for q in self.modules
            ],
            "problems": [p.as_dict() for p in self.problems],
        }


def _per_edition(quality: ModuleQuality, value: Callable[[Reading], float]) -> str:
    return " / ".join(f"{r.edition[0].upper()} {value(r):.1f}" for r in quality.readings) or "-"


def format_report(report: QualityReport) -> str:
    """A table, one row per module, then every problem as file:line: message."""
    rows = [("id", "editions", "grade", "SMOG", "words/sentence", "status")]
    for q in report.modules:
        editions = "both" if len(q.editions) == len(EDITIONS) else q.editions[0]
        rows.append((q.module.id, editions, _per_edition(q, lambda r: r.grade), _per_edition(q, lambda r: r.smog),
                     _per_edition(q, lambda r: r.words_per_sentence), q.status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    if report.problems:
        lines.append("")
        lines.extend(str(p) for p in report.problems)
    failed = sum(1 for q in report.modules if not q.passed)
    lines.append("")
    lines.append(
        f"{counted(len(report.modules), 'module')}: {len(report.modules) - failed} pass, {failed} fail "
        f"({counted(len(report.errors), 'problem')}, {counted(len(report.warnings), 'warning')}); "
        f"reading grade limit {report.max_grade:g}, SMOG limit {report.max_smog:g}."
    )
    return "\n".join(lines)
