"""`handbook i18n` through click, and the catalogues checked by outside tools (msgfmt, translate-toolkit)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner
from helpers import REPO, copy_project, write_profile

from generator.cli.main import main
from generator.i18n.catalogs import po_path
from generator.project import find_project

REPO_CATALOGS = sorted((REPO / "content" / "locale").rglob("*.po*")) + sorted((REPO / "templates" / "locale").rglob("*.po*"))


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


def es(text: str) -> str:
    return "ES " + text


def fill(path: Path, *, contexts: tuple[str, ...] | None = None, translate=es) -> None:
    """Translate a catalogue (or only some contexts) with a stand-in that keeps every placeholder."""
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if not message.id or (contexts is not None and message.context not in contexts):
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[1] for _ in range(catalog.num_plurals))
        else:
            message.string = translate(message.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


@pytest.fixture()
def project_es(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    for folder in ("content/locale", "templates/locale"):
        shutil.rmtree(root / folder, ignore_errors=True)
    assert run(root, "i18n", "extract").exit_code == 0
    result = run(root, "i18n", "update", "es")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("command", ["extract", "update", "compile", "status"])
def test_every_i18n_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, ["i18n", command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


def test_extract_then_update_creates_the_gettext_layout(project_es: Path) -> None:
    for path in ("content/locale/content.pot", "templates/locale/messages.pot",
                 "content/locale/es/LC_MESSAGES/content.po", "templates/locale/es/LC_MESSAGES/messages.po"):
        assert (project_es / path).is_file(), path
    again = run(project_es, "i18n", "update")
    assert again.exit_code == 0 and "unchanged" in again.output and "updated" not in again.output


def test_update_rejects_a_language_that_does_not_exist(project_es: Path) -> None:
    result = run(project_es, "i18n", "update", "xx-klingon")
    assert result.exit_code == 2 and type(result.exception) is SystemExit and "language" in result.output


def test_update_without_languages_needs_existing_ones(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    for folder in ("content/locale", "templates/locale"):
        shutil.rmtree(root / folder, ignore_errors=True)
    result = run(root, "i18n", "update")
    assert result.exit_code == 2 and "handbook i18n update es" in result.output


def test_update_before_extract_says_what_to_run(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    shutil.rmtree(root / "content" / "locale", ignore_errors=True)
    result = run(root, "i18n", "update", "es")
    assert result.exit_code == 2 and "handbook i18n extract" in result.output


def test_status_counts_per_module_and_total(project_es: Path) -> None:
    project = find_project(project_es)
    fill(po_path(project, "content", "es"), contexts=("pacing-basics",))
    result = run(project_es, "i18n", "status", "es", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["es"]
    assert report["name"] == "español"
    rows = {row["id"]: row for row in report["modules"]}
    assert rows["pacing-basics"]["translated"] == rows["pacing-basics"]["total"] > 0
    assert rows["pacing-basics"]["percent"] == 100.0
    assert rows["urgent-help"]["translated"] == 0 and rows["urgent-help"]["missing"] == rows["urgent-help"]["total"]
    content, interface, total = report["content"], report["interface"], report["total"]
    assert content["translated"] == rows["pacing-basics"]["total"]
    assert interface["missing"] == interface["total"] > 0
    assert total["total"] == content["total"] + interface["total"]
    text = run(project_es, "i18n", "status", "es")
    assert text.exit_code == 0
    assert "es (español)" in text.output and "pacing-basics" in text.output and "100.0%" in text.output
    assert "total" in text.output and "interface" in text.output


def test_status_counts_fuzzy_and_broken_translations(project_es: Path) -> None:
    project = find_project(project_es)
    path = po_path(project, "content", "es")
    fill(path, contexts=("pacing-basics",))
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgctxt "pacing-basics"\nmsgid "Boom and bust"', '#, fuzzy\nmsgctxt "pacing-basics"\nmsgid "Boom and bust"')
    text = text.replace("ES Help {{ reader.name }} choose", "ES Help choose")
    path.write_text(text, encoding="utf-8")
    report = json.loads(run(project_es, "i18n", "status", "es", "--json").output)["es"]
    row = next(r for r in report["modules"] if r["id"] == "pacing-basics")
    assert (row["fuzzy"], row["invalid"], row["missing"]) == (1, 1, 0)
    assert "reader.name" in row["problems"][0]


def test_fail_under(project_es: Path) -> None:
    fill(po_path(find_project(project_es), "content", "es"), contexts=("pacing-basics",))
    low = run(project_es, "i18n", "status", "es", "--fail-under", "50")
    assert low.exit_code == 1 and "below 50%" in low.output
    assert run(project_es, "i18n", "status", "es", "--fail-under", "0").exit_code == 0


def test_compile_writes_mo_files_and_reports_broken_placeholders(project_es: Path) -> None:
    project = find_project(project_es)
    ui = po_path(project, "messages", "es")
    fill(ui)
    fill(po_path(project, "content", "es"), contexts=("pacing-basics",))
    good = run(project_es, "i18n", "compile", "es")
    assert good.exit_code == 0, good.output
    assert ui.with_suffix(".mo").is_file() and po_path(project, "content", "es").with_suffix(".mo").is_file()

    text = ui.read_text(encoding="utf-8").replace('msgstr "ES Helping %(name)s at home"', 'msgstr "Ayudar en casa"')
    ui.write_text(text, encoding="utf-8")
    content = po_path(project, "content", "es")
    content.write_text(content.read_text(encoding="utf-8").replace("ES Help {{ reader.name }} choose", "ES Help choose"),
                       encoding="utf-8")
    bad = run(project_es, "i18n", "compile", "es")
    assert bad.exit_code == 1
    assert "messages.po:" in bad.output and "%(name)s" in bad.output
    assert "content.po:" in bad.output and "{{ reader.name }}" in bad.output and "pacing-basics" in bad.output


def test_a_broken_interface_translation_is_left_out_of_the_build(project_es: Path, tmp_path: Path) -> None:
    project = find_project(project_es)
    ui = po_path(project, "messages", "es")
    fill(ui, translate=lambda text: text.replace("%(name)s", "%(nombre)s") if "%(name)s" in text else "ES " + text)
    profile = write_profile(tmp_path, "es.yaml", "handbook: 1\nid: ana-es\npreferred_name: Ana\nlanguage: es\n")
    result = run(project_es, "build", str(profile), "--format", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "ana-es" / "index.html").read_text(encoding="utf-8")
    assert "Ana&#39;s handbook" in html or "Ana's handbook" in html  # the broken one falls back to English
    assert "ES Contents" in html  # the others are used


def test_an_interface_translation_that_adds_markup_is_left_out_of_the_build(project_es: Path, tmp_path: Path) -> None:
    """Interface strings are printed as written: a translation cannot bring a tag or a script of its own."""
    ui = po_path(find_project(project_es), "messages", "es")
    fill(ui, translate=lambda text: '<script>alert(1)</script>' + text if text == "Contents" else "ES " + text)
    profile = write_profile(tmp_path, "es.yaml", "handbook: 1\nid: ana-es\npreferred_name: Ana\nlanguage: es\n")
    result = run(project_es, "build", str(profile), "--format", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "ana-es" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "Contents" in html  # the source string instead
    assert "ES Printable handbook" in html  # the others are used
    status = run(project_es, "i18n", "status", "es", "--verbose")
    assert "adds or drops HTML markup" in status.output


def test_strict_build_from_the_command_line(project_es: Path, tmp_path: Path) -> None:
    profile = write_profile(tmp_path, "es.yaml", "handbook: 1\nid: ana-es\npreferred_name: Ana\nlanguage: es\n")
    result = run(project_es, "build", "--strict", str(profile), "--format", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "--strict" in result.output and type(result.exception) is SystemExit


# --- outside tools --------------------------------------------------------------------------


def _translated_catalogs(root: Path) -> list[Path]:
    project = find_project(root)
    paths = [po_path(project, "content", "es"), po_path(project, "messages", "es")]
    for path in paths:
        fill(path)
    return paths


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_every_po_file_in_the_repository_passes_msgfmt_check() -> None:
    assert REPO_CATALOGS, "the repository has catalogues"
    for path in REPO_CATALOGS:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_translated_catalogs_pass_msgfmt_check(project_es: Path) -> None:
    for path in _translated_catalogs(project_es):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


def _pofilter_failures(path: Path) -> list[str]:
    checks = pytest.importorskip("translate.filters.checks")
    factory = pytest.importorskip("translate.storage.factory")
    store = factory.getobject(str(path))
    checker = checks.TeeChecker(checkerclasses=[checks.StandardChecker, checks.StandardUnitChecker],
                                limitfilters=["variables", "xmltags", "numbers"],
                                checkerconfig=checks.CheckerConfig(targetlanguage="es"))
    failures = []
    for unit in store.units:
        if unit.isheader() or not unit.istranslated():
            continue
        for name, failure in checker.run_filters(unit).items():
            failures.append(f"{path.name}: {name}: {unit.source!r}: {failure}")
    return failures


def test_pofilter_finds_no_errors_in_the_repository() -> None:
    assert [f for path in REPO_CATALOGS if path.suffix == ".po" for f in _pofilter_failures(path)] == []


def test_pofilter_finds_no_errors_in_translated_catalogs(project_es: Path) -> None:
    assert [f for path in _translated_catalogs(project_es) for f in _pofilter_failures(path)] == []


def test_pofilter_catches_a_dropped_number(tmp_path: Path, project_es: Path) -> None:
    path = po_path(find_project(project_es), "content", "es")
    fill(path, translate=lambda text: "ES " + text.replace("0 to 10", "cero a diez"))
    assert any("numbers" in f for f in _pofilter_failures(path))


def test_a_round_trip_through_xliff_keeps_every_message(project_es: Path, tmp_path: Path) -> None:
    po2xliff = pytest.importorskip("translate.convert.po2xliff")
    xliff2po = pytest.importorskip("translate.convert.xliff2po")
    for path in _translated_catalogs(project_es):
        xliff, back = tmp_path / f"{path.stem}.xlf", tmp_path / f"{path.stem}.po"
        with path.open("rb") as source, xliff.open("wb") as target:
            po2xliff.convertpo(source, target, None)
        with xliff.open("rb") as source, back.open("wb") as target:
            xliff2po.convertxliff(source, target, None)
        before = read_po(path.open("rb"))
        after = read_po(back.open("rb"))

        def pairs(catalog) -> list[tuple[object, object]]:  # type: ignore[no-untyped-def]
            return sorted(((m.id, m.string) for m in catalog if m.id), key=repr)

        # XLIFF 1.1 from po2xliff has no msgctxt: messages and translations survive, contexts do not.
        assert pairs(after) == pairs(before)
        assert len([m for m in after if m.id]) == len([m for m in before if m.id])


def test_extraction_reads_interface_strings_of_nested_modules(tmp_path: Path, monkeypatch) -> None:
    """The package has subfolders: their `gettext()` calls must stay in messages.pot."""
    import generator.i18n.tools as tools

    code = tmp_path / "code"
    (code / "stage").mkdir(parents=True)
    (code / "top.py").write_text('gettext("Top level words")\n')
    (code / "stage" / "inner.py").write_text('gettext("Words of a nested stage")\n')
    monkeypatch.setattr(tools, "PACKAGE_DIR", code)
    catalog = tools.extract_ui(find_project(copy_project(tmp_path)))
    assert catalog.get("Words of a nested stage") is not None
    assert ("generator/stage/inner.py", 1) in catalog.get("Words of a nested stage").locations
    assert catalog.get("Top level words") is not None
