"""A clinic's country and phone numbers: ISO 3166-1 codes with did-you-mean, and calling-code checks.

The country chooses which emergency and crisis numbers a handbook prints, so a code that is
nearly right must not pass: 'UK', 'gb' and 'Spain' are refused with the code meant. Babel's
CLDR data knows every code and its name in many languages, so nothing is kept here by hand
but the few names people write that are no country's name ('UK', 'England', 'USA').
The profile loader uses these checks; the content library's service table uses the code check
for its rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import yaml
from babel import Locale

from generator.errors import quote
from generator.inputs.checker import Checker, child, close_match
from generator.profile.model import Clinic

COUNTRY_PATTERN = r"[A-Z]{2}"
# Phone-like text for a service's number: digits with spaces, dots, hyphens, brackets, a leading
# '+' (an international number) or '*' (a short code such as *4141) and '#'.
NUMBER_PATTERN = r"[+*#]?[0-9](?:[0-9 ().#*/-]*[0-9#])?"
NUMBER_HINT = "write the number with digits, spaces and hyphens, such as '116 123' or '+44 20 7946 0321'"
# CLDR codes that are no ISO 3166-1 country: regions, groupings and reserved codes.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})
# Names people write for a country that CLDR does not use as that country's name.
_ALIASES = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "great britain": "GB", "britain": "GB", "usa": "US", "america": "US", "el": "GR",
}
_NAME_LANGUAGES = ("en", "es", "ar", "fr", "de")


@cache
def country_names() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code and its English name."""
    territories = Locale("en").territories
    return {code: name for code, name in territories.items()
            if re.fullmatch(COUNTRY_PATTERN, code) and code not in _NOT_COUNTRIES}


@cache
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    codes = country_names()
    for language in _NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(name.lower(), code)
    return names


def country_problem(value: str) -> str | None:
    """Why `value` is not an ISO 3166-1 alpha-2 country code, with a did-you-mean; None if it is one."""
    codes = country_names()
    if value in codes:
        return None
    shown = quote(value)
    guess = suggest_country(value)
    if guess:
        hint = f" did you mean '{guess}' ({codes[guess]})?"
    else:
        hint = " expected a two-letter ISO 3166-1 code in capitals, such as GB, ES, US or AU"
    return f"unknown country {shown}:{hint}"


def suggest_country(value: str) -> str | None:
    """The country code someone who wrote `value` most likely meant: 'gb', 'UK', 'Spain', 'Spian'."""
    codes = country_names()
    text = value.strip()
    lowered = text.lower()
    if text.upper() in codes and len(text) == 2:
        return text.upper()
    by_name = {**_codes_by_name(), **_ALIASES}
    if lowered in by_name:
        return by_name[lowered]
    if len(text) > 3:
        near = close_match(text, list(by_name), 0.8)
        if near is not None:
            return by_name[near.lower()]
    return None


def calling_code_of(phone: str) -> str | None:
    """The digits after an international prefix ('+44 20 ...' or '0044 20 ...'), or None for a local number.

    '00' is a prefix only before a whole international number: '000', Australia's emergency
    number, is a local number.
    """
    text = phone.strip()
    if text.startswith("+"):
        digits = re.sub(r"[^0-9]", "", text)
    elif text.startswith("00"):
        digits = re.sub(r"[^0-9]", "", text)[2:]
        if not re.fullmatch(r"[1-9][0-9]{6,}", digits):
            return None
    else:
        return None
    return digits or None


def phone_prefix_problem(phone: str, country: str, calling_codes: Mapping[str, str],
                         what: str = "the phone number") -> str | None:
    """Why an international `phone` does not look like a number in `country`, or None.

    `calling_codes` maps the countries whose calling code is known to it ('GB': '44'). Calling
    codes are prefix-free (E.164), so a number belongs to a code when its digits start with it.
    `what` names the number in the message ("the emergency number").
    """
    digits = calling_code_of(phone)
    code = calling_codes.get(country)
    if digits is None or not code or digits.startswith(code):
        return None
    names = country_names()
    owners = sorted(c for c, other in calling_codes.items() if other and digits.startswith(other))
    if owners:
        whose = " or ".join(f"{c} ({names.get(c, c)})" for c in owners)
        return (f"{what} {quote(phone)} starts with +{calling_codes[owners[0]]}, the calling "
                f"code of {whose}, but clinic.country is {country} (+{code}): check the number and the country")
    return (f"{what} {quote(phone)} does not start with +{code}, the calling code of "
            f"{country} ({names.get(country, country)}): check the number and clinic.country")


NEUTRAL = "the handbook prints \"your local emergency number\" and no crisis line"


def check_local_services(c: Checker, node: yaml.Node, fields: Mapping[str, yaml.Node], clinic: Clinic,
                         known_countries: Mapping[str, str] | None, path: str = "clinic") -> None:
    """Warn (file:line, exit 0) where a handbook would print no local numbers, or a phone disagrees.

    `known_countries`: the countries the content library's service table has a row for, each
    with its calling code ('' when the row has none); None when the table is not at hand, and
    then nothing is checked.
    """
    if known_countries is None:
        return
    if clinic.emergency_number is None:
        if clinic.country is None and "country" not in fields:
            c.warn(node, child(path, "country"),
                   f"no country: {NEUTRAL}; add the clinic's country, such as 'country: GB'")
        elif clinic.country is not None and clinic.country not in known_countries:
            c.warn(fields["country"], child(path, "country"),
                   f"the service table has no row for {clinic.country} ({country_names()[clinic.country]}): "
                   f"{NEUTRAL}; add clinic.emergency_number and clinic.crisis_line, or a row for "
                   f"{clinic.country} to the project's content/services.yaml")
    if not clinic.country:
        return
    crisis = fields.get("crisis_line")
    crisis_fields = ({k.value: v for k, v in crisis.value if isinstance(k, yaml.ScalarNode)}
                     if isinstance(crisis, yaml.MappingNode) else {})
    numbers = (  # each number the handbook prints, and where it is written
        (clinic.phone, fields.get("phone"), "phone", "the phone number"),
        (clinic.emergency_number, fields.get("emergency_number"), "emergency_number", "the emergency number"),
        (clinic.crisis_line.number if clinic.crisis_line else None, crisis_fields.get("number", crisis),
         "crisis_line.number", "the crisis line's number"),
    )
    for number, where, key, what in numbers:
        if number and (problem := phone_prefix_problem(number, clinic.country, known_countries, what)):
            c.warn(where, child(path, key), problem)
