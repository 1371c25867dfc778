"""The `handbook` command through click's CliRunner: output, exit codes, messages."""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import EXAMPLE_PROFILE, MINIMAL_PROFILE, REPO, copy_project, write_profile

from generator.cli.main import main


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    with tempfile.TemporaryDirectory(dir=cwd) as inside, contextlib.chdir(inside):  # run from within the project
        return runner.invoke(main, ["--project", str(cwd), *args])


@pytest.mark.parametrize("command", ["build", "validate", "schema", "new", "list-content"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_validate_accepts_the_example_exactly_as_written() -> None:
    result = run("--project", str(REPO), "validate", str(EXAMPLE_PROFILE))
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "ana-lopez" in result.output


def test_validate_reports_every_problem_with_line_and_exits_2(tmp_path: Path) -> None:
    bad = write_profile(tmp_path, "bad.yaml", MINIMAL_PROFILE.format(id="bad", name="B")
                        + "sleeep: {}\ncondition:\n  symptoms: [alodynia]\n")
    result = run("--project", str(REPO), "validate", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml:5:1" in result.output and "did you mean 'sleep'" in result.output
    assert "bad.yaml:7" in result.output and "did you mean 'allodynia'" in result.output
    assert type(result.exception) is SystemExit


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"- a\n- b\n", "got a list"),
        (b"\x00\x01\x02binary\xff", "binary"),
        ("handbook: 1\nid: caf\xe9\n".encode("latin-1"), "UTF-8"),
        (b"handbook: 1\nid: a\nid: b\n", "duplicate key 'id'"),
        (b"handbook: 1\nid: [unclosed\n", "line"),
        (b"handbook: 1\nid: a\npreferred_name: A\nlanguage: en\nstart_date: 2026-02-30\n", "not a real date"),
    ],
)
def test_broken_files_get_a_message_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 2
    assert message in result.output
    assert type(result.exception) is SystemExit  # a message and an exit code, not an uncaught exception


def test_schema_is_json_schema_for_the_profile() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"handbook", "id", "preferred_name", "language"} <= set(schema["required"])


def test_new_writes_a_starter_that_validates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    result = run("new", "kim-park", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    written = tmp_path / "profiles" / "kim-park.yaml"
    assert written.is_file() and "#" in written.read_text()
    assert run("--project", str(REPO), "validate", str(written)).exit_code == 0
    again = run("new", "kim-park", cwd=tmp_path)
    assert again.exit_code == 2 and "already exists" in again.output


def test_new_writes_an_owner_only_file_whatever_the_umask_and_force_keeps_the_mode(tmp_path: Path) -> None:
    """A profile will hold health information: `new` wrote it 0644 under the usual umask 022."""
    import os
    import stat

    previous = os.umask(0o022)
    try:
        assert run("new", "kim-park", cwd=tmp_path).exit_code == 0
        written = tmp_path / "profiles" / "kim-park.yaml"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        written.chmod(0o640)  # the clinic shares it with its group on purpose
        assert run("new", "kim-park", "--force", cwd=tmp_path).exit_code == 0
        assert stat.S_IMODE(written.stat().st_mode) == 0o640
        assert [p.name for p in written.parent.iterdir()] == ["kim-park.yaml"]  # no temporary file left
    finally:
        os.umask(previous)


def test_new_rejects_a_bad_id_with_a_suggestion(tmp_path: Path) -> None:
    result = run("new", "Kim Park", cwd=tmp_path)
    assert result.exit_code == 2 and "kim-park" in result.output


def test_list_content_shows_id_topic_audience_and_condition() -> None:
    result = run("--project", str(REPO), "list-content")
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if l.startswith("desensitisation "))
    assert "desensitisation" in line and "allodynia" in line
    rows = json.loads(run("--project", str(REPO), "list-content", "--json").output)
    assert {"id", "topic", "audience", "when", "title"} <= set(rows[0])


