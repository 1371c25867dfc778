"""Quality gates: the whole real library passes them, and each gate catches a bad module."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, REVIEWER, TODAY, write_bibliography

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
                sources: str = "[walking-guide]", summary: str = "A short plan to start walking.",
                review_months: int | None = None) -> str:
    return (f"---\nid: {module_id}\ntitle: Start small\ntopic: basics\naudience: both\norder: 10\n"
            + (f"summary: {summary}\n" if summary else "")
            + f"sources: {sources}\nreviewed: {reviewed}\nreviewed_by: {REVIEWER}\n"
            + (f"review_months: {review_months}\n" if review_months else "")
            + f"---\n{body}")  # no blank line: the body keeps its lines whatever the front matter holds


def write_content(root: Path, modules: dict[str, str]) -> Path:
    content = root / "content"
    (content / "basics").mkdir(parents=True, exist_ok=True)
    (content / "topics.yaml").write_text("- id: basics\n  title: The basics\n  key_points: [Walk a little each day.]\n",
                                         encoding="utf-8")
    write_bibliography(content)
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
    [problem] = [p for p in report.errors if p.gate == "grade"]
    assert "patient edition" in problem.message
    assert "Comprehensive interdisciplinary" in problem.message  # the longest sentence is named
    assert gates(report) == {"grade", "smog"}  # its long words fail SMOG too
    q = report.modules[0]
    assert q.reading("patient").grade > 8 >= q.reading("caregiver").grade


def test_max_grade_is_an_option(tmp_path: Path) -> None:
    library = load_library(write_content(tmp_path, {"good": module_text()}))
    assert not check_library(library, TEMPLATES, today=dt.date(2026, 11, 23), max_grade=-5).passed


# Short sentences of short words, but two long words in each: an easy grade, a hard SMOG.
FAMILY_TEXT = (
    "Walk with your family to the park every day. Sit with your family and talk every evening. "
    "Cook with your family and eat together every week. Read with your family every night in a quiet room.\n"
)


def test_smog_gate_fails_a_module_over_7_naming_its_file_and_edition(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("::: try", f"::: patient\n{FAMILY_TEXT}:::\n\n::: try")
    report = check(tmp_path, module_text(body=body))
    [problem] = report.errors
    assert problem.gate == "smog" and problem.path.endswith("content/basics/good.md")
    assert str(problem).startswith(f"{problem.path}: SMOG grade 8.5 for the patient edition is above 7")
    assert "family, every, together" in problem.message  # the long words, most frequent first
    q = report.modules[0]
    assert q.reading("patient").grade <= 8 and q.reading("patient").smog > 7 >= q.reading("caregiver").smog
    lenient = check_library(load_library(tmp_path / "content"), TEMPLATES, today=dt.date(2026, 11, 23), max_smog=9)
    assert lenient.passed and lenient.max_smog == 9


def test_every_library_module_is_smog_7_or_lower_in_every_edition(report: QualityReport) -> None:
    over = {(q.module.path, r.edition): r.smog for q in report.modules for r in q.readings if r.smog > 7}
    assert over == {}
    assert all(r.smog > 0 for q in report.modules for r in q.readings)
    assert any(r.polysyllables > 0 for q in report.modules for r in q.readings)  # long words are counted


@pytest.mark.parametrize("sentence", [
    "Take 300 mg at night.",
    "If the pain is bad, increase your dose.",
    "You can double your tablets on a bad day.",
    "Stop taking your painkillers once you feel better.",
    "Take an extra tablet before a long walk.",
    "Don't hesitate to double your dose.",
    "If no better increase the dose.",
    "Take 300 mgs at night.",
    "Take one and a half tablets.",
    "Do not rush; stop your tablets.",  # the one sentence rule: a semicolon ends a sentence
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
    "Do not stop taking your medicines.",
    "Never change a dose on your own.",
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


def test_reviewed_in_the_future_fails(tmp_path: Path) -> None:
    report = check(tmp_path, module_text(reviewed="2026-12-01"))
    assert gates(report) == {"reviewed"} and "in the future" in report.errors[0].message
    assert report.errors[0].line == 9


def test_a_module_past_its_review_fails_naming_it(tmp_path: Path) -> None:
    report = check(tmp_path, module_text("walking", reviewed="2023-01-01"), module_text("fresh"))
    assert gates(report) == {"reviewed"} and gates(report, "warning") == set()
    (problem,) = report.errors
    assert (problem.module_id, problem.line) == ("walking", 9) and problem.path.endswith("content/basics/walking.md")
    assert "module 'walking' is overdue for review" in problem.message
    assert "reviewed 2023-01-01, due again by 2025-01-01 (every 24 months)" in problem.message
    assert [q.status for q in report.modules] == ["ok", "FAIL"]


def test_the_default_review_interval_is_24_months(tmp_path: Path) -> None:
    text = module_text(reviewed="2024-11-23")
    assert check(tmp_path / "due", text, today=dt.date(2026, 11, 23)).passed  # due today: not yet past it
    late = check(tmp_path / "late", text, today=dt.date(2026, 11, 24))
    assert gates(late) == {"reviewed"} and "overdue" in late.errors[0].message


def test_review_months_changes_the_interval(tmp_path: Path) -> None:
    short = check(tmp_path / "short", module_text(reviewed="2026-01-05", review_months=6))
    assert gates(short) == {"reviewed"}
    assert "due again by 2026-07-05 (every 6 months)" in short.errors[0].message
    long = check(tmp_path / "long", module_text(reviewed="2023-01-01", review_months=60))
    assert long.passed and not long.problems


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
    assert "content/basics/good.md:14: a medicine dose ('300 mg') does not belong in the handbook" in result.output


def test_check_content_json_and_max_grade(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text()})
    result = run("--project", str(tmp_path), "check-content", "--json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["passed"] and data["modules"][0]["editions"] == ["patient", "caregiver"]
    assert {key: data["modules"][0][key] for key in ("sources", "reviewed", "reviewed_by", "review_due")} == {
        "sources": ["walking-guide"], "reviewed": "2026-01-05", "reviewed_by": REVIEWER, "review_due": "2028-01-05"}
    assert set(data["modules"][0]["readings"]) == {"patient", "caregiver"}
    strict = run("--project", str(tmp_path), "check-content", "--max-grade", "0", "--today", "2026-11-23")
    assert strict.exit_code == 1


def test_check_content_shows_smog_beside_the_grade(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text()})
    data = json.loads(run("--project", str(tmp_path), "check-content", "--json", "--today", "2026-11-23").output)
    assert data["max_smog"] == 7
    patient = data["modules"][0]["readings"]["patient"]
    assert 0 < patient["smog"] <= 7 and patient["smog_sentences"] >= patient["polysyllables"] >= 0
    table = run("--project", str(tmp_path), "check-content", "--today", "2026-11-23")
    assert table.exit_code == 0 and "SMOG" in table.output and "SMOG limit 7" in table.output
    strict = run("--project", str(tmp_path), "check-content", "--max-smog", "3", "--today", "2026-11-23")
    assert strict.exit_code == 1 and "SMOG grade" in strict.output and "patient edition" in strict.output


def test_check_content_exits_2_for_an_invalid_library(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text().replace("order: 10\n", "")})
    result = run("--project", str(tmp_path), "check-content")
    assert result.exit_code == 2
    assert "order" in result.output and type(result.exception) is SystemExit


def test_check_content_fails_for_an_overdue_module_and_names_it(tmp_path: Path) -> None:
    write_content(tmp_path, {"good": module_text(reviewed="2026-01-05"), "walking": module_text("walking")})
    assert run("--project", str(tmp_path), "check-content", "--today", "2027-01-05").exit_code == 0
    result = run("--project", str(tmp_path), "check-content", "--today", "2028-01-06")
    assert result.exit_code == 1, result.output
    assert "content/basics/walking.md:9: module 'walking' is overdue for review" in result.output
    assert "content/basics/good.md:9: module 'good' is overdue for review" in result.output
    assert "2 modules: 0 pass, 2 fail" in result.output


def test_the_real_library_falls_due_24_months_after_its_review(library: Library) -> None:
    reviewed = max(m.reviewed for m in library.modules)
    assert check_library(library, TEMPLATES, today=reviewed).passed
    late = check_library(library, TEMPLATES, today=max(m.review_due for m in library.modules) + dt.timedelta(days=1))
    overdue = {p.module_id for p in late.errors if p.gate == "reviewed"}
    assert overdue == set(library.module_ids)


@pytest.mark.parametrize("command", ["check-content", "library"])
def test_new_commands_have_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output


def test_key_points_gate_fails_a_topic_without_key_points(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"good": module_text()})
    (content / "topics.yaml").write_text("- id: basics\n  title: The basics\n", encoding="utf-8")
    report = check_library(load_library(content), TEMPLATES, today=dt.date(2026, 11, 23))
    assert gates(report) == {"key points"}
    assert (report.errors[0].path, report.errors[0].line) == (str(content / "topics.yaml"), 2)
    assert "topic 'basics' has no key points" in report.errors[0].message


def test_key_points_gate_fails_hard_words(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"good": module_text()})
    (content / "topics.yaml").write_text(
        "- id: basics\n  title: The basics\n  key_points:\n    - " + HARD_TEXT.strip() + "\n", encoding="utf-8")
    report = check_library(load_library(content), TEMPLATES, today=dt.date(2026, 11, 23))
    assert "key points" in gates(report)
    assert any("read at grade" in p.message for p in report.errors)


def test_medication_gate_and_profiles_share_one_check() -> None:
    from generator.inputs.medicines import medicine_problems
    from generator.quality.gates import medication_problems
    body = "Walk a little.\n\nDon't hesitate to double your dose. Take 5 cc."
    assert [message for _, message in medication_problems(body)] == sorted(
        medicine_problems(body), key=lambda m: not m.startswith("a medicine dose"))
    assert [line for line, _ in medication_problems(body)] == [3, 3]


@pytest.mark.parametrize(("field", "point"), [
    ("key_points", "Take 300 mg at night."),
    ("key_points", "Don't hesitate to double your dose."),
    ("caregiver_key_points", "Help them take two tablets."),
    ("caregiver_key_points", "Tell them to stop taking gabapentin."),
])
def test_key_points_gate_fails_a_dose_or_a_medicine_change_with_file_and_line(
        tmp_path: Path, field: str, point: str) -> None:
    content = write_content(tmp_path, {"good": module_text()})
    (content / "topics.yaml").write_text(
        f"- id: basics\n  title: The basics\n  {field}:\n    - Walk a little each day.\n    - {point}\n"
        + ("  key_points: [Walk a little each day.]\n" if field != "key_points" else ""), encoding="utf-8")
    report = check_library(load_library(content), TEMPLATES, today=dt.date(2026, 11, 23))
    assert gates(report) == {"medication"}
    [problem] = report.errors
    assert str(problem.path) == str(content / "topics.yaml") and problem.line == 5
    assert "key point of topic 'basics'" in problem.message
    result = run("--project", str(tmp_path), "check-content", "--today", "2026-11-23")
    assert result.exit_code == 1, result.output
    assert "topics.yaml:5: " in result.output


def test_every_topic_of_the_library_has_one_to_three_plain_key_points(library: Library) -> None:
    from generator.quality.gates import key_point_problems
    assert all(1 <= len([p for p in t.key_points if p.when is None]) <= 3 for t in library.topics)
    assert all(len([p for p in t.caregiver_key_points if p.when is None]) <= 3 for t in library.topics)
    assert key_point_problems(library) == ()


def test_names_gate_checks_drawing_names(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("::: try", '{{ drawing("slow-breething") }}\n\n{{ drawing("slow-breathing") }}\n\n::: try')
    report = check(tmp_path, module_text(body=body))
    assert gates(report) == {"names"}
    assert "unknown drawing 'slow-breething': did you mean 'slow-breathing'?" in report.errors[0].message


def test_text_printed_only_for_a_known_country_is_rendered_and_checked(tmp_path: Path) -> None:
    """The sample reader has no country; the gates also render as a handbook whose country is known."""
    branch = "{% if services.crisis %}\nCall {{ services.crisis.nmae }}.\n{% endif %}\n\n"
    report = check(tmp_path, module_text(body=GOOD_BODY.replace("::: try", branch + "::: try")))
    assert "render" in gates(report)
    assert any("nmae" in problem.message for problem in report.errors)
    good_branch = branch.replace("nmae", "name")
    fixed = check(tmp_path / "fixed", module_text(body=GOOD_BODY.replace("::: try", good_branch + "::: try")))
    assert "render" not in gates(fixed)
