"""Module bodies to HTML: escaping, sandbox, sanitising, markdown features."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
import time

import pytest
from helpers import REPO

from generator.content.library import Module
from generator.content.limits import MAX_MARKDOWN, MAX_MARKDOWN_SECONDS
from generator.content.sandbox import escape_value
from generator.render.module import RenderError, render_module


def module(body: str, module_id: str = "demo") -> Module:
    return Module(module_id, "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1), body, "content/pacing/demo.md", 10)


def render(body: str, edition: str = "patient", macros=None, **context):
    context.setdefault("reader", {"name": "Ana", "caregiver": "Luis"})
    return render_module(module(body), edition, context, macros or {}).html


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("walk *far* and _fast_", "walk *far* and _fast_"),
        ("# not a heading", "# not a heading"),
        ("[link](http://evil.example)", "[link](http://evil.example)"),
    ],
)
def test_profile_text_is_shown_as_typed(value: str, shown: str) -> None:
    import html

    out = render("Goal: {{ reader.name }}", reader={"name": value})
    assert html.unescape(out).count(html.unescape(shown)) == 1
    assert "<script" not in out and "<em>" not in out and "<h" not in out and "<a " not in out
    if "7*7" in value:
        assert "49" not in out


def test_escape_value_leaves_nothing_markdown_or_html_can_read() -> None:
    escaped = str(escape_value("<b>*x*</b> & [y](z) `c` 'q' \"d\""))
    assert not set(escaped) & set("<>*[]()`'\"")
    assert re.fullmatch(r"(?:[A-Za-z /]|&#\d+;)*", escaped)


def test_raw_html_in_content_is_sanitised() -> None:
    out = render('<script>alert(1)</script>\n\n<p onclick="x()">Hi <a href="javascript:alert(1)">me</a></p>\n\n<iframe src="x"></iframe>')
    assert "<script" not in out and "onclick" not in out and "javascript:" not in out and "<iframe" not in out
    assert "Hi" in out


def test_markdown_tables_lists_heading_ids_and_callouts() -> None:
    out = render("## Plan the day\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n::: tip Good\nA tip.\n:::\n")
    assert '<h3 id="demo-plan-the-day">Plan the day</h3>' in out
    assert "<table>" in out and "<td>1</td>" in out
    assert "<li>one</li>" in out
    assert '<div class="callout callout-tip">' in out and '<p class="callout-title">Good</p>' in out


def test_edition_text_follows_the_edition() -> None:
    body = "::: patient\nYou rub.\n:::\n\n::: caregiver\nHelp {{ reader.name }} rub.\n:::\n"
    assert "You rub." in render(body) and "Help" not in render(body)
    assert "Help Ana rub." in render(body, "caregiver")


def test_macros_insert_trusted_html_after_sanitising() -> None:
    out = render("Before\n\n{{ plan() }}\n\nAfter", macros={"plan": lambda: '<svg role="img"><title>x</title></svg>'})
    assert '<svg role="img">' in out
    assert "<p><svg" not in out


def test_a_plan_printed_without_its_call_is_named_as_written() -> None:
    """The message named the wrapper ('{{ invoke }}'), not what the author wrote."""
    with pytest.raises(RenderError) as caught:
        render("Before\n\n{{ pacing_plan }}\n\nAfter", macros={"pacing_plan": lambda: "<p>plan</p>"})
    assert "'{{ pacing_plan }}' prints a function, not text: call it, '{{ pacing_plan() }}'" in str(caught.value)


def test_a_macro_placeholder_cannot_be_forged_by_content() -> None:
    # The real call makes token N0 with a random nonce; a guessed token stays text.
    out = render("HBPLAN0000000000000000N0X\n\n{{ plan() }}", macros={"plan": lambda: "<svg></svg>"})
    assert out.count("<svg") == 1
    assert "HBPLAN0000000000000000N0X" in out


def test_the_same_text_in_two_handbooks_gets_each_its_own_plans_and_names() -> None:
    """Markdown's HTML is remembered per text (issue 12's speed); the plans are still each handbook's own."""
    body = "## Your plan\n\n{{ plan() }}\n\nKeep going, {{ reader.name }}."
    first = render(body, macros={"plan": lambda: '<svg role="img"><title>plan of Ana</title></svg>'})
    second = render(body, macros={"plan": lambda: '<svg role="img"><title>plan of Jo</title></svg>'})
    third = render(body, macros={"plan": lambda: ""}, reader={"name": "Jo"})
    assert "plan of Ana" in first and "plan of Jo" not in first
    assert "plan of Jo" in second and "plan of Ana" not in second
    assert "plan of" not in third and "Keep going, Jo." in third and "HBPLAN" not in first + second + third
    assert first.replace("Ana</title>", "Jo</title>") == second


