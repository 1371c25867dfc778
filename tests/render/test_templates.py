"""The page templates' environment: strict, autoescaping, with the filters templates use."""

from __future__ import annotations

from helpers import REPO

from generator.render.templates import page_environment


def test_bdi_isolates_a_name_in_a_sentence_and_escapes_it() -> None:
    env = page_environment(REPO / "templates")
    shown = env.from_string('{{ _("Help %(name)s keep this card.", name=name | bdi) }}').render(name="ليلى <b>")
    assert shown == "Help <bdi>ليلى &lt;b&gt;</bdi> keep this card."
    assert env.from_string("[{{ '' | bdi }}]").render() == "[]"


def test_the_plan_templates_isolate_the_names_they_print_in_sentences() -> None:
    for name in ("plans/body_map.html", "plans/care_team.html", "plans/flare_card.html"):
        text = (REPO / "templates" / name).read_text(encoding="utf-8")
        assert "name=profile.preferred_name)" not in text and "name=profile.preferred_name | bdi)" in text, name
