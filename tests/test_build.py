"""Batches: every good profile builds, a bad one fails alone, output is never half-written."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from helpers import MINIMAL_PROFILE, REPO, TODAY, copy_project, write_profile

from generator.build import BuildOptions, build
from generator.output.batches import RECORD_FILE
from generator.project import find_project

HTML_ONLY = frozenset({"html"})


def options(out: Path, formats=HTML_ONLY) -> BuildOptions:
    return BuildOptions(output_dir=out, formats=formats, today=TODAY)


def test_one_bad_profile_fails_alone(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    write_profile(root / "profiles", "zz-bad.yaml", MINIMAL_PROFILE.format(id="zz-bad", name="Zed") + "sleeep: {}\n")
    report = build(find_project(root), [], options(tmp_path / "out"))
    assert report.exit_code == 2
    assert [o.source for o in report.failed] == ["profiles/zz-bad.yaml"] or report.failed[0].source.endswith("zz-bad.yaml")
    assert "did you mean 'sleep'" in report.failed[0].error
    built = {o.profile_id for o in report.built}
    assert {"jo-hand-injury", "maria-diabetic-feet", "sam-after-surgery", "ana-lopez"} <= built
    assert all((tmp_path / "out" / pid / "index.html").is_file() for pid in built)
    assert not (tmp_path / "out" / "zz-bad").exists()


def test_a_profile_with_no_optional_sections_builds(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    path = write_profile(tmp_path, "min.yaml", MINIMAL_PROFILE.format(id="min", name="Kim"))
    report = build(find_project(root), [path], options(tmp_path / "out"))
    assert report.exit_code == 0
    index = (tmp_path / "out" / "min" / "index.html").read_text()
    assert "Kim" in index
    pacing = tmp_path / "out" / "min" / "pacing.html"
    assert not pacing.exists() or "pacing-table" not in pacing.read_text()


def test_duplicate_ids_fail_the_second_profile(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    a = write_profile(tmp_path, "a.yaml", MINIMAL_PROFILE.format(id="same", name="A"))
    b = write_profile(tmp_path, "b.yaml", MINIMAL_PROFILE.format(id="same", name="B"))
    report = build(find_project(root), [a, b], options(tmp_path / "out"))
    assert report.exit_code == 2 and len(report.failed) == 1 and "also the id of" in report.failed[0].error


def test_a_failed_build_keeps_the_previous_handbook(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    out = tmp_path / "out"
    profile = root / "profiles" / "jo-hand-injury.yaml"
    assert build(find_project(root), [profile], options(out)).exit_code == 0
    before = {p: p.read_bytes() for p in (out / "jo-hand-injury").rglob("*") if p.is_file()}
    module = root / "content" / "pacing" / "pacing-basics.md"
    module.write_text(module.read_text() + "\n{{ reader.nmae }}\n")
    report = build(find_project(root), [profile], options(out))
    assert report.exit_code == 2 and "pacing-basics" in report.failed[0].error
    after = {p: p.read_bytes() for p in (out / "jo-hand-injury").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in out.iterdir()) == [RECORD_FILE, "jo-hand-injury"]  # the first build's record


def test_unknown_topic_in_profile_is_bad_input(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    path = write_profile(tmp_path, "t.yaml", MINIMAL_PROFILE.format(id="t", name="T") + "topics:\n  exclude: [nutrtion]\n")
    report = build(find_project(root), [path], options(tmp_path / "out"))
    assert report.exit_code == 2 and "did you mean 'nutrition'" in report.failed[0].error


def test_a_clinic_project_uses_its_own_library_and_templates(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    layout = root / "templates" / "layout.html"
    layout.write_text(layout.read_text().replace("<body>", "<body><p>Clinic branding</p>"))
    report = build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"], options(tmp_path / "out"))
    assert report.exit_code == 0
    assert "Clinic branding" in (tmp_path / "out" / "jo-hand-injury" / "index.html").read_text()


def test_a_clinic_can_override_one_template_and_keep_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    (root / "templates" / "assets").mkdir(parents=True)
    (root / "templates" / "assets" / "site.css").write_text("body { color: navy; } /* clinic */")
    bundled_layout = (REPO / "templates" / "layout.html").read_text()
    (root / "templates" / "layout.html").write_text(bundled_layout.replace("<body>", "<body><p>Riverside branding</p>"))
    path = write_profile(root / "profiles", "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    report = build(find_project(root), [path], options(tmp_path / "out", frozenset({"html", "pdf"})))
    assert report.exit_code == 0, report.failed
    out = tmp_path / "out" / "kim"
    assert "Riverside branding" in (out / "index.html").read_text()
    assert "/* clinic */" in (out / "assets" / "site.css").read_text()
    assert (out / "assets" / "handbook.css").is_file() and (out / "handbook.pdf").is_file()
    from pdfutil import font_names

    assert any("Atkinson" in name for name in font_names(out / "handbook.pdf")), "bundled fonts.css reached the PDF"


def test_an_html_only_rebuild_keeps_linking_the_kept_pdf(project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    profile = REPO / "profiles" / "jo-hand-injury.yaml"
    assert build(project, [profile], options(out, frozenset({"html", "pdf"}))).exit_code == 0
    assert build(project, [profile], options(out)).exit_code == 0
    assert (out / "jo-hand-injury" / "handbook.pdf").is_file()
    assert 'href="handbook.pdf"' in (out / "jo-hand-injury" / "index.html").read_text()


def test_the_report_keeps_the_order_of_the_profiles(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    good = write_profile(tmp_path, "a-good.yaml", MINIMAL_PROFILE.format(id="a-good", name="A"))
    bad = write_profile(tmp_path, "b-bad.yaml", "handbook: 1\nid: b\n")
    also = write_profile(tmp_path, "c-good.yaml", MINIMAL_PROFILE.format(id="c-good", name="C"))
    report = build(find_project(root), [good, bad, also], options(tmp_path / "out"))
    assert [Path(o.source).name for o in report.outcomes] == ["a-good.yaml", "b-bad.yaml", "c-good.yaml"]


def test_a_clinic_that_overrides_its_stylesheet_keeps_the_bundled_interface_translations(tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    (root / "templates" / "assets").mkdir(parents=True)
    (root / "templates" / "assets" / "site.css").write_text("body { color: navy; } /* clinic */")
    path = write_profile(root / "profiles", "ana.yaml", MINIMAL_PROFILE.format(id="ana", name="Ana").replace(
        "language: en", "language: es"))
    report = build(find_project(root), [path], options(tmp_path / "out"))
    assert report.exit_code == 0, report.failed
    assert "El manual de Ana" in (tmp_path / "out" / "ana" / "index.html").read_text()


# -- a batch never stops at one bad handbook -------------------------------------------------------


def _clinic_with_a_trap(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A clinic whose cover template fails, with an error no template check expects, for 'Zed' only."""
    root = tmp_path / "clinic"
    cover = (REPO / "templates" / "_cover.html").read_text()
    trap = '{% if hb.profile.preferred_name == "Zed" %}{{ 1 // 0 }}{% endif %}'
    write_profile(root / "templates", "_cover.html", trap + cover)
    paths = [write_profile(root / "profiles", f"{pid}.yaml", MINIMAL_PROFILE.format(id=pid, name=name))
             for pid, name in (("a-kim", "Kim"), ("b-zed", "Zed"), ("c-ana", "Ana"))]
    return root, paths


