"""Content cannot hang or exhaust a command: loops, calls, sizes, powers and formats are bounded.

Each attack is run in a subprocess with a timeout where it would otherwise hang or eat memory,
so a regression fails the test instead of stopping the suite.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import REPO, copy_project

from generator.content.conditions import ConditionError, compile_condition
from generator.content.library import Module
from generator.content.limits import MAX_DEPTH, LimitError, budget, check_format, tick
from generator.render.module import RenderError, render_module

BODY_LINE = 10  # the module file line where the body starts
ATTACK_LINE = 4  # the body line the attack is on (see body())


def body(text: str) -> str:
    return f"# Title\n\nSome text.\n{text}\n\nMore text.\n"


def module(text: str) -> Module:
    return Module("demo", "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1), body(text),
                  "content/pacing/demo.md", BODY_LINE)


def run_isolated(code: str, timeout: float = 30) -> str:
    """Run `code` in a fresh interpreter (with a memory cap); its stdout, or fail on a hang."""
    script = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n" + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


BODY_ATTACKS = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "three loops over a list": "{% set l = range(1000)|list %}{% for a in l %}{% for b in l %}{% for c in l %}"
                               "{% endfor %}{% endfor %}{% endfor %}",
    "a huge power": "{{ 9 ** (9 ** 9) }}",
    "a power folded while compiling": "{{ (10 ** 10) ** (10 ** 10) }}",
    "a huge text": "{{ 'x' * 10**9 }}",
    "a huge list": "{{ ([1] * 10**9) | length }}",
    "doubling with ~": "{% set ns = namespace(x='ab') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}"
                       "{% endfor %}{{ ns.x | length }}",
    "a macro that calls itself": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "exponential macros": "{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% else %}x{% endif %}{% endmacro %}"
                          "{{ d(60) }}",
    "a wide filter": "{{ 'x' | center(10**9) }}",
    "a wide method": "{{ 'x'.ljust(10**9) }}",
    "a wide %-format": "{{ '%0999999999d' % 1 }}",
    "a wide str.format": "{{ '{:>999999999}'.format(1) }}",
    "a width given as an argument": "{{ '{:>{}}'.format(1, 10**9) }}",
    "a filled batch": "{{ [1] | batch(10**9, 0) | list | length }}",
    "sliced into many": "{{ [1] | slice(10**9) | list | length }}",
    "quadratic tests": "{{ range(100000) | select('in', range(100000) | list) | list | length }}",
    "summing lists": "{{ (range(1000) | list) * 100 | sum(start=[]) | length }}",
    "a long output": "{% set a = 'x' * 100000 %}{% for i in range(1000) %}{{ a }}{% endfor %}",
    "a replace that multiplies": "{{ ('x' * 100000).replace('', 'yyyyy') }}",
    "a join that multiplies": "{{ ('x' * 100000).join(range(100000) | map('string')) }}",
    "unclosed brackets markdown reads in quadratic time": "![" * 20000 + "x",
}


@pytest.mark.parametrize("attack", sorted(BODY_ATTACKS))
def test_a_body_cannot_hang_or_exhaust_a_render(attack: str) -> None:
    out = run_isolated(f"""
        import datetime as dt, time
        from generator.content.library import Module
        from generator.render.module import RenderError, render_module
        text = "# Title\\n\\nSome text.\\n" + {BODY_ATTACKS[attack]!r} + "\\n\\nMore text.\\n"
        m = Module("demo", "Demo", "pacing", "both", 1, None, "", ("x",), dt.date(2026, 1, 1), text,
                   "content/pacing/demo.md", {BODY_LINE})
        start = time.monotonic()
        try:
            render_module(m, "patient", {{}}, {{}})
            print("RENDERED")
        except RenderError as error:
            print("ERROR", error.path, error.line, round(time.monotonic() - start, 1), error.message)
    """)
    assert out.startswith("ERROR content/pacing/demo.md"), out
    _, _, line, seconds, message = out.split(" ", 4)
    assert line == str(BODY_LINE + ATTACK_LINE - 1), out  # placed on the attack's line in the file
    assert float(seconds) < 10, out
    assert "Traceback" not in message


CONDITION_ATTACKS = [
    "9 ** (9 ** 9)", "(10 ** 10) ** (10 ** 10)", "'x' * 10**9", "[1] * 10**10", "'x' | center(10**9)",
    "range(100000) | select('in', range(100000) | list) | list", "'%0999999999d' % 1",
    "('x' * 100000).replace('', 'yy')",
]


@pytest.mark.parametrize("attack", CONDITION_ATTACKS)
def test_a_condition_cannot_hang_or_exhaust_a_command(attack: str) -> None:
    out = run_isolated(f"""
        from generator.content.conditions import ConditionError, compile_condition
        try:
            compile_condition({attack!r}).evaluate({{}})
            print("DECIDED")
        except ConditionError as error:
            print("ERROR", error.message)
    """)
    assert out.startswith("ERROR"), out


@pytest.mark.parametrize("text", ["(" * 5000 + "1" + ")" * 5000, "9" * 5000, "[" * 3000 + "]" * 3000],
                         ids=["parentheses", "digits", "brackets"])
def test_a_condition_too_deep_or_too_large_to_parse_is_a_condition_error(text: str) -> None:
    with pytest.raises(ConditionError, match="does not parse"):
        compile_condition(text)


def test_a_body_too_deep_to_parse_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="nest too deeply"):
        render_module(module("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}"), "patient", {}, {})


def test_emphasis_nested_too_deeply_for_markdown_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="too deeply for markdown"):
        render_module(module("*" * 20000 + "x" + "*" * 20000), "patient", {}, {})


def test_recursion_stops_at_the_depth_limit_with_a_clear_message() -> None:
    with pytest.raises(RenderError, match=f"nest more than {MAX_DEPTH} deep"):
        render_module(module("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}"), "patient", {}, {})


def test_ordinary_computation_still_works() -> None:
    html = render_module(module(
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'a' ~ 'b' }} {{ '%5.1f' | format(2.25) }} "
        "{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ '{:>4}'.format(7) }} {{ [1, 2] + [3] }} {{ range(1, 4) | sum }}"
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ n }}{% endif %}{% endmacro %} {{ f(5) }}"),
        "patient", {}, {}).html
    for shown in ("012", "ab", "2.2", "1024", "ababab", "7", "6", "12345"):
        assert shown in html, (shown, html)


def test_steps_and_time_are_counted_only_inside_a_budget() -> None:
    tick()  # outside a budget: free
    with budget(steps=2) as spent:
        tick()
        tick()
        with pytest.raises(LimitError, match="computes too much"):
            tick()
    assert spent.steps < 0
    with budget(steps=10, seconds=-1), pytest.raises(LimitError, match="longer than"):
        tick()


@pytest.mark.parametrize("template", ["%*d", "%01001d", "{:>{}}", "{0:1001}", "{:.2000f}"])
def test_formats_with_huge_or_computed_widths_are_refused(template: str) -> None:
    with pytest.raises(LimitError):
        check_format(template, (1, 2))


def test_a_condition_is_decided_within_its_own_small_budget() -> None:
    assert compile_condition("range(100) | sum > 10").evaluate({}) is True
    with pytest.raises(ConditionError, match="cannot be decided"):
        compile_condition("range(100000) | map('string') | map('length') | sum").evaluate({})


# ---------------------------------------------------------------- the commands, end to end

MODULE_FILE = "content/understanding-pain/how-nerve-pain-works.md"  # a module every handbook has


def _break_module(tmp_path: Path, *, when: str | None = None, body_line: str | None = None) -> Path:
    root = copy_project(tmp_path)
    path = root / MODULE_FILE
    text = path.read_text(encoding="utf-8")
    if when is not None:
        text = text.replace("\norder: 10\n", f"\norder: 10\nwhen: {when!r}\n", 1)
    if body_line is not None:
        head, _, rest = text.partition("\n---\n")
        text = f"{head}\n---\n{body_line}\n{rest}"
    path.write_text(text, encoding="utf-8")
    return root


def _command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "--project", str(root), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


COMMANDS = {
    "validate": ("validate", "profiles/jo-hand-injury.yaml"),
    "build": ("build", "--format", "html", "--today", "2026-11-23", "profiles/jo-hand-injury.yaml"),
    "check-content": ("check-content", "--today", "2026-11-23"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_hostile_condition_is_reported_by_every_command_without_a_hang(tmp_path: Path, command: str) -> None:
    root = _break_module(tmp_path, when="9 ** (9 ** 9) > 1 or range(100000) | select('in', range(100000) | list)")
    result = _command(root, *COMMANDS[command])
    output = result.stdout + result.stderr
    if command != "check-content":  # check-content does not select modules for a profile
        assert result.returncode == 2, output
        assert f"{MODULE_FILE}:7" in output and "a power would have more than" in output, output
    assert "Traceback" not in output, output


@pytest.mark.parametrize("command", ["build", "check-content"])
def test_a_hostile_body_is_reported_with_its_line_without_a_hang(tmp_path: Path, command: str) -> None:
    root = _break_module(tmp_path, body_line="{% for i in range(100000) %}{% for j in range(100000) %}"
                                             "{% endfor %}{% endfor %}")
    result = _command(root, *COMMANDS[command])
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{MODULE_FILE}:12" in output and "computes too much" in output, output
    assert "Traceback" not in output, output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_random_content_is_refused_by_every_command_when_the_library_loads(tmp_path: Path, command: str) -> None:
    root = _break_module(tmp_path, body_line="{{ lipsum(1) }} {{ ['a', 'b'] | random }}")
    result = _command(root, *COMMANDS[command])
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert f"{MODULE_FILE}:12" in output and "'lipsum' makes random" in output, output
    assert "the filter 'random' picks an item at random" in output, output
