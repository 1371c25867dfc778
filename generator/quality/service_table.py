"""The service table's review dates as `check-content` findings.

Emergency and crisis numbers change, so every row of content/services.yaml carries the day
it was checked and when it is due again. A row past its review date fails `check-content`,
naming the country and the row's file and line, like a module past its review.
"""

from __future__ import annotations

import datetime as dt

from generator.content.services import ServiceTable
from generator.errors import quote
from generator.profile.country import country_names
from generator.quality.report import Problem

GATE = "services"


def table_problems(table: ServiceTable, today: dt.date) -> tuple[Problem, ...]:
    """Every row past its review date on `today`, as a failing finding at the row's line."""
    names = country_names()
    return tuple(
        Problem(row.path, row.line, "", GATE,
                f"the numbers for {row.country} ({names.get(row.country, row.country)}) were due for review "
                f"on {row.review_by.isoformat()} (checked {row.checked.isoformat()}): check them against "
                f"{quote(row.source)}, then update 'checked' (and 'review_by', if the row has one)")
        for row in table.overdue(today)
    )
