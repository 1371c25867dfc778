"""A batch whose every input is unchanged is settled from its record (output/batches.py), and
anything that could change a handbook sends the build the whole way."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, copy_project, write_profile

import generator.build.handbooks
from generator.build import BuildOptions, BuildReport, build
from generator.output.batches import RECORD_FILE, TEMPORARY_PREFIX
from generator.project import find_project

HTML = frozenset({"html"})
# kim's goal has no plan: a warning every build gives, and the record must give it too
KIM = MINIMAL_PROFILE.format(id="kim", name="Kim") + "goals:\n  - Walk to the shop\n"


def _project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    for extra in (root / "profiles").glob("*.yaml"):
        extra.unlink()
    write_profile(root / "profiles", "kim.yaml", KIM)
    write_profile(root / "profiles", "lee.yaml", MINIMAL_PROFILE.format(id="lee", name="Lee").replace(
        "language: en", "language: es"))
    return root


def _build(root: Path, out: Path, **options: object) -> BuildReport:
    settings = {"formats": HTML, "today": TODAY, "jobs": 1, **options}
    return build(find_project(root), [], BuildOptions(output_dir=out, **settings))  # type: ignore[arg-type]


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often a build went the whole way (checked the library and the profiles)."""
    calls: list[int] = []
    real = generator.build.handbooks.build_checked

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(generator.build.handbooks, "build_checked", counted)
    return calls


def test_an_unchanged_batch_is_settled_from_its_record_as_the_full_check_settles_it(tmp_path: Path,
                                                                                    checks: list[int]) -> None:
    root, out = _project(tmp_path), tmp_path / "out"
    first = _build(root, out)
    assert first.exit_code == 0 and len(checks) == 1 and (out / RECORD_FILE).is_file()
    recorded = _build(root, out)
    assert len(checks) == 1, "nothing changed: the library and profiles were not checked again"
    (out / RECORD_FILE).unlink()
    checked = _build(root, out)  # the whole way: every handbook found up to date by its own digest
    assert len(checks) == 2
    assert recorded.outcomes == checked.outcomes
    assert [o.up_to_date for o in recorded.outcomes] == [True, True]
    assert any("goals[0]" in warning for warning in recorded.outcomes[0].warnings), recorded.outcomes[0]


@pytest.mark.parametrize("change", ["profile", "module", "catalogue", "template", "services", "code-digest",
                                    "today", "formats", "folder-removed", "folder-rebuilt", "record-corrupt",
                                    "record-fifo", "profile-added", "force"])
