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


def test_a_page_template_cannot_reach_python_and_read_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """From an adversarial review: page templates ran in a plain Jinja environment, so
    `lipsum.__globals__` opened /etc/passwd or listed profiles/ into every handbook."""
    import shutil

    import pytest
    from helpers import TODAY, copy_project

    from generator.build import BuildOptions, build
    from generator.errors import InputError
    from generator.project import find_project

    root = copy_project(tmp_path)
    index = root / "templates" / "index.html"
    if not index.exists():
        shutil.copy(REPO / "templates" / "index.html", index)
    text = index.read_text()
    assert "{% endblock %}" in text
    index.write_text(text.replace("{% endblock %}",
                                  '{{ lipsum.__globals__.__builtins__.open("/etc/passwd").read() }}{% endblock %}', 1))
    report = build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"],
                   BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}), today=TODAY))
    assert report.failed and not report.built
    assert "templates/index.html" in (report.failed[0].error or "") and "unsafe" in (report.failed[0].error or "")
    assert not list((tmp_path / "out").rglob("index.html"))
    env = page_environment(REPO / "templates")
    with pytest.raises(Exception) as caught:
        env.from_string("{{ cycler.__init__.__globals__.os.listdir('/') }}").render()
    assert not isinstance(caught.value, InputError) and "unsafe" in str(caught.value)


def test_a_template_expression_that_raises_is_the_templates_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`{{ hb.profile.id + 1 }}` in a clinic's layout was reported as 'unexpected error ... a bug in
    handbook' with no file or line (found by an adversarial review)."""
    from helpers import TODAY, copy_project

    from generator.build import BuildOptions, build
    from generator.project import find_project

    root = copy_project(tmp_path)
    layout = root / "templates" / "layout.html"
    text = layout.read_text()
    assert "</footer>" in text
    layout.write_text(text.replace("</footer>", "{{ hb.profile.id + 1 }}</footer>", 1))
    line = layout.read_text()[:layout.read_text().index("{{ hb.profile.id + 1 }}")].count("\n") + 1
    report = build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"],
                   BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}), today=TODAY))
    error = report.failed[0].error or ""
    assert f"templates/layout.html:{line}" in error and "TypeError" in error, error
    assert "bug in handbook" not in error
