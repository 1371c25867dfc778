"""The local services table: every row checked, the countries it must cover, and a project's own rows.

No emergency number is written in this file: the numbers come from content/services.yaml, the
one place they live.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from helpers import REPO

from generator.content.services import LocalServices, load_services, local_services
from generator.errors import InputError
from generator.profile.model import Clinic, ServiceLine
from generator.project import SERVICES_FILE, table_files

EU = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
      "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
REQUIRED = (*EU, "GB", "US", "CA", "AU", "NZ")


def bundled():
    table, problems = load_services(REPO / "content")
    assert problems == []
    return table


def write_table(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SERVICES_FILE).write_text(text, encoding="utf-8")
    return folder


def test_the_bundled_table_covers_the_eu_the_english_speaking_countries_and_spain() -> None:
    table = bundled()
    missing = [code for code in REQUIRED if table.row(code) is None]
    assert missing == []
    assert len(table.files) == 1 and table.files[0].endswith(f"content/{SERVICES_FILE}")


def test_every_row_has_a_source_a_checked_date_and_a_later_review_date() -> None:
    for row in bundled().rows:
        assert row.source.strip() and row.emergency.strip(), row.country
        assert row.checked < row.review_by, row.country
        assert row.path.endswith(SERVICES_FILE) and row.line, row.country
        assert row.calling_code.isdigit(), row.country


def test_a_row_without_review_by_is_due_twelve_months_after_it_was_checked() -> None:
    row = bundled().row("GB")
    assert row is not None
    assert row.review_by == row.checked.replace(year=row.checked.year + 1)


def test_the_crisis_lines_of_the_countries_the_tests_build() -> None:
    table = bundled()
    for code in ("GB", "ES", "AU", "US"):
        row = table.row(code)
        assert row is not None and row.crisis is not None and row.crisis.name and row.crisis.number, code


def test_the_clinics_own_numbers_come_first() -> None:
    table = bundled()
    own = ServiceLine("Riverside crisis team", "0800 123 456")
    services = local_services(Clinic(country="GB", emergency_number="112", crisis_line=own), table)
    gb = table.row("GB")
    assert gb is not None
    assert dataclasses.replace(services, recognised=()) == LocalServices("GB", "112", gb.non_urgent, own)


def test_an_unknown_country_gets_no_numbers_at_all() -> None:
    unknown = local_services(Clinic(country="LB"), bundled())
    assert dataclasses.replace(unknown, recognised=()) == LocalServices("LB", None, None, None)
    assert dataclasses.replace(local_services(Clinic(), bundled()), recognised=()) == LocalServices()
    # never printed, only recognised: every country's emergency number, from the table alone
    assert unknown.recognised == tuple(sorted({row.emergency for row in bundled().rows}))


def test_an_unknown_country_keeps_the_clinics_own_number() -> None:
    services = local_services(Clinic(country="LB", emergency_number="140"), bundled())
    assert (services.emergency, services.crisis) == ("140", None)


def test_a_projects_table_replaces_and_adds_rows(tmp_path: Path) -> None:
    content = write_table(tmp_path / "content", """\
GB:
  emergency: "112"
  source: "A clinic's own check"
  checked: 2026-11-01
IS:
  emergency: "112"
  calling_code: "354"
  source: "Neyðarlínan (112.is)"
  checked: 2026-11-01
  review_by: 2027-05-01