def test_any_change_goes_the_whole_way(tmp_path: Path, checks: list[int], change: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = _project(tmp_path), tmp_path / "out"
    _build(root, out)
    options: dict[str, object] = {}
    content = root / "content"
    if change == "profile":
        (root / "profiles" / "kim.yaml").write_text(KIM.replace("Kim", "Kimberly"))
    elif change == "module":  # any module, used by these handbooks or not: the full check decides which
        module = sorted(content.glob("*/*.md"))[-1]
        module.write_text(module.read_text() + "\n")
    elif change == "catalogue":
        po = content / "locale" / "es" / "LC_MESSAGES" / "content.po"
        po.write_text(po.read_text() + "\n")
    elif change == "template":
        css = root / "templates" / "assets" / "handbook.css"
        css.write_text(css.read_text() + "\n/* changed */\n")
    elif change == "services":
        table = content / "services.yaml"
        table.write_text(table.read_text() + "\n# a comment\n")
    elif change == "code-digest":  # the program, or a library's version (cache.shared_digest)
        monkeypatch.setattr("generator.build.shared_digest", lambda project: "another program")
    elif change == "today":
        options["today"] = TODAY.replace(day=24)
    elif change == "formats":
        options["formats"] = frozenset({"html", "pdf"})
        monkeypatch.setattr(generator.build.handbooks, "write_pdf", lambda *a, **k: type(
            "Laid", (), {"pdf": b"%PDF-1.7 stand-in", "notes": ()})())
    elif change == "folder-removed":
        (out / "lee" / "index.html").unlink()
    elif change == "folder-rebuilt":  # another build (say with other options) replaced it since
        (out / "lee" / ".inputs.sha256").write_text("0" * 64 + "\n")
    elif change == "record-corrupt":
        (out / RECORD_FILE).write_text('{"format": "handbook-batches/1", "batches": {"')
    elif change == "record-fifo":  # reading it would block for ever
        (out / RECORD_FILE).unlink()
        os.mkfifo(out / RECORD_FILE)
    elif change == "profile-added":
        write_profile(root / "profiles", "max.yaml", MINIMAL_PROFILE.format(id="max", name="Max"))
    elif change == "force":
        options["force"] = True
    report = _build(root, out, **options)
    assert report.exit_code == 0 and len(checks) == 2, report.failed


def test_the_record_is_its_owners_only_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    root, out = _project(tmp_path), tmp_path / "out"
    old = os.umask(0)
    try:
        _build(root, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / RECORD_FILE).stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == [RECORD_FILE, "kim", "lee"]
    record = json.loads((out / RECORD_FILE).read_text())
    [batch] = record["batches"].values()
    assert [entry[1] for entry in batch] == ["kim", "lee"]


def test_a_record_half_written_by_a_killed_build_is_swept_and_one_being_written_is_left(tmp_path: Path) -> None:
    import fcntl

    root, out = _project(tmp_path), tmp_path / "out"
    out.mkdir()
    left = out / f"{TEMPORARY_PREFIX}abcd1234.tmp"
    left.write_text('{"format": "handbook-batches/1", "batc')  # SIGKILL or power loss while it was written
    live = out / f"{TEMPORARY_PREFIX}efgh5678.tmp"
    live.write_text("")
    with open(live) as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build writing its record now
        _build(root, out)
        assert not left.exists() and live.exists()
    assert json.loads((out / RECORD_FILE).read_text())["batches"]


def test_a_batch_with_a_failure_is_not_recorded(tmp_path: Path, checks: list[int]) -> None:
    root, out = _project(tmp_path), tmp_path / "out"
    write_profile(root / "profiles", "bad.yaml", "handbook: 1\nid: bad\n")
    assert _build(root, out).exit_code != 0 and not (out / RECORD_FILE).exists()
    assert _build(root, out).exit_code != 0 and len(checks) == 2, "the failure is found and said again"


def test_a_no_change_rebuild_loads_no_stage(tmp_path: Path) -> None:
    """What makes it fast (issue 12): no library, no checks, no templates, no Markdown."""
    root, out = _project(tmp_path), tmp_path / "out"
    _build(root, out)
    probe = ("import sys, runpy\n"
             f"sys.argv = ['handbook', '--project', {str(root)!r}, 'build', '-o', {str(out)!r}, '--format', 'html',"
             f" '--today', {TODAY.isoformat()!r}, '-j', '1']\n"
             "try:\n    runpy.run_module('generator', run_name='__main__')\n"
             "except SystemExit as done:\n    code = done.code\n"
             "loaded = sorted(m for m in sys.modules if m in ('generator.build.handbooks', 'generator.check',"
             " 'generator.content.library', 'jinja2', 'markdown', 'babel', 'weasyprint'))\n"
             "print('LOADED', loaded, code)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "LOADED [] 0" in result.stdout, result.stdout + result.stderr
    assert "up to date kim" in result.stdout and "goals[0]" in result.stderr, result.stdout + result.stderr


def test_an_unreadable_library_file_is_a_message_not_a_traceback(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli.main import main

    root = _project(tmp_path)
    module = sorted((root / "content").glob("*/*.md"))[0]
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == module:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # the tests run as root, whom chmod does not stop
    result = CliRunner().invoke(main, ["--project", str(root), "build", "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 2, result.output
    assert "cannot read" in result.output and module.name in result.output
    assert "Permission denied" in result.output and "Traceback" not in result.output


DAMAGE = {
    "a page deleted": lambda folder: (folder / "pacing.html").unlink(),
    "the start page emptied": lambda folder: (folder / "index.html").write_bytes(b""),
    "a stylesheet edited": lambda folder: (folder / "assets" / "site.css").open("a").write("x"),
    "the manifest deleted": lambda folder: (folder / ".handbook.sha256").unlink(),
    "a page made readable by all": lambda folder: (folder / "index.html").chmod(0o644),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("record", ["replayed", "checked"])
def test_a_handbook_damaged_by_hand_is_rebuilt_not_reported_unchanged(tmp_path: Path, damage: str,
                                                                      record: str) -> None:
    """From an adversarial review: only the inputs digest and index.html were looked at, so a handbook
    with a page deleted or a file edited stayed 'unchanged', record or not, until --force."""
    root, out = _project(tmp_path), tmp_path / "out"
    assert _build(root, out).exit_code == 0
    DAMAGE[damage](out / "kim")
    if record == "checked":
        (out / RECORD_FILE).unlink()
    again = _build(root, out)
    assert [(o.profile_id, o.up_to_date) for o in again.outcomes] == [("kim", False), ("lee", True)]
    done = subprocess.run(["sha256sum", "--quiet", "-c", ".handbook.sha256"], cwd=out / "kim", capture_output=True)
    assert done.returncode == 0 and stat.S_IMODE((out / "kim" / "index.html").stat().st_mode) == 0o600


@pytest.mark.parametrize("damage", ['["batches", ' + "[" * 3000, "profile id"], ids=["nested-too-deep", "nul-in-an-id"])
def test_a_record_damaged_by_hand_means_a_full_check_never_a_traceback(tmp_path: Path, checks: list[int],
                                                                      damage: str) -> None:
    root, out = _project(tmp_path), tmp_path / "out"
    _build(root, out)
    record_path = out / RECORD_FILE
    if damage == "profile id":
        data = json.loads(record_path.read_text())
        for batch in data["batches"].values():
            batch[0][1] = "kim\u0000"  # a NUL made a ValueError in the path
        record_path.write_text(json.dumps(data))
    else:
        record_path.write_text(damage)  # nested too deep for the JSON decoder: RecursionError
    assert _build(root, out).exit_code == 0 and len(checks) == 2
    assert _build(root, out, force=True).exit_code == 0


def test_a_change_behind_a_linked_topic_folder_is_seen(tmp_path: Path) -> None:
    """A topic folder may be a link (to the installed library's): rglob did not follow it, so the
    batch key missed an edit there and replayed stale handbooks."""
    from generator.output.cache import files_under, project_digest, shared_digest
    from generator.project import Project

    root = copy_project(tmp_path / "clinic")
    elsewhere = tmp_path / "installed" / "sleep"
    elsewhere.parent.mkdir()
    (root / "content" / "sleep").rename(elsewhere)
    (root / "content" / "sleep").symlink_to(elsewhere)
    (root / "content" / "loop").symlink_to(root / "content")  # a link to an ancestor cannot loop
    project = Project(root, root / "content", root / "templates", root / "profiles", root / "output")
    assert root / "content" / "sleep" / "sleep.md" in set(files_under(root / "content"))
    before = (project_digest(project), shared_digest(project))
    module = elsewhere / "sleep.md"
    module.write_text(module.read_text().replace("Poor sleep", "Poor sleep really", 1))
    assert project_digest(project) != before[0]
    (elsewhere / "notes.css").write_text("p {}")
    assert shared_digest(project) != before[1]
