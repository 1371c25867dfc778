"""check-content fails on a row of the service table past its review date, naming the country and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import REPO

from generator.content.services import load_services
from generator.quality.report import QualityReport, format_report
from generator.quality.service_table import table_problems


def test_the_bundled_table_is_not_due_when_it_was_checked() -> None:
    table, _ = load_services(REPO / "content")
    assert table_problems(table, min(row.checked for row in table.rows)) == ()


def test_a_row_past_review_fails_the_report_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "services.yaml").write_text(
        'IS:\n  emergency: "112"\n  source: "Neyðarlínan (112.is)"\n  checked: 2025-01-10\n', encoding="utf-8")
    table, problems = load_services(tmp_path / "content")
    assert problems == []
    found = table_problems(table, dt.date(2026, 1, 11))
    assert [(p.line, p.gate, p.severity) for p in found] == [(1, "services", "error")]
    assert found[0].path.endswith("content/services.yaml")
    assert "IS (Iceland) were due for review on 2026-01-10 (checked 2025-01-10)" in found[0].message
    assert table_problems(table, dt.date(2026, 1, 10)) == ()  # due on the day itself
    report = QualityReport((), 8, dt.date(2026, 1, 11), data=found)
    assert not report.passed and report.errors == found
    assert "services.yaml:1: the numbers for IS (Iceland)" in format_report(report)
