"""Paragraph-level content translation: segmenting, extracting, updating, applying, building."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from helpers import REPO, TODAY, copy_project, write_profile

from generator.build import BuildOptions, build
from generator.content.library import Module, load_library
from generator.i18n.catalogs import po_path, read_catalog
from generator.i18n.segments import module_messages, segment_body
from generator.i18n.tools import extract, extract_content, update
from generator.i18n.translator import ContentTranslator, check_translation, translate_module
from generator.language import Language
from generator.project import find_project

LIBRARY = load_library(REPO / "content")

SAMPLE = """\
## Heading one ##

A paragraph that runs
over two lines.  
Third line with a hard break above.

::: tip Good to know
- First item
- Second item
  continued here
  1. Nested numbered
:::

::: caregiver
Sit with {{ reader.name }} while they rest.
:::

{{ pacing_plan() }}

{% if profile.sleep %}
> Quoted text
> on two lines.
>
> Second quoted paragraph.
{% endif %}

| Rating | What to do next |
|:---|---:|
| 2 or less | Move **up** |
| 3 \\| 4 | |

<!-- a note for authors,
over two lines -->

```
code stays
```

---
Last paragraph.\r
with a CRLF line.
"""


def texts(body: str) -> list[str]:
    return [s.text for s in segment_body(body).segments]


def es(text: str) -> str:
    """A stand-in translation that keeps every placeholder, number and tag."""
    return "ES " + text


def es_catalog(modules, *, language: str = "es") -> Catalog:
    catalog = Catalog(locale=language)
    for module in modules:
        for message in module_messages(module):
            catalog.add(message.id, es(message.id), context=message.context)
    return catalog


# --- segmentation -----------------------------------------------------------------------------


@pytest.mark.parametrize("module", LIBRARY.modules, ids=lambda m: m.id)
def test_identity_translation_rebuilds_every_real_module_byte_for_byte(module: Module) -> None:
    body = segment_body(module.body)
    assert body.rebuild([s.text for s in body.segments]) == module.body
    assert body.segments, "every module has something to translate"


def test_sample_rebuilds_byte_for_byte_and_finds_exactly_the_blocks() -> None:
    body = segment_body(SAMPLE)
    assert body.rebuild([s.text for s in body.segments]) == SAMPLE
    assert texts(SAMPLE) == [
        "Heading one",
        "A paragraph that runs\nover two lines.\nThird line with a hard break above.",
        "Good to know",
        "First item",
        "Second item\ncontinued here",
        "Nested numbered",
        "Sit with {{ reader.name }} while they rest.",
        "Quoted text\non two lines.",
        "Second quoted paragraph.",
        "Rating", "What to do next", "2 or less", "Move **up**", "3 \\| 4",
        "Last paragraph.\nwith a CRLF line.",
    ]


def test_structure_is_never_a_message() -> None:
    found = "\n".join(texts(SAMPLE))
    for structure in (":::", "pacing_plan", "{% if", "|:---", "a note for authors", "code stays", "---"):
        assert structure not in found


def test_kinds_and_notes_say_what_each_block_is() -> None:
    comments = {s.text: s.comment() for s in segment_body(SAMPLE).segments}
    assert comments["Heading one"] == "heading"
    assert comments["Good to know"] == "callout title; in the 'tip' box"
    assert comments["First item"] == "list item; in the 'tip' box"
    assert comments["Sit with {{ reader.name }} while they rest."] == "paragraph; caregiver edition only"
    assert comments["Quoted text\non two lines."] == "blockquote"
    assert comments["Rating"] == "table column heading"
    assert comments["2 or less"] == "table cell"


def test_translations_keep_markers_indentation_and_pipes() -> None:
    body = segment_body(SAMPLE)
    rebuilt = body.rebuild([f"T{i} " + s.text for i, s in enumerate(body.segments)])
    assert "## T0 Heading one ##\n" in rebuilt
    assert "::: tip T2 Good to know\n" in rebuilt
    assert "- T4 Second item\n  continued here\n  1. T5 Nested numbered\n" in rebuilt
    assert "> T7 Quoted text\n> on two lines.\n" in rebuilt
    assert "| T11 2 or less | T12 Move **up** |\n" in rebuilt
    assert "{{ pacing_plan() }}\n" in rebuilt and "|:---|---:|\n" in rebuilt


def test_a_longer_translation_continues_under_its_list_marker() -> None:
    body = segment_body("- one\n- two\n")
    assert body.rebuild(["uno\nmás", "dos"]) == "- uno\n  más\n- dos\n"


# --- extraction -------------------------------------------------------------------------------


def test_extraction_gives_contexts_locations_and_comments() -> None:
    catalog = extract_content(LIBRARY)
    module = LIBRARY.module("pacing-basics")
    path = f"content/pacing/{Path(module.path).name}"
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    mine = [m for m in catalog if m.id and m.context == "pacing-basics"]
    assert mine[0].id == module.title and mine[0].auto_comments == ["module title"]
    assert lines[mine[0].locations[0][1] - 1].startswith("title:")
    assert mine[1].id == module.summary and lines[mine[1].locations[0][1] - 1].startswith("summary:")
    for message in mine[2:]:
        (file, line), = message.locations[:1]
        assert file == path
        assert message.id.split("\n")[0] in lines[line - 1], (message.id, line)
    caregiver = [m for m in mine if "Help {{ reader.name }} choose" in m.id]
    assert caregiver and "caregiver edition only" in caregiver[0].auto_comments[0]
    assert any("Keep {{ reader.name }}" in c for c in caregiver[0].auto_comments)
    assert not [m for m in catalog if m.id and (m.id.startswith(":::") or "pacing_plan()" in m.id)]
    topics = [m for m in catalog if m.context and m.context.startswith("topic:")]
    titles = [m for m in topics if m.auto_comments == ["chapter title"]]
    assert len(titles) == len(LIBRARY.topics) and titles[0].locations[0][0] == "content/topics.yaml"
    points = [m for m in topics if m not in titles]
    assert {(m.id, m.context) for m in points} == {
        (p.text, f"topic:{t.id}") for t in LIBRARY.topics for p in (*t.key_points, *t.caregiver_key_points)}
    assert all("chapter key point" in m.auto_comments[0] for m in points)
    topics_yaml = (REPO / "content" / "topics.yaml").read_text(encoding="utf-8").splitlines()
    assert all(m.id in topics_yaml[m.locations[0][1] - 1] for m in points)


def test_every_real_message_has_its_module_as_context() -> None:
    catalog = extract_content(LIBRARY)
    contexts = {m.context for m in catalog if m.id}
    assert set(LIBRARY.module_ids) <= contexts
    assert all(c in LIBRARY.module_ids or c.startswith("topic:") for c in contexts)


# --- update -----------------------------------------------------------------------------------


def _fill(path: Path) -> None:
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if message.id:
            message.string = es(message.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def test_update_marks_exactly_the_changed_paragraph_fuzzy_and_keeps_the_previous_msgid(tmp_path: Path) -> None:
    project = find_project(copy_project(tmp_path))
    extract(project, load_library(project.content_dir))
    update(project, ["es"])
    po = po_path(project, "content", "es")
    _fill(po)
    module_file = project.content_dir / "pacing" / "pacing-basics.md"
    old = "Pacing breaks this cycle. It means doing a steady amount, most days, whether the day is good or bad."
    new = "Pacing breaks this cycle. It means doing a steady amount on most days, whether the day is good or bad."
    text = module_file.read_text(encoding="utf-8")
    assert old in text, "the test paragraph is still in the module"
    module_file.write_text(text.replace(old, new), encoding="utf-8")

    extract(project, load_library(project.content_dir))
    for _ in range(2):  # a second update keeps "#| msgid" (Babel alone would turn it into a comment)
        update(project, ["es"])
        catalog = read_catalog(po)
        fuzzy = [m for m in catalog if m.id and m.fuzzy]
        assert [(m.id, m.context, m.previous_id, m.string) for m in fuzzy] == [
            (new, "pacing-basics", [old], es(old))]
        assert all(m.string == es(m.id) for m in catalog if m.id and not m.fuzzy)
        text = po.read_text(encoding="utf-8")
        assert '#| msgid ""\n#| "Pacing breaks this cycle. It means "\n#| "doing a steady amount, most days' in text
        assert "# |" not in text


def test_update_twice_changes_nothing(tmp_path: Path) -> None:
    project = find_project(copy_project(tmp_path))
    extract(project, load_library(project.content_dir))
    assert all(w.changed for w in update(project, ["fr"]))
    before = po_path(project, "content", "fr").read_bytes()
    assert not any(w.changed for w in extract(project, load_library(project.content_dir)))
    assert not any(w.changed for w in update(project, ["fr"]))
    assert po_path(project, "content", "fr").read_bytes() == before


# --- applying ---------------------------------------------------------------------------------


def test_a_complete_catalog_translates_everything_including_title_and_summary() -> None:
    module = LIBRARY.module("pacing-basics")
    translated, status = translate_module(module, es_catalog([module]))
    assert translated is not None and status.complete and status.missing == status.fuzzy == 0
    assert translated.title == es(module.title) and translated.summary == es(module.summary)
    assert "## ES Boom and bust" in translated.body
    assert "- ES Use a timer as a reminder to stop." in translated.body
    assert "Help {{ reader.name }}" in translated.body
    assert translated.body.count(":::") == module.body.count(":::")


def _with(catalog: Catalog, module: Module, needle: str, **changes: object) -> Catalog:
    message = next(m for m in catalog if m.id and m.context == module.id and needle in m.id)
    for name, value in changes.items():
        setattr(message, name, value)
    return catalog


def test_one_fuzzy_message_keeps_the_whole_module_in_english() -> None:
    module = LIBRARY.module("pacing-basics")
    catalog = _with(es_catalog([module]), module, "boom and bust. It is", flags={"fuzzy"})
    translated, status = translate_module(module, catalog)
    assert translated is None and status.fuzzy == 1 and status.translated == status.total - 1


def test_one_missing_message_keeps_the_whole_module_in_english() -> None:
    module = LIBRARY.module("pacing-basics")
    catalog = _with(es_catalog([module]), module, "Change position often", string="")
    translated, status = translate_module(module, catalog)
    assert translated is None and status.missing == 1


@pytest.mark.parametrize("bad", [
    "Ayude a {{ reader.nombre }} a elegir.",          # renamed
    "Ayude a elegir una actividad.",                  # dropped
    "Ayude a {{ reader.name }} y {{ 7 * 7 }}.",        # added
])
def test_a_translation_with_other_template_expressions_is_not_used(bad: str) -> None:
    module = LIBRARY.module("pacing-basics")
    catalog = _with(es_catalog([module]), module, "Help {{ reader.name }} choose one activity", string=bad)
    translated, status = translate_module(module, catalog)
    assert translated is None and status.invalid == 1
    assert "template expressions differ" in status.problems[0] and "pacing-basics.md:" in status.problems[0]


def test_spacing_inside_an_expression_does_not_matter() -> None:
    module = LIBRARY.module("pacing-basics")
    catalog = _with(es_catalog([module]), module, "Help {{ reader.name }} choose one activity",
                    string="Ayude a {{reader.name}} a elegir una actividad.")
    translated, status = translate_module(module, catalog)
    assert translated is not None and status.invalid == 0
    assert "Ayude a {{reader.name}} a elegir una actividad." in translated.body


@pytest.mark.parametrize(("needle", "bad"), [
    ("Boom and bust", "Auge\ny caída"),            # a heading on two lines
    ("Use a timer", "Use un reloj.\n:::"),         # would close the box
])
def test_a_translation_that_breaks_the_structure_is_not_used(needle: str, bad: str) -> None:
    module = LIBRARY.module("pacing-basics")
    translated, status = translate_module(module, _with(es_catalog([module]), module, needle, string=bad))
    assert translated is None and status.invalid == 1


def test_an_edited_catalogue_is_checked_again_not_taken_from_the_last_verdict() -> None:
    """Verdicts are remembered per text (issue 12's speed), so editing a message in place is seen."""
    module = LIBRARY.module("pacing-basics")
    catalog = es_catalog([module])
    assert translate_module(module, catalog)[0] is not None
    _with(catalog, module, "Use a timer", string="Use un reloj.\n:::")  # now it would close the box
    translated, status = translate_module(module, catalog)
    assert translated is None and status.invalid == 1
    _with(catalog, module, "Use a timer", string="Use un reloj.")
    assert translate_module(module, catalog)[0] is not None


HOSTILE_TRANSLATIONS = {
    "a link": "Use un reloj. [Más información](https://evil.example/login)",
    "a link to another patient's profile": "Use un reloj [aquí](../../profiles/other.yaml).",
    "a picture": "Use un reloj. ![](../../profiles/other.yaml)",
    "an automatic link": "Use un reloj. <https://evil.example>",
    "a reference definition": "Use un reloj.\n[1]: ../../profiles/other.yaml",
    "a bare address": "Use un reloj: https://evil.example",
    "raw HTML": 'Use un reloj. <link rel="attachment" href="../other/profile.yaml">',
    "an attachment link": 'Use un reloj. <a rel=attachment href="../../profiles/other.yaml">x</a>',
    "an attribute list": "Use un reloj. {: rel=attachment }",
    "an entity": "Use un reloj &lt;b&gt;.",
    "a template comment": "Use un reloj. {# hidden #}",
    "a template expression": "Use un reloj. {{ profile.id }}",
    "a template statement": "Use un reloj. {% if true %}x{% endif %}",
    # the adversarial review of this session: the patterns missed these, Markdown made them links
    "a link whose text holds brackets": "Use un reloj [a [b] c](//evil.example/x) fin.",
    "a link whose text holds an escaped bracket": "Use un reloj [a\\]b](//evil.example/k) fin.",
    "a relative link whose text holds brackets": "Use un reloj [ver [aquí]](../../profiles/other.yaml).",
    "an attribute list without a colon": 'Use un reloj. { class="callout urgent" id=evil dir=rtl lang=ar }',
    "a bidirectional override": "Use un reloj \u202eoloj un esU.",
    "a bidirectional isolate": "Use un reloj \u2067x\u2069.",
}


@pytest.mark.parametrize("attack", sorted(HOSTILE_TRANSLATIONS))
def test_a_content_translation_cannot_add_links_pictures_markup_or_expressions(attack: str) -> None:
    module = LIBRARY.module("pacing-basics")
    catalog = _with(es_catalog([module]), module, "Use a timer", string=HOSTILE_TRANSLATIONS[attack])
    translated, status = translate_module(module, catalog)
    assert translated is None and status.invalid == 1, status
    assert "pacing-basics.md:" in status.problems[0]


def test_a_translation_keeps_the_links_and_markup_of_its_source() -> None:
    source = "Read [how pacing works](pacing-basics.md#boom-and-bust) and call <tel:111> **today**."
    segment = segment_body(source).segments[0]
    ok = "Lea [cómo funciona](pacing-basics.md#boom-and-bust) y llame al <tel:111> **hoy**."
    assert check_translation(segment, source, ok) is None
    assert check_translation(segment, source, ok.replace("pacing-basics.md", "https://evil.example")) is not None


def test_a_translation_cannot_reuse_its_sources_brackets_for_a_link_of_its_own() -> None:
    """Counted alone, the brackets are the source's; rendered, they make a link the source lacks."""
    source = "See [the plan](pacing-basics.md) [page 2]."
    segment = segment_body(source).segments[0]
    assert check_translation(segment, source, "Vea [el plan](pacing-basics.md) [página 2].") is None
    problem = check_translation(segment, source, "Vea el plan [x [página 2]](//evil.example).")
    assert problem is not None and "//evil.example" in problem, problem


def test_a_translation_may_use_the_marks_arabic_typing_needs() -> None:
    source = "Call {{ clinic.phone }} today."
    segment = segment_body(source).segments[0]
    assert check_translation(segment, source, "اتصل بالرقم \u200e{{ clinic.phone }}\u200f اليوم.") is None


def test_markdown_that_reads_brackets_slowly_is_not_a_hang() -> None:
    """Python-Markdown takes seconds on thousands of nested '['; the count refuses them first."""
    import time

    source = "Use a timer."
    segment = segment_body(source).segments[0]
    started = time.monotonic()
    assert check_translation(segment, source, "Use un reloj " + "[" * 20_000) is not None
    assert time.monotonic() - started < 2


def test_an_interface_translation_cannot_add_a_bidirectional_control() -> None:
    from babel.messages.catalog import Message

    from generator.i18n.catalogs import ui_problem

    assert ui_problem(Message("Contents", "Contenido")) is None
    assert ui_problem(Message("Contents", "المحتويات\u200f")) is None
    problem = ui_problem(Message("Contents", "Conte\u202enido"))
    assert problem is not None and "U+202E" in problem


STRUCTURE_ADDED = {  # from the adversarial review of issue 12: each reached the page
    "a heading and a table": "{{ reader.name }}, su dolor es real.\n\n# Gran título\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "a blank line": "Su dolor es real,\n\n{{ reader.name }}.",
    "a heading on its own": "# {{ reader.name }}, su dolor es real.",
    "a setext heading": "{{ reader.name }}, su dolor es real.\n===",
    "a list": "{{ reader.name }}, su dolor\n- es real.",
    "a quotation": "> {{ reader.name }}, su dolor es real.",
    "emphasis": "{{ reader.name }}, su dolor es *real*.",
    "underscore emphasis": "{{ reader.name }}, su dolor es _real_.",
    "code": "{{ reader.name }}, su dolor es `real`.",
}


@pytest.mark.parametrize("case", sorted(STRUCTURE_ADDED))
def test_a_content_translation_cannot_add_structure_its_source_lacks(case: str) -> None:
    source = "Your pain is real, {{ reader.name }}. It is not\n**all in your head**."
    segment = segment_body(source).segments[0]
    assert check_translation(segment, source, "Su dolor es real, {{ reader.name }}. No está\n**en su cabeza**.") is None
    problem = check_translation(segment, source, STRUCTURE_ADDED[case])
    assert problem is not None and "which its source does not have" in problem, problem


def test_snake_case_and_kept_emphasis_are_text() -> None:
    source = "Write to care_team@example.org, **today**."
    segment = segment_body(source).segments[0]
    assert check_translation(segment, source, "Escriba a care_team@example.org, **hoy**.") is None


def test_the_source_language_is_never_translated() -> None:
    module = LIBRARY.module("pacing-basics")
    translator = ContentTranslator(Language.of("en-GB"), None)
    assert translator.module(module) is module and not translator.fallbacks


# --- building ---------------------------------------------------------------------------------

SPANISH = """\
handbook: 1
id: {id}
preferred_name: Ana
language: {language}
pacing:
  activities:
    - name: caminar
      unit: minutes
      recent: [10, 12, 9]
"""

NOTICE_ES = "Esta sección aún no está traducida al %(language)s, por eso se muestra en inglés."


def _spanish_project(tmp_path: Path, translated: tuple[str, ...]) -> Path:
    """A project whose Spanish catalogues translate exactly `translated` modules, and the notice."""
    root = copy_project(tmp_path)
    project = find_project(root)
    library = load_library(project.content_dir)
    extract(project, library)
    update(project, ["es"])
    content = po_path(project, "content", "es")
    catalog = read_po(content.open("rb"))
    for message in catalog:
        if message.id:  # the repository's real translations are replaced by marked test ones, or cleared
            message.string = es(message.id) if message.context in translated else ""
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    content.write_bytes(buffer.getvalue())
    ui = po_path(project, "messages", "es")
    ui_catalog = read_po(ui.open("rb"))
    notice = next(m for m in ui_catalog if m.id and str(m.id).startswith("This section is not yet translated"))
    notice.string = NOTICE_ES
    buffer = io.BytesIO()
    write_po(buffer, ui_catalog)
    ui.write_bytes(buffer.getvalue())
    return root


def _section(html: str, module_id: str) -> str:
    match = re.search(rf'<section class="module" id="{module_id}"[^>]*>.*?</section>', html, re.S)
    assert match, module_id
    return match.group(0)


def test_a_spanish_build_shows_translated_modules_and_a_notice_on_the_rest(tmp_path: Path) -> None:
    root = _spanish_project(tmp_path, ("pacing-basics",))
    profile = write_profile(root / "profiles", "ana.yaml", SPANISH.format(id="ana-es", language="es-MX"))
    out = tmp_path / "out"
    report = build(find_project(root), [profile], BuildOptions(output_dir=out, formats=frozenset({"html"}), today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    html = (out / "ana-es" / "print.html").read_text(encoding="utf-8")
    translated = _section(html, "pacing-basics")
    assert "ES Pacing: a little, often" in translated and "ES Boom and bust" in translated
    assert 'lang="en"' not in translated and "translation-notice" not in translated
    assert 'id="pacing-basics-boom-and-bust">ES Boom and bust<' in translated  # the source's anchor
    fallback = _section(html, "urgent-help")
    assert re.match(r'<section class="module" id="urgent-help" lang="en" dir="ltr">', fallback)
    assert "Esta sección aún no está traducida al español (México), por eso se muestra en inglés." in fallback
    assert 'class="callout callout-note translation-notice" lang="es-MX"' in fallback
    assert "most bad pain days are not an emergency" in fallback


def test_fuzzy_translations_are_never_printed(tmp_path: Path) -> None:
    root = _spanish_project(tmp_path, ("pacing-basics",))
    content = po_path(find_project(root), "content", "es")
    text = content.read_text(encoding="utf-8")
    text = text.replace('msgctxt "pacing-basics"\nmsgid "Boom and bust"', '#, fuzzy\nmsgctxt "pacing-basics"\nmsgid "Boom and bust"')
    content.write_text(text, encoding="utf-8")
    profile = write_profile(root / "profiles", "ana.yaml", SPANISH.format(id="ana-es", language="es"))
    out = tmp_path / "out"
    build(find_project(root), [profile], BuildOptions(output_dir=out, formats=frozenset({"html"}), today=TODAY))
    html = (out / "ana-es" / "pacing.html").read_text(encoding="utf-8")
    assert "ES " not in html and "translation-notice" in _section(html, "pacing-basics")


def test_strict_refuses_with_exit_2_and_lists_the_modules(tmp_path: Path) -> None:
    root = _spanish_project(tmp_path, ("pacing-basics",))
    profile = write_profile(root / "profiles", "ana.yaml", SPANISH.format(id="ana-es", language="es"))
    out = tmp_path / "out"
    report = build(find_project(root), [profile], BuildOptions(output_dir=out, formats=frozenset({"html"}),
                                                               today=TODAY, strict=True))
    assert report.exit_code == 2 and not (out / "ana-es").exists()
    error = report.failed[0].error or ""
    assert "--strict" in error and "español" in error
    assert "urgent-help: 0 of" in error and "missing" in error and "pacing-basics:" not in error


def test_a_language_without_catalogs_falls_back_everywhere_and_strict_refuses(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    profile = write_profile(root / "profiles", "ana.yaml", SPANISH.format(id="ana-de", language="de"))
    out = tmp_path / "out"
    project = find_project(root)
    report = build(project, [profile], BuildOptions(output_dir=out, formats=frozenset({"html"}), today=TODAY))
    assert report.exit_code == 0
    html = (out / "ana-de" / "print.html").read_text(encoding="utf-8")
    # The closing "About this handbook" is interface text, like the cover: English without a notice.
    modules = html.split('<article class="chapter" id="chapter-about-this-handbook"')[0]
    assert modules.count('<section class="module"') == modules.count("translation-notice\"") > 0
    assert "not yet translated into Deutsch" in html
    strict = build(project, [profile], BuildOptions(output_dir=tmp_path / "strict", formats=frozenset({"html"}),
                                                    today=TODAY, strict=True))
    assert strict.exit_code == 2


def test_english_builds_need_no_catalogs_and_pass_strict(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, "en.yaml", SPANISH.format(id="ana-en", language="en"))
    report = build(find_project(REPO), [profile], BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                                today=TODAY, strict=True))
    assert report.exit_code == 0
    assert "translation-notice" not in (tmp_path / "out" / "ana-en" / "print.html").read_text(encoding="utf-8")
