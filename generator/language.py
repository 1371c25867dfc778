"""A reader's language, in one place: the tag checked and normalised, its name, direction and formats.

A language tag used to be split, lower-cased and looked up in Babel in eight places; now a
profile's tag is checked once when the profile loads (`language_problem`) and resolved once
per handbook (`Language.of`), and the stages below read what they need from that value.
Babel's CLDR data gives each language its own date order, month names and digits, and
tells which languages are written right to left.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list
from babel.units import format_unit

from generator.errors import InputError, quote

SOURCE_LANGUAGE = "en"  # the language the library is written in
LANGUAGE_PATTERN = r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"  # BCP 47, as a profile writes it: es, pt-BR


def _babel_locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


# ISO 639 codes that name no language (Babel knows some of them as locales).
NO_LANGUAGE = {"und": "'und' means undetermined", "mul": "'mul' means several languages",
               "zxx": "'zxx' means no linguistic content", "mis": "'mis' means a language without a code",
               "root": "'root' is CLDR's base locale"}


def language_problem(tag: str) -> str | None:
    """Why `tag` is not a BCP 47 language tag we can use, or None if it is one."""
    shown = quote(tag)
    if tag.split("-")[0].lower() in NO_LANGUAGE:
        return (f"{shown} is not a language a handbook can be written in ({NO_LANGUAGE[tag.split('-')[0].lower()]}): "
                "expected a BCP 47 tag such as en, es or ar")
    if re.fullmatch(LANGUAGE_PATTERN, tag):
        if _babel_locale(tag) is not None:
            return None
        hint = _language_suggestion(tag) or " expected a BCP 47 tag such as en, es or ar"
        return f"unknown language {shown}:{hint}"
    hint = _language_suggestion(tag) or " expected a BCP 47 tag such as en, es, ar or pt-BR"
    return f"{shown} is not a language tag:{hint}"


def _language_suggestion(tag: str) -> str:
    """" did you mean 'es'?" for 'ES', 'es_MX' or 'Spanish'; "" otherwise.

    Codes are too short for spelling distance to mean anything ('xx' is not near 'zxx').
    """
    candidate = normalise_tag(tag)
    if candidate != tag and re.fullmatch(LANGUAGE_PATTERN, candidate) and _babel_locale(candidate):
        return f" did you mean '{candidate}'?"
    by_name = {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}
    if tag.strip().lower() in by_name:
        return f" did you mean '{by_name[tag.strip().lower()]}'?"
    return ""


def normalise_tag(tag: str) -> str:
    """'es_MX', ' ES-MX ' -> 'es-MX': hyphens, and the primary language subtag in lower case."""
    primary, *rest = tag.strip().replace("_", "-").split("-")
    return "-".join([primary.lower(), *rest])


def language_from_user(tag: str) -> Language:
    """A tag a translator or clinician typed (es, pt_BR, pt-BR); InputError, with a suggestion, if it is none."""
    problem = language_problem(tag.replace("_", "-"))  # gettext folder names use "_"
    if problem:
        raise InputError(problem)
    return Language.of(tag)


# Languages whose text addresses the reader differently by grammatical gender: their catalogues
# hold, beside each message, a variant for each gender listed here (msgctxt "<context>|feminine"),
# used when the profile's grammatical_gender asks for it. The plain message is the default form
# (in Arabic, the masculine that health writing conventionally uses for any reader).
ADDRESS_VARIANTS: dict[str, tuple[str, ...]] = {"ar": ("feminine",)}


@dataclass(frozen=True)
class Language:
    """One reader's language, resolved once per handbook and passed down the stages."""

    tag: str  # normalised BCP 47: es, es-MX, ar
    locale: Locale  # Babel's; the source language's when Babel has no data for the tag
    known: bool  # whether Babel knows the tag (else names and formats are the source language's)

    @staticmethod
    @cache
    def of(tag: str) -> Language:
        tag = normalise_tag(tag)
        known = _babel_locale(tag)
        return Language(tag, known or Locale.parse(SOURCE_LANGUAGE), known is not None)

    @property
    def base(self) -> str:
        """The primary language subtag: 'es' for es-MX."""
        return self.tag.split("-")[0]

    @property
    def is_source(self) -> bool:
        """English and its regional variants read the source modules as written."""
        return self.base == SOURCE_LANGUAGE

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    @property
    def name(self) -> str:
        """The language's name in itself ("español", "العربية"), for notices and reports."""
        return (self.locale.get_display_name(self.locale) or self.tag) if self.known else self.tag

    @property
    def address_variants(self) -> tuple[str, ...]:
        """The grammatical genders this language's catalogues keep a variant of each message for."""
        return ADDRESS_VARIANTS.get(self.base, ())

    def address_variant(self, gender: str | None) -> str | None:
        """The variant to read for a reader of `gender`, or None for the default text."""
        return gender if gender in self.address_variants else None

    @property
    def catalog_folder(self) -> str:
        """The gettext folder name of this tag: pt_BR."""
        return str(self.locale) if self.known else self.tag.replace("-", "_")

    @property
    def catalog_candidates(self) -> tuple[str, ...]:
        """Catalogue folders that may serve this language, most specific first: es_MX, es-MX, es."""
        parts = self.tag.split("-")
        names = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
        return tuple(dict.fromkeys([names[0], self.tag, *names]))

    @cached_property
    def formats(self) -> Formats:
        return Formats(self.locale)


@dataclass(frozen=True)
class Formats:
    """Formatting functions bound to one language's locale, handed to templates."""

    locale: Locale

    def date(self, value: dt.date, style: str = "long") -> str:
        return babel_dates.format_date(value, format=style, locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        """Day and month only (diary rows), in the language's own order."""
        return babel_dates.format_skeleton("MMMd", value, locale=self.locale)

    def weekday(self, value: dt.date) -> str:
        return babel_dates.format_date(value, format="EEE", locale=self.locale)

    def time(self, value: dt.time) -> str:
        return babel_dates.format_time(value, format="short", locale=self.locale)

    def duration(self, value: dt.timedelta) -> str:
        """Hours and minutes, e.g. "7 hours 30 minutes" (Babel alone rounds to one unit)."""
        hours, minutes = divmod(int(value.total_seconds()) // 60, 60)
        locale = self.locale
        parts = [babel_dates.format_timedelta(dt.timedelta(hours=hours), granularity="hour", threshold=1000,
                                               locale=locale)] if hours else []
        if minutes or not hours:
            parts.append(babel_dates.format_timedelta(dt.timedelta(minutes=minutes), granularity="minute",
                                                      threshold=1000, locale=locale))
        return " ".join(parts)

    def number(self, value: float | int) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def file_size(self, size: int) -> str:
        """A file's size as people say it: "1.2 MB", "850 kB", in the language's own digits and units."""
        if size >= 1_000_000:
            return format_unit(size / 1_000_000, "digital-megabyte", length="short", format="#,##0.0",
                               locale=self.locale)
        return format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=self.locale)

    def number_list(self, values: Sequence[float | int]) -> str:
        """"12, 15 y 9", "12 و15 و9": each language's own list punctuation and word for "and"."""
        return format_list([self.number(v) for v in values], style="standard", locale=self.locale)


def N_(text: str) -> str:  # noqa: N802 - the name gettext's extractors know
    """Marks an interface string for `handbook i18n extract`; whoever shows it translates it there.

    Used where a string is made before anyone knows the language it will be shown in: a form
    label, a save refusal of profile/edit.py that the studio shows in its own language. It lives
    on the ground floor so that every stage may mark its words.
    """
    return text