def test_escaping_filters_cannot_turn_profile_text_into_markup() -> None:
    goal = "[Call us](https://evil.example/pay) **now**"
    for body in ("{{ reader.name|e }}", "{{ reader.name|forceescape }}", "{{ reader.name|escape }}"):
        out = render(body, reader={"name": goal})
        assert "<a " not in out and "<strong>" not in out and "evil.example/pay" in out


def test_safe_is_not_available_to_content() -> None:
    with pytest.raises(RenderError):
        render("{{ reader.name|safe }}", reader={"name": "<b>x</b>"})


@pytest.mark.parametrize("body", ["{{ 1/0 }}", "{{ reader.name + 1 }}", "{{ reader.name() }}"])
def test_a_failing_expression_is_a_render_error_not_a_traceback(body: str) -> None:
    with pytest.raises(RenderError, match="failed|unknown|not allowed"):
        render(body)


def test_unknown_name_is_an_error_naming_the_module() -> None:
    with pytest.raises(RenderError, match="unknown name") as caught:
        render("Hello {{ reeder.name }}")
    assert (caught.value.path, caught.value.module_id) == ("content/pacing/demo.md", "demo")


def test_template_syntax_error_gives_the_file_line() -> None:
    with pytest.raises(RenderError) as caught:
        render("line one\n\nline {{ three\n")
    assert caught.value.line == 10 + 2


@pytest.mark.parametrize("edition", ["patient", "caregiver"])
def test_a_syntax_error_after_blocks_gives_the_line_the_author_wrote(edition: str) -> None:
    # Blocks drop and add lines: the error's line in the expanded text is not the body's.
    body = "Intro.\n\n::: patient\nYou rest.\n:::\n\n::: tip Good\nA tip.\n:::\n\n{% if %}\nx\n{% endif %}\n"
    with pytest.raises(RenderError) as caught:
        render(body, edition)
    assert caught.value.line == 10 + 11 - 1  # `{% if %}` is body line 11; the body starts at file line 10
    assert caught.value.path == "content/pacing/demo.md"


def test_a_syntax_error_in_one_edition_only_is_found_by_its_line() -> None:
    body = "::: patient\n{% if reader.name %}\n:::\nText.\n{% endif %}\n"  # the caregiver text keeps a stray endif
    assert "Text." in render(body, "patient")
    with pytest.raises(RenderError, match="endif") as caught:
        render(body, "caregiver")
    assert caught.value.line == 10 + 5 - 1


def _real_macros():
    import gettext

    from helpers import REPO

    from generator.language import Language
    from generator.plans.compute import make_plans
    from generator.profile.model import Profile
    from generator.render.macros import make_macros
    from generator.render.templates import page_environment

    profile = Profile(handbook=1, id="a", preferred_name="A", language="en")
    return make_macros(page_environment(REPO / "templates"), profile, make_plans(profile, dt.date(2026, 1, 5)),
                       Language.of("en"), gettext.NullTranslations().gettext)


@pytest.mark.parametrize(("name", "hint"), [
    ("daily-diery", "did you mean 'daily-diary'?"),
    ("nope", "expected one of daily-diary,"),
])
def test_an_unknown_worksheet_is_a_render_error_on_the_line_of_the_call(name: str, hint: str) -> None:
    body = f"Text.\n\n::: tip Keep a record\n{{{{ worksheet(\"{name}\") }}}}\n:::\n"
    with pytest.raises(RenderError) as caught:
        render(body, macros=_real_macros())
    error = caught.value
    assert error.message.startswith(f"unknown worksheet '{name}': {hint}")
    assert "failed" not in error.message and "ValueError" not in error.message
    assert (error.path, error.line, error.module_id) == ("content/pacing/demo.md", 10 + 4 - 1, "demo")


def test_sandbox_blocks_python_internals() -> None:
    with pytest.raises(RenderError, match="not allowed|unknown"):
        render("{{ reader.__class__.__mro__ }}")


def test_links_to_other_modules_become_anchors() -> None:
    out = render("See [pacing](pacing-basics.md), [a part](sleep.md#sleep-the-bedroom) and [web](https://example.org/a.md).")
    assert 'href="#pacing-basics"' in out
    assert 'href="#sleep-the-bedroom"' in out
    assert 'href="https://example.org/a.md"' in out


