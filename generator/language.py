"""Locale-aware formats (dates, times, numbers) and text direction, through Babel.

Babel's CLDR data gives each language its own date order, month names and
digits, and tells which languages are written right to left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list

SOURCE_LANGUAGE = "en"


@cache
def locale_for(language: str) -> Locale:
    """The Babel locale of a BCP 47 tag, falling back to the source language."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Formats:
    """Formatting functions bound to one language, handed to templates."""

    language: str

    @property
    def direction(self) -> str:
        return "rtl" if locale_for(self.language).text_direction == "rtl" else "ltr"

    def date(self, value: dt.date, style: str = "long") -> str:
        return babel_dates.format_date(value, format=style, locale=locale_for(self.language))

    def short_date(self, value: dt.date) -> str:
        """Day and month only (diary rows), in the language's own order."""
        return babel_dates.format_skeleton("MMMd", value, locale=locale_for(self.language))

    def weekday(self, value: dt.date) -> str:
        return babel_dates.format_date(value, format="EEE", locale=locale_for(self.language))

    def time(self, value: dt.time) -> str:
        return babel_dates.format_time(value, format="short", locale=locale_for(self.language))

    def duration(self, value: dt.timedelta) -> str:
        """Hours and minutes, e.g. "7 hours 30 minutes" (Babel alone rounds to one unit)."""
        hours, minutes = divmod(int(value.total_seconds()) // 60, 60)
        locale = locale_for(self.language)
        parts = [babel_dates.format_timedelta(dt.timedelta(hours=hours), granularity="hour", threshold=1000,
                                               locale=locale)] if hours else []
        if minutes or not hours:
            parts.append(babel_dates.format_timedelta(dt.timedelta(minutes=minutes), granularity="minute",
                                                      threshold=1000, locale=locale))
        return " ".join(parts)

    def number(self, value: float | int) -> str:
        return babel_numbers.format_decimal(value, locale=locale_for(self.language))

    def number_list(self, values: Sequence[float | int]) -> str:
        """"12, 15 y 9", "12 و15 و9": each language's own list punctuation and word for "and"."""
        return format_list([self.number(v) for v in values], style="standard", locale=locale_for(self.language))
