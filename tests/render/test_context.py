"""`services` in a module body: the local numbers, in <bdi dir="ltr">, and empty where none is known."""

from __future__ import annotations

from generator.content.sandbox import content_environment
from generator.content.services import LocalServices
from generator.profile.model import Profile, ServiceLine
from generator.render.context import content_context, services_context

BODY = ("{% if services.emergency %}E={{ services.emergency }}{% else %}none{% endif %}|"
        "{% if services.crisis %}{{ services.crisis.name }}={{ services.crisis.number }}{% endif %}|"
        "[{{ services.non_urgent.name }}{{ services.non_urgent.number }}]")


def render(services: LocalServices) -> str:
    profile = Profile(handbook=1, id="kim", preferred_name="Kim", language="en")
    return content_environment().from_string(BODY).render(content_context(profile, services))


def test_known_numbers_are_printed_left_to_right() -> None:
    shown = render(LocalServices("GB", "112", None, ServiceLine("Crisis <team>", "0800 123 456")))
    assert shown == ('E=<bdi dir="ltr">112</bdi>|Crisis &#60;team&#62;=<bdi dir="ltr">0800 123 456</bdi>|[]')


def test_nothing_known_is_false_and_empty() -> None:
    assert render(LocalServices()) == "none||[]"
    names = services_context(LocalServices())
    assert not names["crisis"] and not names["non_urgent"] and names["emergency"] == ""


def test_names_are_isolated_in_bdi_so_their_direction_stays_their_own() -> None:
    profile = Profile(handbook=1, id="kim", preferred_name="ليلى <b>", language="en")
    body = "Your pain is real, {{ reader.name }}.{% if reader.caregiver %} no{% endif %}"
    shown = content_environment().from_string(body).render(content_context(profile))
    assert shown == "Your pain is real, <bdi>ليلى &#60;b&#62;</bdi>."
