"""The content gates: no doses, a short try box, known names, live links, review dates.

Every gate is a pure function of a loaded library (and today's date), so the
same checks run in the test suite and in `handbook check-content`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

import jinja2
from jinja2 import nodes

from generator.content.blocks import BlockError, expand_blocks
from generator.content.grammar import BLOCK_CLOSE, BLOCK_OPEN, HEADING, LIST_ITEM, TABLE_ROW
from generator.content.library import MAX_KEY_POINTS, Library, Module
from generator.content.sandbox import content_environment, undeclared_names
from generator.errors import did_you_mean
from generator.inputs.medicines import medicine_findings, medicine_problems
from generator.output.site import ID_ATTRIBUTE
from generator.quality.readability import MAX_GRADE, MAX_SMOG, Reading, editions_of, prose, reading
from generator.quality.report import ModuleQuality, Problem, QualityReport
from generator.quality.sample import SampleReader, sample_reader
from generator.quality.service_table import table_problems
from generator.render.macros import NAMED_CALLS
from generator.render.module import RenderError

TRY_MAX_ITEMS = 6


# ---------------------------------------------------------------- medication safety

# The patterns, the sentence rule and the messages live in inputs/medicines.py: one check for
# content and profiles. A module body also starts a sentence at each line its grammar says does.


def _starts_sentence(line: str) -> bool:
    """Whether a line begins a sentence whatever came before it: a heading, list item, `:::` line or table row."""
    return any(pattern.match(line) for pattern in (HEADING, LIST_ITEM, BLOCK_OPEN, BLOCK_CLOSE, TABLE_ROW))


def medication_problems(body: str) -> Iterator[tuple[int, str]]:
    """(line within the body, message) for doses and advice to change medicines."""
    for finding in medicine_findings(body, _starts_sentence):
        yield body.count("\n", 0, finding.start) + 1, finding.message


# ---------------------------------------------------------------- structure: the try box



def _top_level_blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first line index, closing line index) of each outermost `:::` block."""
    blocks: list[tuple[str, int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        if BLOCK_CLOSE.match(line):
            if stack:
                kind, start = stack.pop()
                if not stack:
                    blocks.append((kind, start, index))
        elif (opened := BLOCK_OPEN.match(line)):
            stack.append((opened["kind"], index))
    return blocks


def try_box_problems(body: str, editions: tuple[str, ...]) -> Iterator[tuple[int | None, str]]:
    """The body must end with a `::: try` box whose list is short, in every edition."""
    lines = body.splitlines()
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if not filled:
        yield None, "the module has no text; it must end with a '::: try' box holding a short list"
        return
    last = filled[-1]
    box = next((b for b in _top_level_blocks(lines) if b[2] == last), None)
    if box is None or box[0] != "try":
        yield (last + 1, "the module must end with a '::: try' box (\"Try this week\") holding a short "
               "list: move it to the end, or add one")
        return
    kind, start, end = box
    segment = "\n".join(lines[start:end + 1])
    for edition in editions:
        try:
            items = sum(1 for line in expand_blocks(segment, edition).splitlines() if LIST_ITEM.match(line))
        except BlockError:
            return
        if items == 0:
            yield (start + 1, f"the '::: try' box has no list for the {edition} edition: "
                   f"add 1 to {TRY_MAX_ITEMS} '- ' items")
        elif items > TRY_MAX_ITEMS:
            yield (start + 1, f"the '::: try' box lists {items} things for the {edition} edition: "
                   f"keep it to {TRY_MAX_ITEMS} or fewer")


# ---------------------------------------------------------------- names in templates


def _line_of_name(body: str, name: str) -> int | None:
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    for number, line in enumerate(body.splitlines(), start=1):
        if ("{{" in line or "{%" in line) and word.search(line):
            return number
    return None


def name_problems(body: str, allowed: frozenset[str]) -> Iterator[tuple[int | None, str]]:
    """Unknown template names (with did-you-mean) and unknown worksheet or drawing names."""
    try:
        tree = content_environment().parse(body)
    except jinja2.TemplateSyntaxError as error:
        yield error.lineno, f"template syntax error: {error.message}"
        return
    for name in sorted(undeclared_names(tree) - allowed):  # never a traceback (content/sandbox.py)
        hint = did_you_mean(name, allowed) or " see docs/content-format.md for the names a module can use"
        yield _line_of_name(body, name), f"unknown name '{name}' in the text:{hint}"
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name in NAMED_CALLS):
            continue
        kind, known = call.node.name, NAMED_CALLS[call.node.name]
        argument = call.args[0] if len(call.args) == 1 and not call.kwargs else None
        if not (isinstance(argument, nodes.Const) and isinstance(argument.value, str)):
            yield call.lineno, f'{kind}() takes one quoted name, e.g. {kind}("{known[0]}")'
        elif argument.value not in known:
            hint = did_you_mean(argument.value, known) or f" expected one of {', '.join(known)}"
            yield call.lineno, f"unknown {kind} '{argument.value}':{hint}"


# ---------------------------------------------------------------- links

_MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def heading_ids(html_text: str) -> frozenset[str]:
    return frozenset(ID_ATTRIBUTE.findall(html_text))


def link_problems(body: str, module_id: str, anchors: Mapping[str, frozenset[str]]) -> Iterator[tuple[int, str]]:
    """Links to other modules (`x.md`, `x.md#anchor`) and anchors (`#anchor`) that lead nowhere.

    `anchors` maps each module id to the ids its rendered text holds (its own id included).
    """
    everywhere = frozenset().union(*anchors.values()) if anchors else frozenset()
    for number, line in enumerate(body.splitlines(), start=1):
        for target in _MARKDOWN_LINK.findall(line) + _HREF.findall(line):
            if _SCHEME.match(target) or target.startswith("{{"):
                continue
            path, _, anchor = target.partition("#")
            if not path:
                if anchor not in everywhere:
                    hint = did_you_mean(anchor, everywhere) or did_you_mean(f"{module_id}-{anchor}", everywhere)
                    yield number, f"link to '#{anchor}' leads nowhere: no heading or module has that id.{hint}"
                continue
            if not path.endswith(".md"):
                yield number, (f"link to '{target}' is not a module: link to another module as "
                               "'other-module.md' or 'other-module.md#heading-id'")
                continue
            other = PurePosixPath(path).stem
            if other not in anchors:
                yield number, (f"link to '{target}' leads nowhere: no module has id '{other}'."
                               f"{did_you_mean(other, anchors)}")
            elif anchor and anchor not in anchors[other]:
                hint = did_you_mean(anchor, anchors[other]) or did_you_mean(f"{other}-{anchor}", anchors[other])
                yield number, (f"link to '{target}' leads nowhere: module '{other}' has no heading "
                               f"with id '{anchor}'.{hint}")


# ---------------------------------------------------------------- the whole library


def _render_all(library: Library, sample: SampleReader) -> tuple[dict[str, frozenset[str]], dict[str, list[Problem]]]:
    """Every module rendered for the sample reader: the ids links can point to, and render failures."""
    anchors: dict[str, frozenset[str]] = {}
    failures: dict[str, list[Problem]] = {}
    for module in library.modules:
        ids = {module.id}
        for edition in editions_of(module):
            try:
                for rendered in sample.render_each(module, edition):
                    ids |= heading_ids(rendered.html)
            except RenderError as error:
                failures.setdefault(module.id, []).append(Problem(
                    module.path, error.line, module.id, "render",
                    f"cannot be rendered for the {edition} edition: {error}"))
                break
        anchors[module.id] = frozenset(ids)
    return anchors, failures


def _check_module(module: Module, *, sample: SampleReader, anchors: Mapping[str, frozenset[str]],
                  render_failures: list[Problem], today: dt.date, max_grade: float,
                  max_smog: float = MAX_SMOG) -> ModuleQuality:
    def at(line: int | None) -> int | None:
        return None if line is None else module.body_line + line - 1

    def problem(gate: str, line: int | None, message: str, severity: str = "error") -> Problem:
        return Problem(module.path, at(line), module.id, gate, message, severity)

    problems: list[Problem] = []
    readings: list[Reading] = []
    for edition in editions_of(module):
        try:
            measured = reading(prose(module.body, edition), edition)
        except BlockError as error:
            problems.append(problem("render", error.line, str(error)))
            break
        readings.append(measured)
        if measured.grade > max_grade:
            problems.append(problem("grade", None, (
                f"reading grade {measured.grade} for the {edition} edition is above {max_grade:g} "
                f"({measured.words_per_sentence} words per sentence): use shorter sentences and "
                f"everyday words; the longest sentence is \"{measured.longest}\"")))
        if measured.smog > max_smog:
            problems.append(problem("smog", None, (
                f"SMOG grade {measured.smog} for the {edition} edition is above {max_smog:g} "
                f"({measured.polysyllables} words of 3 or more syllables in {measured.smog_sentences} "
                f"sentences): use shorter, everyday words; the long ones are "
                f"{', '.join(measured.long_words[:8])}")))
    problems.extend(problem("medication", line, message) for line, message in medication_problems(module.body))
    problems.extend(problem("try-box", line, message)
                    for line, message in try_box_problems(module.body, editions_of(module)))
    problems.extend(problem("names", line, message) for line, message in name_problems(module.body, sample.names))
    problems.extend(problem("links", line, message) for line, message in link_problems(module.body, module.id, anchors))
    names_broken = any(p.gate == "names" for p in problems)
    if not names_broken:
        problems.extend(render_failures)
    if not module.sources:
        problems.append(Problem(module.path, module.line_of("sources"), module.id, "sources",
                                "sources is empty: list the clinical notes the module draws on"))
    if module.reviewed > today:
        problems.append(Problem(module.path, module.line_of("reviewed"), module.id, "reviewed",
                                f"reviewed {module.reviewed.isoformat()} is in the future "
                                f"(today is {today.isoformat()})"))
    elif module.review_due < today:
        problems.append(Problem(module.path, module.line_of("reviewed"), module.id, "reviewed",
                                f"module '{module.id}' is overdue for review: reviewed {module.reviewed.isoformat()}, "
                                f"due again by {module.review_due.isoformat()} (every {module.review_months} months); "
                                "check it against current advice, then update reviewed and reviewed_by"))
    if not module.summary.strip():
        problems.append(Problem(module.path, module.line_of("summary") or 2, module.id, "summary",
                                "summary is empty: add one sentence saying what the module is for", "warning"))
    problems.sort(key=lambda p: p.line or 0)  # in file order, whole-module findings first
    return ModuleQuality(module, tuple(readings), tuple(problems))


KEY_POINT_GRADE = 6.0  # the key points a chapter opens with are plainer than its modules (PEMAT-P)


def key_point_problems(library: Library) -> tuple[Problem, ...]:
    """Every topic opens with 1-3 key points (more is a library error), each edition's at grade 6 or lower,
    and none gives a dose or advice to change medicines."""
    out = []
    for topic in library.topics:
        if not topic.key_points:
            out.append(Problem(topic.path, topic.line, "", "key points",
                               f"topic '{topic.id}' has no key points: add `key_points:` with 1 to {MAX_KEY_POINTS} "
                               "short sentences the chapter opens with (docs/content-format.md)"))
            continue
        for edition, points in (("patient", topic.key_points), ("caregiver", topic.caregiver_key_points)):
            if not points:
                continue
            out.extend(Problem(topic.path, point.line, "", "medication",
                               f"a key point of topic '{topic.id}' ({edition} edition): {message}")
                       for point in points for message in medicine_problems(point.text))
            grade = reading(" ".join(p.text for p in points), edition).grade
            if grade > KEY_POINT_GRADE:
                out.append(Problem(topic.path, points[0].line, "", "key points",
                                   f"the key points of topic '{topic.id}' ({edition} edition) read at grade "
                                   f"{grade:.1f}, above {KEY_POINT_GRADE:.0f}: use shorter words and sentences"))
    return tuple(out)


def check_library(library: Library, templates_dir: Path, *, today: dt.date | None = None,
                  max_grade: float = MAX_GRADE, sample: SampleReader | None = None,
                  max_smog: float = MAX_SMOG) -> QualityReport:
    """Run every gate over every module of the library."""
    today = today or dt.date.today()
    sample = sample or sample_reader(templates_dir, today=today)
    anchors, failures = _render_all(library, sample)
    modules = tuple(
        _check_module(m, sample=sample, anchors=anchors, render_failures=failures.get(m.id, []),
                      today=today, max_grade=max_grade, max_smog=max_smog)
        for m in library.modules
    )
    return QualityReport(modules, max_grade, today, max_smog,
                         table_problems(library.services, today) + key_point_problems(library))