def test_a_phone_number_stays_left_to_right_inside_right_to_left_text() -> None:
    from generator.profile.model import Clinic, Profile
    from generator.render.context import content_context

    profile = Profile(handbook=1, id="a", preferred_name="A", language="ar", clinic=Clinic(phone="+961 1 555 010"))
    context = content_context(profile)
    out = render_module(module("Call {{ clinic.phone }} now."), "patient", context, {}).html
    assert '<bdi dir="ltr">+961 1 555 010</bdi>' in out.replace("&#43;", "+").replace("&#46;", ".")


def test_statement_lines_do_not_loosen_a_list() -> None:
    out = render("- one\n{% if reader.name %}\n- two\n{% endif %}\n- three\n")
    assert "<li>one</li>" in out and "<li>two</li>" in out and "<p>" not in out


ATTACHMENT_ATTEMPTS = [
    '<link rel="attachment" href="../other/profile.yaml">',
    '<a rel="attachment" href="../../profiles/other.yaml">plan</a>',
    "[plan](../../profiles/other.yaml){: rel=attachment }",
    '<img src="../../profiles/other.yaml"> ![x](../../profiles/other.yaml)',
    '<object data="../../profiles/other.yaml"></object><embed src="x"><iframe src="x"></iframe>',
    '<p style="background: url(../../profiles/other.yaml)">x</p>',
    '<style>body { background: url("../../profiles/other.yaml") }</style>',
    "[x](file:///etc/passwd) [y](data:text/plain,hi)",
    "Text {: style=\"background: url(x)\" }",
]


@pytest.mark.parametrize("attempt", ATTACHMENT_ATTEMPTS)
def test_content_cannot_make_the_pdf_attach_or_fetch_a_file(attempt: str) -> None:
    """WeasyPrint attaches `rel=attachment` links and fetches images, objects and CSS urls:
    what is left after sanitising can do neither."""
    out = render(f"Before.\n\n{attempt}\n\nAfter.")
    tags = " ".join(re.findall(r"<[^>]*>", out))
    for needle in ("rel=", "<link", "<img", "src=", "style", "url(", "file:", "data:", "<object", "<embed", "<iframe"):
        assert needle not in tags, (needle, out)


def test_a_rendered_text_too_long_for_markdown_is_a_render_error_on_the_module() -> None:
    """Each '<' a body prints becomes an entity, and markdown reads many entities in one paragraph
    in quadratic time: the rendered text is bounded before markdown reads it."""
    with pytest.raises(RenderError) as caught:
        render("Intro.\n\n{{ '<a' * 9000 }}")
    assert (caught.value.path, caught.value.line) == ("content/pacing/demo.md", 10)
    assert f"at most {MAX_MARKDOWN:,}" in caught.value.message


def test_markdown_has_a_time_limit_for_text_under_the_size_limit() -> None:
    """12,000 headings with no blank line between them are under the size limit, but the tables
    extension reads the rest of the block for each one (6 s here): the deadline stops it."""
    started = time.monotonic()
    with pytest.raises(RenderError) as caught:
        render("{% for i in range(12000) %}\n# a\n{% endfor %}")
    assert time.monotonic() - started < MAX_MARKDOWN_SECONDS + 2
    assert caught.value.line == 10 and "markdown took longer than" in caught.value.message


HANGING_BODIES = {  # from the adversarial review of issue 12: each took minutes
    "entities": "{% for i in range(3) %}{{ '<a' * 99999 }}{% endfor %}",
    "backticks": "{{ '`' * 50000 }}{{ '`' * 50000 }}{{ '`' * 50000 }}",
}


@pytest.mark.parametrize("attack", sorted(HANGING_BODIES))
def test_a_body_markdown_would_read_for_minutes_fails_fast(attack: str) -> None:
    script = textwrap.dedent(f"""
        import datetime as dt
        from generator.content.library import Module
        from generator.render.module import RenderError, render_module
        m = Module("demo", "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1),
                   {HANGING_BODIES[attack]!r}, "content/pacing/demo.md", 10)
        try:
            render_module(m, "patient", {{}}, {{}})
            print("RENDERED")
        except RenderError as error:
            print("ERROR", error.path, error.line)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "ERROR content/pacing/demo.md 10", done.stdout + done.stderr


def test_each_thread_has_its_own_markdown_converters() -> None:
    """A converter holds the state of the text it reads: the studio renders an HTML and a PDF preview
    (and checks translations) in two threads at once, which shared one converter per module."""
    import threading

    from generator.i18n import translator
    from generator.render import module as rendering

    here = (rendering._markdown("demo"), translator._converter(threading.get_ident()))
    there: list[object] = []

    def other_thread() -> None:
        there.extend((rendering._markdown("demo"), translator._converter(threading.get_ident())))

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert here[0] is rendering._markdown("demo") and all(a is not b for a, b in zip(here, there, strict=True))