""")
    table, problems = load_services(content)
    assert problems == []
    assert [p.name for p in table_files(content)] == [SERVICES_FILE, SERVICES_FILE]
    gb, iceland = table.row("GB"), table.row("IS")
    assert gb is not None and gb.emergency == "112" and gb.crisis is None  # the whole row is the project's
    assert gb.path.endswith(f"content/{SERVICES_FILE}") and Path(gb.path).resolve().is_relative_to(tmp_path)
    assert iceland is not None and iceland.review_by == dt.date(2027, 5, 1)
    assert table.row("AU") == bundled().row("AU")  # the rest comes from the bundled table


def test_a_project_without_its_own_table_uses_the_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    table, problems = load_services(tmp_path / "content")
    assert problems == [] and table.rows == bundled().rows


@pytest.mark.parametrize(("text", "where", "message"), [
    ("UK:\n  emergency: '112'\n  source: x\n  checked: 2026-01-01\n", ":1:", "did you mean 'GB'"),
    ("GB:\n  emergency: call us\n  source: x\n  checked: 2026-01-01\n", ":2:", "is not valid: write the number"),
    ("GB:\n  emergency: '112'\n  checked: 2026-01-01\n", ":2:", "required key 'source' is missing"),
    ("GB:\n  emergency: '112'\n  source: x\n  checked: 2026-02-30\n", ":4:", "not a real date"),
    ("GB:\n  emergency: '112'\n  crisis: {name: X}\n  source: x\n  checked: 2026-01-01\n", ":3:",
     "required key 'number' is missing"),
    ("GB:\n  emergency: '112'\n  source: x\n  checked: 2026-01-01\n  review_by: 2025-01-01\n", ":5:",
     "is before checked"),
    ("GB:\n  emergncy: '112'\n  source: x\n  checked: 2026-01-01\n", ":2:", "did you mean 'emergency'"),
])
def test_a_mistake_in_a_table_is_reported_with_its_line(tmp_path: Path, text: str, where: str, message: str) -> None:
    table, problems = load_services(write_table(tmp_path / "content", text))
    assert problems, text
    shown = [str(p) for p in problems]
    assert any(where in s and message in s and SERVICES_FILE in s for s in shown), shown


def test_a_broken_table_fails_the_library(tmp_path: Path) -> None:
    from helpers import copy_project

    from generator.content.library import load_library

    root = copy_project(tmp_path)
    (root / "content" / SERVICES_FILE).write_text("GB: [a list]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_library(root / "content")
    assert any(d.file.endswith(SERVICES_FILE) and d.line == 1 for d in caught.value.diagnostics)


def test_rows_past_their_review_date() -> None:
    table = bundled()
    gb = table.row("GB")
    assert gb is not None
    assert gb not in table.overdue(gb.review_by)  # due on the day, past it the day after
    assert gb in table.overdue(gb.review_by + dt.timedelta(days=1))


def test_no_page_template_or_module_writes_a_number_of_the_table() -> None:
    """Numbers live in the table only: a template or module that writes one would print it everywhere."""
    import re

    numbers = {n for row in bundled().rows
               for n in (row.emergency, *(line.number for line in (row.crisis, row.non_urgent) if line))
               if len(re.sub(r"\D", "", n)) >= 3}
    pattern = re.compile(r"(?<![\w.,/-])(" + "|".join(re.escape(n) for n in sorted(numbers)) + r")(?![\w,/-]|\.\d)")
    found = []
    for folder in (REPO / "content", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".md", ".html") and (match := pattern.search(path.read_text(encoding="utf-8"))):
                found.append(f"{path.relative_to(REPO)}: {match.group(1)}")
    assert found == []


@pytest.mark.parametrize(("text", "where", "message"), [
    ("ES:\n  emergency: '+1 555 0100'\n  calling_code: '34'\n  source: x\n  checked: 2026-01-01\n", ":2:",
     "ES.emergency: '+1 555 0100' does not start with +34, the calling_code of ES (Spain)"),
    ("ES:\n  emergency: '1'\n  crisis: {name: X, number: '0044 20 7946 0000'}\n  calling_code: '34'\n  source: x\n"
     "  checked: 2026-01-01\n", ":3:", "ES.crisis.number: '0044 20 7946 0000' does not start with +34"),
    ("ES:\n  emergency: '1'\n  non_urgent: {name: X, number: '+44 20 7946 0000'}\n  calling_code: '34'\n"
     "  source: x\n  checked: 2026-01-01\n", ":3:", "ES.non_urgent.number: '+44 20 7946 0000' does not start"),
    ("ES:\n  emergency: '+34 91 555 0100'\n  source: x\n  checked: 2026-01-01\n", ":2:",
     "is an international number, but the row has no calling_code"),
])
def test_a_rows_international_number_must_be_of_its_calling_code(tmp_path: Path, text: str, where: str,
                                                                  message: str) -> None:
    table, problems = load_services(write_table(tmp_path / "content", text))
    shown = [str(p) for p in problems]
    assert any(where in s and message in s and SERVICES_FILE in s for s in shown), shown


def test_a_rows_own_international_numbers_and_short_numbers_starting_00_pass(tmp_path: Path) -> None:
    text = ("ES:\n  emergency: '000'\n  crisis: {name: X, number: '+34 91 555 0100'}\n"
            "  non_urgent: {name: Y, number: '0034 91 555 0101'}\n  calling_code: '34'\n  source: x\n"
            "  checked: 2026-01-01\n")
    table, problems = load_services(write_table(tmp_path / "content", text))
    assert problems == []
    assert table.row("ES") is not None