def _one_failed_the_rest_built(report, out: Path, reason: str, exit_code: int = 1) -> None:  # type: ignore[no-untyped-def]
    assert [Path(o.source).name for o in report.failed] == ["b-zed.yaml"]
    assert reason in (report.failed[0].error or "") and report.exit_code == exit_code
    assert {o.profile_id for o in report.built} == {"a-kim", "c-ana"}
    assert all((out / pid / "index.html").is_file() for pid in ("a-kim", "c-ana"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_template_that_fails_for_one_handbook_is_its_failure_with_or_without_workers(tmp_path: Path,
                                                                                      jobs: int) -> None:
    root, _ = _clinic_with_a_trap(tmp_path)
    out = tmp_path / "out"
    report = build(find_project(root), [], BuildOptions(output_dir=out, today=TODAY, jobs=jobs))
    _one_failed_the_rest_built(report, out, "templates/_cover.html:1", exit_code=2)  # the clinic's mistake
    assert "ZeroDivisionError" in (report.failed[0].error or "")
    assert all((out / pid / "handbook.pdf").is_file() for pid in ("a-kim", "c-ana"))


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the bug is planted by monkeypatching the parent")
@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unexpected_error_in_one_handbook_is_its_failure_with_or_without_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import generator.build.handbooks

    root, _ = _clinic_with_a_trap(tmp_path)
    (root / "templates" / "_cover.html").unlink()
    real = generator.build.handbooks.render_site

    def buggy(handbook, *args, **kwargs):  # type: ignore[no-untyped-def]
        if handbook.profile.preferred_name == "Zed":
            raise ZeroDivisionError("a bug of handbook's own")
        return real(handbook, *args, **kwargs)

    monkeypatch.setattr(generator.build.handbooks, "render_site", buggy)
    out = tmp_path / "out"
    report = build(find_project(root), [], BuildOptions(output_dir=out, formats=frozenset({"html"}), today=TODAY,
                                                        jobs=jobs))
    _one_failed_the_rest_built(report, out, "unexpected error")
    assert "ZeroDivisionError" in (report.failed[0].error or "")


def test_an_unexpected_error_while_checking_one_profile_is_its_failure(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.check

    root, _ = _clinic_with_a_trap(tmp_path)
    (root / "templates" / "_cover.html").unlink()
    real = generator.check.plan_warnings

    def failing(profile):  # type: ignore[no-untyped-def]
        if profile.preferred_name == "Zed":
            raise OverflowError("date value out of range")
        return real(profile)

    monkeypatch.setattr(generator.check, "plan_warnings", failing)
    out = tmp_path / "out"
    _one_failed_the_rest_built(build(find_project(root), [], options(out)), out, "OverflowError: date value out of range")


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is planted by monkeypatching the parent")
def test_a_worker_that_dies_fails_only_its_own_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import generator.build.handbooks

    root, _ = _clinic_with_a_trap(tmp_path)
    (root / "templates" / "_cover.html").unlink()
    real = generator.build.handbooks.render_files

    def crashing(profile, *args, **kwargs):  # type: ignore[no-untyped-def]
        if profile.preferred_name == "Zed":
            os._exit(70)  # a worker killed mid-layout (a native crash, the kernel's OOM killer)
        return real(profile, *args, **kwargs)

    monkeypatch.setattr(generator.build.handbooks, "render_files", crashing)
    monkeypatch.setattr(generator.build.handbooks, "write_pdf", lambda *a, **k: type("Laid", (), {"pdf": b"%PDF", "notes": ()})())
    out = tmp_path / "out"
    report = build(find_project(root), [], BuildOptions(output_dir=out, today=TODAY, jobs=2))
    _one_failed_the_rest_built(report, out, "stopped")


def test_a_broken_interface_translation_is_a_warning_of_the_build_not_silent_english(tmp_path: Path) -> None:
    """From the adversarial review of issue 12: a refused interface translation fell back to English
    without a word. The build still succeeds and shows the English text, but says which line and why."""
    root = copy_project(tmp_path)
    po = root / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    broken = 'msgstr "Fecha de preparación: %(date)99999999s."'
    po.write_text(text.replace('msgstr "Fecha de preparación: %(date)s."', broken), encoding="utf-8")
    entry = po.read_text(encoding="utf-8").splitlines().index(broken)  # the msgid's line, just above
    report = build(find_project(root), [root / "profiles" / "ana-lopez.yaml"],
                   BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}), today=TODAY))
    assert report.exit_code == 0, report.failed
    (outcome,) = report.outcomes
    (warning,) = [w for w in outcome.warnings if "messages.po" in w]
    assert warning.endswith(f"templates/locale/es/LC_MESSAGES/messages.po:{entry}: the translation of 'Prepared on "
                            "%(date)s.' is not used, the English text is shown: the placeholder '%(date)99999999s' "
                            "is not written as in the source (%(date)s): copy it exactly, with no width, precision "
                            "or flag"), warning
    assert "Prepared on" in (tmp_path / "out" / "ana-lopez" / "about-this-handbook.html").read_text(encoding="utf-8")


def test_strict_refuses_a_handbook_whose_interface_translation_is_broken(tmp_path: Path) -> None:
    """`--strict` refuses what would show in English: an untranslated module, and also a broken
    interface translation (left as a warning by a build without it)."""
    root = copy_project(tmp_path)
    po = root / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Fecha de preparación: %(date)s."',
                                                         'msgstr "Fecha de preparación: %(fecha)s."'), encoding="utf-8")
    profiles = [root / "profiles" / "ana-lopez.yaml", root / "profiles" / "jo-hand-injury.yaml"]  # Spanish, English
    report = build(find_project(root), profiles, BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                              today=TODAY, strict=True, jobs=1))
    assert [Path(o.source).name for o in report.failed] == ["ana-lopez.yaml"] and report.exit_code == 2
    error = report.failed[0].error or ""
    assert "--strict: 1 interface translation into español (es) is broken and would be shown in English" in error
    assert "messages.po:" in error and "'Prepared on %(date)s.'" in error, error
    assert not (tmp_path / "out" / "ana-lopez").exists() and (tmp_path / "out" / "jo-hand-injury").is_dir()
