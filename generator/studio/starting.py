"""What the form of a new profile starts from: the commented starter of `handbook new`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.profile.edit import read_as_written
from generator.profile.load import id_problem
from generator.profile.starter import starter_profile

PLACEHOLDER_ID = "alex"  # names the starter while the clinician has not chosen an id


def new_profile_text(profile_id: str, today: dt.date | None = None) -> str:
    """The starter for `profile_id` (its comments name it), or for a placeholder while the id is invalid."""
    chosen = profile_id if profile_id and id_problem(profile_id) is None else PLACEHOLDER_ID
    return starter_profile(chosen, today or dt.date.today())


def starter_values(today: dt.date | None = None) -> dict[str, Any]:
    """The starter's values: what the form of a new profile shows before the clinician types."""
    values: dict[str, Any] = read_as_written(new_profile_text(PLACEHOLDER_ID, today), "the starter")
    return values
