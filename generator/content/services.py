"""The local services table: emergency, health advice and crisis numbers, by country.

A handbook prints the numbers of its clinic's country and no other, so they live in one
data file of the content library, `content/services.yaml`, with the source of every row and
the date someone checked it; `handbook check-content` fails once a row is past its review
date. A project that keeps its own `content/` may have its own `services.yaml`: its rows
replace the bundled table's rows for the same countries and add new ones, so a clinic can
correct or add a country without copying the rest. The file is read and checked with the
same `Checker` as profiles, so a mistake is reported with file:line.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import Diagnostic, InputError, display_path, quote
from generator.inputs.checker import Checker, child
from generator.inputs.source import parse_yaml, read_source
from generator.profile.country import NUMBER_HINT, NUMBER_PATTERN, calling_code_of, country_names, country_problem
from generator.profile.model import Clinic, ServiceLine
from generator.project import table_files

ROW_KEYS = ("calling_code", "emergency", "non_urgent", "crisis", "source", "checked", "review_by")
REQUIRED_ROW_KEYS = ("emergency", "source", "checked")
LINE_KEYS = ("name", "number")
REVIEW_MONTHS = 12  # a row without `review_by` is due this long after it was checked
EXPECTED = "a mapping of country codes (GB, ES, ...) to their emergency, non_urgent and crisis numbers"


@dataclass(frozen=True)
class CountryServices:
    """One row of the table: what a handbook prints for clinics in `country`."""

    country: str  # ISO 3166-1 alpha-2
    emergency: str  # the number that sends an ambulance
    checked: dt.date  # when someone last checked the row against its source
    review_by: dt.date  # check-content fails after this day
    source: str  # who publishes the numbers, and where
    calling_code: str = ""  # the country's international calling code, without '+': '44'
    non_urgent: ServiceLine | None = None  # a health advice line for what is not an emergency
    crisis: ServiceLine | None = None  # a suicide and crisis line
    path: str = ""  # the file the row came from, for messages
    line: int | None = None


@dataclass(frozen=True)
class ServiceTable:
    rows: tuple[CountryServices, ...] = ()  # one per country, in code order
    files: tuple[str, ...] = ()  # the files read, bundled table first

    def row(self, country: str | None) -> CountryServices | None:
        return next((r for r in self.rows if r.country == country), None)

    @property
    def calling_codes(self) -> dict[str, str]:
        """Every country of the table with its calling code ('' when the row gives none)."""
        return {r.country: r.calling_code for r in self.rows}

    def overdue(self, today: dt.date) -> tuple[CountryServices, ...]:
        """The rows past their review date on `today`."""
        return tuple(r for r in self.rows if r.review_by < today)


@dataclass(frozen=True)
class LocalServices:
    """The numbers one handbook prints: its country's row, with the clinic's own lines first.

    A missing number is None, and the handbook says "your local emergency number" instead:
    it never prints another country's number.
    """

    country: str | None = None
    emergency: str | None = None
    non_urgent: ServiceLine | None = None
    crisis: ServiceLine | None = None
    # Every country's emergency number in the table: never printed, only used to recognise a
    # clinician's "call ..." as an emergency where this handbook's own number is unknown.
    recognised: tuple[str, ...] = ()


NO_SERVICES = LocalServices()  # no country known: the handbook prints neutral wording


def local_services(clinic: Clinic, table: ServiceTable) -> LocalServices:
    """The clinic's overrides, then its country's row of `table`; nothing for an unknown country."""
    row = table.row(clinic.country)
    return LocalServices(
        country=clinic.country,
        emergency=clinic.emergency_number or (row.emergency if row else None),
        non_urgent=row.non_urgent if row else None,
        crisis=clinic.crisis_line or (row.crisis if row else None),
        recognised=tuple(sorted({r.emergency for r in table.rows})),
    )


def load_services(content_dir: Path) -> tuple[ServiceTable, list[Diagnostic]]:
    """The table a library in `content_dir` uses, and every problem of its files."""
    rows: dict[str, CountryServices] = {}
    problems: list[Diagnostic] = []
    files = table_files(content_dir)
    for path in files:
        try:
            found, file_problems = _read_table(path)
        except InputError as error:
            problems.extend(error.diagnostics or [Diagnostic(display_path(path), None, None, "", error.message)])
            continue
        problems.extend(file_problems)
        rows.update({row.country: row for row in found})  # a project's row replaces the bundled one
    table = ServiceTable(tuple(rows[code] for code in sorted(rows)), tuple(display_path(p) for p in files))
    return table, problems


def _read_table(path: Path) -> tuple[list[CountryServices], list[Diagnostic]]:
    source = display_path(path)
    root = parse_yaml(read_source(path), source, expected=EXPECTED)
    c = Checker(source)
    rows: list[CountryServices] = []
    if not isinstance(root, yaml.MappingNode):
        c.error(root, "", f"expected {EXPECTED}")
        return rows, c.diagnostics
    for key, node in root.value:
        code = key.value if isinstance(key, yaml.ScalarNode) else ""
        if problem := country_problem(code):
            c.error(key, code, problem)
            continue
        row = _row(c, code, node, source, key.start_mark.line + 1)
        if row is not None:
            rows.append(row)
    return rows, c.diagnostics


def _row(c: Checker, code: str, node: yaml.Node, source: str, line: int) -> CountryServices | None:
    f = c.mapping(node, code, known=ROW_KEYS, required=REQUIRED_ROW_KEYS,
                  expected="a country's numbers (emergency, non_urgent, crisis, source, checked)")
    if f is None:
        return None
    before = len(c.diagnostics)

    calling_code = (c.text(f["calling_code"], child(code, "calling_code"), pattern=r"[1-9][0-9]{0,3}",
                           hint="the digits after '+', such as '44'") if "calling_code" in f else "")

    def number(key: str, where: str = code, fields: dict[str, yaml.Node] = f) -> str | None:
        if key not in fields:
            return None
        phone = c.text(fields[key], child(where, key), pattern=NUMBER_PATTERN, hint=NUMBER_HINT)
        if phone and (problem := _prefix_problem(phone, code, calling_code)):
            c.error(fields[key], child(where, key), problem)
        return phone

    def service_line(key: str) -> ServiceLine | None:
        if key not in f:
            return None
        where = child(code, key)
        fields = c.mapping(f[key], where, known=LINE_KEYS, required=LINE_KEYS, expected="a name and a number")
        if fields is None:
            return None
        name = c.text(fields["name"], child(where, "name")) if "name" in fields else None
        phone = number("number", where, fields)
        return ServiceLine(name, phone) if name and phone else None

    emergency = number("emergency")
    non_urgent, crisis = service_line("non_urgent"), service_line("crisis")
    source_text = c.text(f["source"], child(code, "source")) if "source" in f else None
    checked = c.date(f["checked"], child(code, "checked")) if "checked" in f else None
    review_by = c.date(f["review_by"], child(code, "review_by")) if "review_by" in f else None
    if checked and review_by and review_by < checked:
        c.error(f["review_by"], child(code, "review_by"),
                f"review_by {review_by.isoformat()} is before checked {checked.isoformat()}")
    if len(c.diagnostics) > before or emergency is None or source_text is None or checked is None:
        return None
    return CountryServices(
        country=code, emergency=emergency, checked=checked, review_by=review_by or _months_later(checked),
        source=source_text, calling_code=calling_code or "", non_urgent=non_urgent, crisis=crisis,
        path=source, line=line,
    )


def _prefix_problem(phone: str, country: str, calling_code: str | None) -> str | None:
    """Why an international number (+NN or 00NN) is not one of `country`'s, or None.

    A handbook prints a row's numbers to readers in `country`: another country's number there
    reaches no one who can help.
    """
    digits = calling_code_of(phone)
    if digits is None or (calling_code and digits.startswith(calling_code)):
        return None
    if not calling_code:
        return (f"{quote(phone)} is an international number, but the row has no calling_code to check it "
                f"against: add {country}'s calling_code, or write the number as it is dialled in {country}")
    return (f"{quote(phone)} does not start with +{calling_code}, the calling_code of {country} "
            f"({country_names().get(country, country)}): it is another country's number; check the number "
            "and the row")


def _months_later(day: dt.date, months: int = REVIEW_MONTHS) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
