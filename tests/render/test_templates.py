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


def test_a_template_or_asset_edited_between_two_handbooks_is_read_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Sources and assets are remembered per process (no re-reading for every handbook of a batch),
    but only while their files stay the same: the studio renders again after an edit, in the same process."""
    from generator.output.site import asset_files

    templates = tmp_path / "templates"
    (templates / "assets").mkdir(parents=True)
    page, style = templates / "page.html", templates / "assets" / "site.css"
    page.write_text("first {{ 1 + 1 }}")
    style.write_text("body { color: black }")
    assert page_environment(templates).get_template("page.html").render() == "first 2"
    assert asset_files(templates)["assets/site.css"] == b"body { color: black }"
    page.write_text("second, longer {{ 2 + 2 }}")
    style.write_text("body { color: navy }")
    assert page_environment(templates).get_template("page.html").render() == "second, longer 4"
    assert asset_files(templates)["assets/site.css"] == b"body { color: navy }"
    replaced = templates / "new.html"
    replaced.write_text("third {{ 3 }}")  # same size as nothing before; another file put in its place
    replaced.replace(page)
    assert page_environment(templates).get_template("page.html").render() == "third 3"