def test_build_html_into_a_chosen_folder(tmp_path: Path) -> None:
    result = run("--project", str(REPO), "build", str(REPO / "profiles" / "jo-hand-injury.yaml"),
                 "-o", str(tmp_path / "out"), "--format", "html", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "built jo-hand-injury" in result.output
    assert (tmp_path / "out" / "jo-hand-injury" / "index.html").is_file()
    assert not (tmp_path / "out" / "jo-hand-injury" / "handbook.pdf").exists()


def test_build_defaults_to_the_project_profiles_and_output(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    for extra in root.joinpath("profiles").glob("*.yaml"):
        if extra.name != "jo-hand-injury.yaml":
            extra.unlink()
    result = run("build", "--format", "html", cwd=root)
    assert result.exit_code == 0, result.output
    assert (root / "output" / "jo-hand-injury" / "index.html").is_file()


def test_build_with_a_bad_profile_exits_2_and_builds_the_rest(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    write_profile(root / "profiles", "bad.yaml", "handbook: 1\nid: bad\n")
    result = run("build", "--format", "html", "-o", str(tmp_path / "out"), cwd=root)
    assert result.exit_code == 2
    assert "failed" in result.output and "preferred_name" in result.output
    assert (tmp_path / "out" / "jo-hand-injury" / "index.html").is_file()


def test_build_of_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = run("--project", str(REPO), "build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_unknown_format_is_refused() -> None:
    result = run("build", "--format", "docx")
    assert result.exit_code == 2 and "html, pdf" in result.output


def test_writing_to_a_folder_that_cannot_be_made_is_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("schema", "-o", str(blocker / "sub" / "schema.json"))
    assert result.exit_code == 1 and "cannot write" in result.output
    assert type(result.exception) is SystemExit


def test_a_broken_clinic_template_names_its_file_and_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    layout = root / "templates" / "layout.html"
    lines = layout.read_text().splitlines()
    lines.insert(5, "{{ hb.titel }}")
    layout.write_text("\n".join(lines))
    result = run("build", str(root / "profiles" / "jo-hand-injury.yaml"), "--format", "html", "-o", str(tmp_path / "o"), cwd=root)
    assert result.exit_code == 2 and type(result.exception) is SystemExit
    assert "templates/layout.html:6" in result.output and "titel" in result.output


def test_a_broken_plan_template_is_not_blamed_on_the_content(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "templates" / "plans" / "care_team.html").write_text("{% if %}")
    result = run("build", str(root / "profiles" / "jo-hand-injury.yaml"), "--format", "html", "-o", str(tmp_path / "o"), cwd=root)
    assert result.exit_code == 2 and "plans/care_team.html:1" in result.output


def test_a_content_condition_that_fails_is_reported_by_validate(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    module = root / "content" / "sleep" / "sleep.md"
    module.write_text(re.sub(r"^when: .*$", "when: goals | length > 'a'", module.read_text(), count=1, flags=re.M))
    result = run("validate", str(root / "profiles" / "jo-hand-injury.yaml"), cwd=root)
    assert result.exit_code == 2 and "condition" in result.output and type(result.exception) is SystemExit
    when_line = next(n for n, line in enumerate(module.read_text().splitlines(), 1) if line.startswith("when:"))
    assert "module 'sleep' cannot be used for " in result.output and "jo-hand-injury.yaml" in result.output
    assert f"sleep/sleep.md:{when_line}: condition" in result.output


NUMB_AND_HOT = ("condition:\n  symptoms: [burning, numbness]\n"  # lines 5-6
                "desensitisation:\n  textures: [silk, hot water bottle]\n"  # lines 7-8
                "flare_plan:\n  first_steps: [Rest, Put ice on the feet]\n")  # lines 9-10


def test_validate_warns_of_heat_on_numb_skin_with_line_and_exits_0(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "numb.yaml", MINIMAL_PROFILE.format(id="numb", name="N") + NUMB_AND_HOT)
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:8:20: desensitisation.textures[1]: 'hot' on numb skin" in result.output
    assert f"warning: {path}:10:23: flare_plan.first_steps[1]: 'ice' on numb skin" in result.output
    assert "ok " in result.output


def test_build_warns_of_heat_on_numb_skin_and_builds(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "numb.yaml", MINIMAL_PROFILE.format(id="numb", name="N") + NUMB_AND_HOT)
    result = run("--project", str(REPO), "build", str(path), "-o", str(tmp_path / "out"), "--format", "html",
                 "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:8:20: desensitisation.textures[1]: 'hot' on numb skin" in result.output
    assert "built numb" in result.output and (tmp_path / "out" / "numb" / "index.html").is_file()


def test_a_dose_in_a_profile_is_refused_by_validate_and_build(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "dose.yaml", MINIMAL_PROFILE.format(id="dose", name="D")
                         + "flare_plan:\n  first_steps: [Take 300 mg of gabapentin]\n")
    for command in (["validate", str(path)], ["build", str(path), "-o", str(tmp_path / "out"), "--format", "html"]):
        result = run("--project", str(REPO), *command)
        assert result.exit_code == 2, result.output
        assert f"{path}:6:17: flare_plan.first_steps[0]: a medicine dose ('300 mg') does not belong" in result.output
    assert not (tmp_path / "out" / "dose").exists()


def test_validate_warns_of_a_goal_no_plan_serves(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "goal.yaml", MINIMAL_PROFILE.format(id="goal", name="G")
                         + "goals:\n  - Get back to the card club\n")
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:6:5: goals[0]: no plan in this handbook works towards this goal" in result.output


# -- the clinic's country: local emergency and crisis numbers --------------------------------------


def test_validate_warns_of_a_country_without_numbers_with_its_line_and_exits_0(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "lb.yaml", MINIMAL_PROFILE.format(id="lb", name="L")
                         + 'clinic:\n  phone: "+961 1 555 010"\n  country: LB\n')
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 0, result.output
    assert (f"warning: {path}:7:12: clinic.country: the service table has no row for LB (Lebanon): "
            "the handbook prints \"your local emergency number\"") in result.output
    assert "ok " in result.output


def test_validate_warns_of_a_phone_from_another_country(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "gb.yaml", MINIMAL_PROFILE.format(id="gb", name="G")
                         + 'clinic:\n  phone: "+1 555 0100"\n  country: GB\n')
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:6:10: clinic.phone: the phone number '+1 555 0100' starts with +1" in result.output


def test_a_country_name_instead_of_a_code_is_refused_with_the_code(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "uk.yaml", MINIMAL_PROFILE.format(id="uk", name="U") + "clinic:\n  country: UK\n")
    result = run("--project", str(REPO), "validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:6:12: clinic.country: unknown country 'UK': did you mean 'GB' (United Kingdom)?" in result.output


def test_build_prints_the_warning_and_neutral_wording(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "lb.yaml", MINIMAL_PROFILE.format(id="lb", name="L") + "clinic:\n  country: LB\n")
    result = run("--project", str(REPO), "build", str(path), "-o", str(tmp_path / "out"), "--format", "html",
                 "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:6:12: clinic.country:" in result.output
    assert "your local emergency number" in (tmp_path / "out" / "lb" / "urgent-help.html").read_text(encoding="utf-8")


def test_check_content_fails_on_a_service_row_past_its_review_date(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "content" / "services.yaml").write_text(
        "# a clinic's own rows\n"
        'GB:\n  emergency: "112"\n  source: "A clinic\'s own check"\n  checked: 2024-01-02\n  review_by: 2025-01-02\n',
        encoding="utf-8")
    result = run("check-content", "--today", "2026-11-23", cwd=root)
    assert result.exit_code == 1
    assert ("content/services.yaml:2: the numbers for GB (United Kingdom) were due for review on 2025-01-02 "
            "(checked 2024-01-02)") in result.output


def test_build_warns_when_the_countrys_numbers_are_past_their_review(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "content" / "services.yaml").write_text(
        "# a clinic's own rows\n"
        'GB:\n  emergency: "112"\n  source: "A clinic\'s own check"\n  checked: 2024-01-02\n  review_by: 2025-01-02\n',
        encoding="utf-8")
    path = write_profile(root / "profiles", "gb.yaml", MINIMAL_PROFILE.format(id="gb", name="G")
                         + "clinic:\n  country: GB\n")
    result = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "html", "--today", "2026-11-23",
                 cwd=root)
    assert result.exit_code == 0, result.output
    assert (f"{path.name}:6:12: clinic.country: the numbers for GB (United Kingdom) were last checked on 2024-01-02 "
            "and were due for review on 2025-01-02") in result.output
    assert "a clinician should check them before this handbook is handed over" in result.output
    on_time = run("build", str(path), "-o", str(tmp_path / "out2"), "--format", "html", "--today", "2025-01-02",
                  cwd=root)
    assert on_time.exit_code == 0 and "were last checked" not in on_time.output, on_time.output
    # validate checks against the real today
    assert "were last checked on 2024-01-02" in run("validate", str(path), cwd=root).output


def test_the_flare_card_files_call_if_items_by_emergency_words_and_warns(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "card.yaml", MINIMAL_PROFILE.format(id="card", name="C") + (
        "clinic:\n  country: GB\n"
        "flare_plan:\n  call_if:\n"
        "    - The pain is not an emergency but lasts 3 days\n"  # line 9
        "    - 'Chest pain: call 911'\n"
        "    - Go to A&E if the hand turns blue\n"))
    result = run("--project", str(REPO), "build", str(path), "-o", str(tmp_path / "out"), "--format", "html",
                 "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert f"{path}:11:7: flare_plan.call_if[2]: 'Go to A&E if the hand turns blue' reads like an emergency" \
        in result.output
    assert "call_if[0]" not in result.output
    page = (tmp_path / "out" / "card" / "flare-up.html").read_text(encoding="utf-8")
    card = page[page.index('class="flare-card"'):]
    clinic, emergency = card[:card.index('class="card-emergency"')], card[card.index('class="card-emergency"'):]
    assert "The pain is not an emergency but lasts 3 days" in clinic
    assert "The pain is not an emergency" not in emergency
    # '911' is no number of GB's: it stays with the clinic (and is not warned of); A&E is an emergency anywhere
    assert "Chest pain: call 911" in clinic
    assert "Go to A&amp;E if the hand turns blue" in emergency and "A&amp;E" not in clinic


def test_validate_loads_no_layout_or_rendering_machinery() -> None:
    """`validate` checks profiles only: WeasyPrint (~0.5 s), the page renderer and the worker
    pool are never imported, so it starts fast (issue 12)."""
    import subprocess
    import sys

    probe = ("import sys, runpy; sys.argv = ['handbook', 'validate', 'profiles/']\n"
             "try:\n    runpy.run_module('generator', run_name='__main__')\n"
             "except SystemExit as done:\n    code = done.code\n"
             "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf', 'fontTools')\n"
             "               or m in ('generator.compose', 'generator.build', 'generator.output.site',\n"
             "                        'generator.output.pdf', 'concurrent.futures.process', 'markdown', 'nh3'))\n"
             "print('HEAVY', heavy, code)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "HEAVY [] 0" in result.stdout, result.stdout + result.stderr


# -- nothing raw reaches the terminal, no date past the calendar -----------------------------------

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("command", ["validate", "build"])
def test_control_characters_in_file_names_and_values_are_shown_escaped(tmp_path: Path, command: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path)
    for old in (root / "profiles").iterdir():
        old.unlink()
    write_profile(root / "profiles", "evil\x1b]0;pwned\x07\u202e.yaml", "handbook: 1\nid: evil\n")
    write_profile(root / "profiles", "values.yaml", MINIMAL_PROFILE.format(id="values", name='"Jo\\x1b[2J"'))
    args = [command, "profiles"] + (["--format", "html", "-o", str(tmp_path / "out")] if command == "build" else [])
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, args, color=True)
    assert result.exit_code == 2
    assert "\\x1b]0;pwned\\x07\\u202e.yaml" in result.output and "U+001B" in result.output, result.output
    assert not _RAW.search(result.output), repr(result.output)


@pytest.mark.parametrize("today", ["9999-12-30", "3000-01-01", "1899-12-31"])
def test_a_build_date_past_the_calendar_of_plans_is_refused(tmp_path: Path, today: str) -> None:
    root = copy_project(tmp_path)
    result = run("build", "--format", "html", "--today", today, "-o", str(tmp_path / "out"), cwd=root)
    assert result.exit_code == 2, result.output
    assert f"--today {today} is out of range: expected a date from 1900-01-01 to 2999-12-31" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_file_names_and_addresses_are_echoed_with_control_characters_escaped(tmp_path: Path) -> None:
    """A terminal ran the escape sequences of `new -o`, `schema -o` and an unencrypted --scheduler address."""
    name = "k\x1b[31m\u202e.yaml"
    for args in (["new", "kim", "-o", str(tmp_path / name)], ["schema", "-o", str(tmp_path / ("s" + name))],
                 ["build", "profiles/jo-hand-injury.yaml", "--scheduler", "tcp://10.0.0.1\x1b[31m:1",
                  "-o", str(tmp_path / "out")]):
        result = run("--project", str(REPO), *args)
        assert "\x1b" not in result.output and "\u202e" not in result.output, result.output
        assert "\\x1b[31m" in result.output, result.output


@pytest.mark.parametrize("address", ["127.0.0.1:notaport", "tcp://[::1:80", "tcp://127.0.0.1:99999"])
def test_a_scheduler_address_with_a_bad_port_is_refused_at_once(tmp_path: Path, address: str) -> None:
    result = run("--project", str(REPO), "build", "profiles/jo-hand-injury.yaml", "--scheduler", address,
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "is not a port" in result.output or "no host" in result.output


def test_an_unknown_topic_name_is_reported_at_its_line_with_a_did_you_mean(tmp_path: Path) -> None:
    """topics.include/exclude problems had no line, column or item, unlike every other problem."""
    bad = write_profile(tmp_path, "m2.yaml", MINIMAL_PROFILE.format(id="m2", name="M")
                        + "topics:\n  include: [pacing-basic, sleep]\n  exclude:\n    - pacing-basicz\n")
    lines = bad.read_text().splitlines()
    include = next(n for n, line in enumerate(lines, 1) if "include:" in line)
    result = run("--project", str(REPO), "validate", str(bad))
    assert result.exit_code == 2
    assert f"m2.yaml:{include}:13: topics.include[0]: 'pacing-basic' is neither" in result.output, result.output
    assert f"m2.yaml:{include + 2}:7: topics.exclude[0]: 'pacing-basicz'" in result.output
    assert "did you mean 'pacing-basics'?" in result.output
