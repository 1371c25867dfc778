"""What a module body and a page template may name, in one place.

Composing a handbook, the quality gates' sample reader and the library site all render
content, so they share these names instead of reaching into each other.
"""

from __future__ import annotations

from typing import Any

from generator.content.sandbox import TrustedHTML, escape_value
from generator.content.view import profile_namespace, wrap
from generator.language import Formats
from generator.profile.model import Profile


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


def content_context(profile: Profile) -> dict[str, Any]:
    """What a module body can name: the profile view, `reader`, and `clinic` with a safe phone."""
    names = profile_namespace(profile)
    first_caregiver = profile.caregivers[0].name if profile.caregivers else ""
    clinic = profile.clinic
    # A phone number is read left to right even inside Arabic text; <bdi> keeps the
    # bidi algorithm from reordering its digit groups.
    phone = TrustedHTML(f'<bdi dir="ltr">{escape_value(clinic.phone)}</bdi>') if clinic.phone else ""
    names.update(
        profile=wrap(profile),
        reader={"name": profile.preferred_name, "caregiver": first_caregiver},
        clinic={"name": clinic.name or "", "phone": phone, "clinician": clinic.clinician or "",
                "next_review": clinic.next_review or ""},
    )
    return names
