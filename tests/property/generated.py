"""Generated inputs the property tests share: values of every YAML type and size, and document mutations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from generator.content.library import MODULE_KEYS
from generator.profile import model
from generator.profile.load import KEYS

ALL_KEYS = sorted({key for keys in KEYS.values() for key in keys} | set(MODULE_KEYS))
WORDS = sorted({*ALL_KEYS, *model.SYMPTOMS, *model.AREAS, *model.UNITS, *model.PAPERS, *model.EDITIONS,
                *model.SLEEP_PROBLEMS, *model.PLAN_KINDS, "en", "es", "ar", "GB", "US", "both", "patient"})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), st.sampled_from(WORDS),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([dt.date.max, dt.date(9999, 12, 1), dt.date(9998, 6, 1), dt.date.min, dt.date(2999, 12, 31),
                     dt.date(3000, 1, 1), dt.date(1899, 12, 31)]),  # the ends of the calendar, and of ours
    st.sampled_from([2**4000, 10**40, -(10**12) - 1, 10**12, 2**63, 1e308, -1e-308, 0.1]),
    st.sampled_from(["23:30", "7:00", "25:61", "9999-12-31", "1e308", "-0", ".nan", "0x1F", "1_000", "+1 555 0100",
                     "\U0001F600", "Jo\u202eoJ", "\x1b[2J", "\ud800"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.one_of(st.sampled_from(ALL_KEYS), st.text(max_size=10)),
                                                 inner, max_size=6)), max_leaves=12)



def paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: the keys and indexes that lead to it."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*path, index))
    return found


def mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    if not path:
        return value if action == "swap" else data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "swap":
        parent[last] = value
    elif action == "insert" and isinstance(parent, list):
        parent.insert(last, value)
    elif action == "insert" and isinstance(parent, dict):
        parent[f"{last}"] = value
    elif action == "repeat" and isinstance(parent, list):
        parent.extend([parent[last]] * 30)
    return data
