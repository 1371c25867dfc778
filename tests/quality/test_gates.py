"""Quality gates: the whole real library passes them, and each gate catches a bad module."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, TODAY

from generator.cli.main import main
from generator.content.library import Library, load_library
from generator.quality import readability as quality
from generator.quality.gates import check_library
from generator.quality.readability import prose, reading
from generator.quality.report import QualityReport

TEMPLATES = REPO / "templates"

GOOD_BODY = """\
## Start small

Walk a little each day. Rest before the pain builds.

::: caregiver
Walk with {{ reader.name }} when you can.
:::

::: try Try this week
- Walk for five minutes each day.
- Rest before you feel tired.
:::
"""

HARD_TEXT = (
    "Comprehensive interdisciplinary rehabilitation necessitates systematic evaluation of "
    "neuropathic sensitisation, pharmacological optimisation, psychological characteristics and "
    "occupational considerations, facilitating individualised therapeutic interventions "
    "incorporating graded exposure methodologies and physiological reconditioning.\n"
)


def module_text(module_id: str = "good", body: str = GOOD_BODY, *, reviewed: str = "2026-01-05",
                sources: str = "[001_note]", summary: str = "A short plan to start walking.") -> str:
    return (f"---\nid: {module_id}\ntitle: Start small\ntopic: basics\naudience: both\norder: 10\n"
            + (f"summary: {summary}\n" if summary else "")
            + f"sources: {sources}\nreviewed: {reviewed}\n---\n\n{body}")


def write_content(root: Path, modules: dict[str, str]) -> Path:
    content = root / "content"
    (content / "basics").mkdir(parents=True, exist_ok=True)
    (content / "topics.yaml").write_text("- id: basics\n  title: The basics\n", encoding="utf-8")
    for module_id, text in modules.items():
        (content / "basics" / f"{module_id}.md").write_text(text, encoding="utf-8")
    return content


def check(tmp_path: Path, *texts: str, today: dt.date = dt.date(2026, 11, 23)) -> QualityReport:
    named = {text.split("id: ", 1)[1].split("\n", 1)[0]: text for text in texts}
    library = load_library(write_content(tmp_path, named))
    return check_library(library, TEMPLATES, today=today)


def gates(report: QualityReport, severity: str = "error") -> set[str]:
    return {p.gate for p in report.problems if p.severity == severity}


# ---------------------------------------------------------------- the real library


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(REPO / "content")


@pytest.fixture(scope="module")
def report(library: Library) -> QualityReport:
    return check_library(library, TEMPLATES, today=TODAY)


def test_the_whole_library_passes_every_gate(report: QualityReport) -> None:
    assert report.passed, "\n" + "\n".join(str(p) for p in report.errors)


def test_every_module_is_measured_in_every_edition_it_serves(library: Library, report: QualityReport) -> None:
    assert [q.module.id for q in report.modules] == list(library.module_ids)
    for q in report.modules:
        assert [r.edition for r in q.readings] == list(q.editions)
        for r in q.readings:
            assert 0 < r.words and 0 < r.sentences
            assert r.grade <= quality.MAX_GRADE


# ---------------------------------------------------------------- reading grade


def test_flesch_kincaid_of_a_simple_text_is_low() -> None:
    simple = reading("The cat sat on the mat. The dog ran to the park. We had a good day.")
    assert -4 < simple.grade < 2
    assert simple.sentences == 3 and simple.words == 17
    assert simple.words_per_sentence == pytest.approx(5.7)


def test_flesch_kincaid_of_a_hard_text_is_high() -> None:
    assert reading(HARD_TEXT).grade > 16


def test_syllables_come_from_the_dictionary_with_a_fallback() -> None:
    assert quality.syllables("table") == 2
    assert quality.syllables("desensitisation") >= 5  # not in the dictionary: estimated
    assert quality.syllables("Ana's") == 2
    assert quality.syllables("boom-and-bust") == 3


def test_no_download_or_network_is_attempted(monkeypatch: pytest.MonkeyPatch) -> None:
    nltk = pytest.importorskip("nltk")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("tried to download or look up nltk data")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    quality._pronunciations.cache_clear()
    quality.syllables.cache_clear()
    measured = reading("Pacing helps you do a little more each week. Rest before the pain builds.")
    assert 0 < measured.syllables and measured.grade < 8


def test_prose_keeps_one_editions_words_and_makes_headings_and_items_sentences() -> None:
    text = prose(GOOD_BODY + "| Day | Minutes |\n|---|---|\n| Monday | 5 |\n\n{{ pacing_plan() }}\n"
                 "<b>Bold</b> and [a link](other.md).\n", "caregiver")
    lines = text.splitlines()
    assert lines[0] == "Start small."
    assert "Walk with Ana when you can." in lines
    assert "Try this week." in lines and "Walk for five minutes each day." in lines
    assert "Day, Minutes." in lines and "Monday, 5." in lines
    assert "Bold and a link." in lines
    assert not any(mark in text for mark in ("{{", "<", ":::", "|", "#", "pacing_plan"))
    assert "Walk with" not in prose(GOOD_BODY, "patient")


# ---------------------------------------------------------------- each gate catches a bad module


def test_a_good_module_passes(tmp_path: Path) -> None:
    report = check(tmp_path, module_text())
    assert report.passed, [str(p) for p in report.problems]
    assert report.problems == ()


def test_grade_gate_catches_hard_text_in_each_edition(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("::: try", f"::: patient\n{HARD_TEXT}:::\n\n::: try")
    report = check(tmp_path, module_text(body=body))
    [problem] = report.errors
    assert problem.gate == "grade" and "patient edition" in problem.message
    assert "Comprehensive interdisciplinary" in problem.message  # the longest sentence is named
    q = report.modules[0]
    assert q.reading("patient").grade > 8 >= q.reading("caregiver").grade


def test_max_grade_is_an_option(tmp_path: Path) -> None:
    library = load_library(write_content(tmp_path, {"good": module_text()}))
    assert not check_library(library, TEMPLATES, today=dt.date(2026, 11, 23), max_grade=-5).passed


@pytest.mark.parametrize("sentence", [
    "Take 300 mg at night.",
    "If the pain is bad, increase your dose.",
    "You can double your tablets on a bad day.",
    "Stop taking your painkillers once you feel better.",
    "Take an extra tablet before a long walk.",
])
def test_medication_gate_catches_doses_and_advice_to_change_medicines(tmp_path: Path, sentence: str) -> None:
    body = GOOD_BODY.replace("Rest before the pain builds.", f"Rest before the pain builds.\n\n{sentence}")
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"medication"}
    [problem] = report.errors
    assert problem.line == 16  # front matter (10 lines), a blank line, then line 5 of GOOD_BODY
    assert str(problem).startswith(f"{problem.path}:16: ")


@pytest.mark.parametrize("sentence", [
    "Do not stop or change any medicine without asking your care team.",
    "Do not stop, start or change a medicine on your own.",
    "Don’t change any sleep medicine without asking them first.",
    "Ask the care team before you change your medicine.",
    "Keep taking medicines as prescribed.",
    "Walk for 10 minutes, then rest.",
])
def test_medication_gate_allows_safe_advice(tmp_path: Path, sentence: str) -> None:
    body = GOOD_BODY.replace("Rest before the pain builds.", sentence)
    assert check(tmp_path, module_text(body=body)).passed


def test_try_gate_catches_a_missing_try_box(tmp_path: Path) -> None:
    body = GOOD_BODY.split("::: try")[0]
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"try-box"}
    assert "must end with a '::: try' box" in report.errors[0].message


def test_try_gate_catches_a_try_box_that_is_not_last(tmp_path: Path) -> None:
    report = check(tmp_path, module_text(body=GOOD_BODY + "\n## More\n\nOne more thing to read.\n"))
    assert gates(report) == {"try-box"}


def test_try_gate_wants_a_short_list_in_every_edition(tmp_path: Path) -> None:
    no_list = GOOD_BODY.replace("- Walk for five minutes each day.\n- Rest before you feel tired.\n",
                                "::: patient\n- Walk for five minutes each day.\n:::\n")
    report = check(tmp_path, module_text(body=no_list))
    assert gates(report) == {"try-box"}
    assert "caregiver edition" in report.errors[0].message
    long_list = GOOD_BODY.replace("- Rest before you feel tired.\n", "- Rest.\n" * 7)
    assert "keep it to 6 or fewer" in check(tmp_path / "long", module_text(body=long_list)).errors[0].message


def test_names_gate_reports_unknown_names_with_did_you_mean(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("Walk with {{ reader.name }}", "Walk with {{ readr.name }}")
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"names"}  # the render failure it causes is not reported twice
    [problem] = report.errors
    assert "unknown name 'readr'" in problem.message and "did you mean 'reader'?" in problem.message
    assert problem.line == 17


def test_names_gate_checks_worksheet_names(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("::: try", '{{ worksheet("daily-diery") }}\n\n::: try')
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"names"}
    assert "unknown worksheet 'daily-diery': did you mean 'daily-diary'?" in report.errors[0].message


def test_names_gate_accepts_every_documented_name(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("::: try", (
        "{% if profile.sleep and condition.sleep_affected and edition == 'patient' %}Sleep well.{% endif %}\n"
        "Call {{ clinic.name }} on {{ clinic.phone }}. {{ reader.caregiver }} can help.\n\n"
        '{{ care_team() }}\n\n{{ worksheet("daily-diary") }}\n\n::: try'))
    assert check(tmp_path, module_text(body=body)).passed


def test_links_gate_catches_broken_links(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("Rest before the pain builds.", (
        "See [the other one](other.md), [start](#good-start-small), [here](other.md#other-start-small) "
        "and [the web](https://example.org).\n\nBroken: [a](missing.md), [b](#nowhere), "
        "[c](other.md#other-nowhere), [d](notes.txt)."))
    report = check(tmp_path, module_text(body=body), module_text("other"))
    messages = [p.message for p in report.errors]
    assert gates(report) == {"links"}
    assert len(messages) == 4, messages
    assert any("no module has id 'missing'" in m for m in messages)
    assert any("'#nowhere' leads nowhere" in m for m in messages)
    assert any("module 'other' has no heading with id 'other-nowhere'" in m for m in messages)
    assert any("'notes.txt' is not a module" in m for m in messages)


def test_reviewed_in_the_future_fails_and_old_reviews_warn(tmp_path: Path) -> None:
    report = check(tmp_path, module_text(reviewed="2026-12-01"))
    assert gates(report) == {"reviewed"} and "in the future" in report.errors[0].message
    assert report.errors[0].line == 9
    old = check(tmp_path / "old", module_text(reviewed="2023-01-01"))
    assert old.passed and gates(old, "warning") == {"reviewed"}
    assert old.modules[0].status == "warn"


def test_sources_must_not_be_empty_and_a_missing_summary_warns(tmp_path: Path) -> None:
    report = check(tmp_path, module_text(sources="[]", summary=""))
    assert gates(report) == {"sources"}
    assert gates(report, "warning") == {"summary"}


def test_a_render_error_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("{{ reader.name }}", "{{ reader.nickname }}")
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"render"}
    assert "nickname" in report.errors[0].message


# ---------------------------------------------------------------- the command


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_check_content_passes_on_the_real_library() -> None:
    result = run("--project", str(REPO), "check-content")
    assert result.exit_code == 0, result.output
    assert "pacing-basics" in result.output and "modules:" in result.output


def test_check_content_fails_with_file_and_line(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("Rest before the pain builds.", "Take 300 mg at night.")
    write_content(tmp_path, {"good": module_text(body=body)})
    result = run("--project", str(tmp_path), "check-content", "--today", "2026-11-23")
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output
    assert "content/basics/good.md:14: '300 mg' reads as a medicine dose" in result.output


def test_check_content_json_and_max_grade(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text()})
    result = run("--project", str(tmp_path), "check-content", "--json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["passed"] and data["modules"][0]["editions"] == ["patient", "caregiver"]
    assert set(data["modules"][0]["readings"]) == {"patient", "caregiver"}
    strict = run("--project", str(tmp_path), "check-content", "--max-grade", "0", "--today", "2026-11-23")
    assert strict.exit_code == 1


def test_check_content_exits_2_for_an_invalid_library(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text().replace("order: 10\n", "")})
    result = run("--project", str(tmp_path), "check-content")
    assert result.exit_code == 2
    assert "order" in result.output and type(result.exception) is SystemExit


@pytest.mark.parametrize("command", ["check-content", "library"])
def test_new_commands_have_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output
