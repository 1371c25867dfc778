"""What a module body and a page template may name, in one place.

Composing a handbook, the quality gates' sample reader and the library site all render
content, so they share these names instead of reaching into each other.
"""

from __future__ import annotations

from typing import Any

from generator.content.sandbox import TrustedHTML, escape_value
from generator.content.services import NO_SERVICES, LocalServices
from generator.content.view import SectionView, profile_namespace, wrap
from generator.language import Formats
from generator.profile.model import Profile, ServiceLine


def template_helpers(formats: Formats) -> dict[str, Any]:
    return {
        "format_date": formats.date,
        "format_short_date": formats.short_date,
        "format_weekday": formats.weekday,
        "format_time": formats.time,
        "format_duration": formats.duration,
        "format_number": formats.number,
        "format_number_list": formats.number_list,
    }


def phone_html(number: str | None) -> TrustedHTML | str:
    """A phone number as inert text in <bdi dir="ltr">, or "" for none.

    A phone number is read left to right even inside Arabic text; <bdi> keeps the bidi
    algorithm from reordering its digit groups.
    """
    return TrustedHTML(f'<bdi dir="ltr">{escape_value(number)}</bdi>') if number else ""


def name_html(name: str) -> TrustedHTML | str:
    """A person's name as inert text in <bdi>, or "" for none: an Arabic name in an English sentence
    (or the reverse) must not pull the punctuation around it into its own direction."""
    return TrustedHTML(f"<bdi>{escape_value(name)}</bdi>") if name else ""


def _line_view(line: ServiceLine | None) -> SectionView:
    """A crisis or advice line for content: `.name` and `.number`; false, and empty, when there is none."""
    if line is None:
        return SectionView(ServiceLine("", ""), present=False)
    return SectionView(ServiceLine(line.name, phone_html(line.number)))


def services_context(services: LocalServices) -> dict[str, Any]:
    """`services`: the local numbers a body may print; each is empty (false) where none is known."""
    return {
        "country": services.country or "",
        "emergency": phone_html(services.emergency),
        "non_urgent": _line_view(services.non_urgent),
        "crisis": _line_view(services.crisis),
    }


def content_context(profile: Profile, services: LocalServices = NO_SERVICES) -> dict[str, Any]:
    """What a module body can name: the profile view, `reader`, `clinic` with a safe phone, and `services`."""
    names = profile_namespace(profile)
    first_caregiver = profile.caregivers[0].name if profile.caregivers else ""
    clinic = profile.clinic
    names.update(
        profile=wrap(profile),
        reader={"name": name_html(profile.preferred_name), "caregiver": name_html(first_caregiver)},
        clinic={"name": clinic.name or "", "phone": phone_html(clinic.phone), "clinician": clinic.clinician or "",
                "next_review": clinic.next_review or "", "country": clinic.country or ""},
        services=services_context(services),
    )
    return names
