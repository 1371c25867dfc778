"""Skipping handbooks whose inputs did not change, and rebuilding when any did."""

from __future__ import annotations

from pathlib import Path

from helpers import MINIMAL_PROFILE, TODAY, copy_project, write_profile

from generator.build import BuildOptions, build
from generator.output.cache import DIGEST_FILE
from generator.project import find_project

HTML = frozenset({"html"})


def run(root: Path, out: Path, **options):
    report = build(find_project(root), [root / "profiles" / "kim.yaml"],
                   BuildOptions(output_dir=out, formats=options.pop("formats", HTML), today=options.pop("today", TODAY), **options))
    assert report.exit_code == 0, report.failed
    return report.outcomes[0]


def setup(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_project(tmp_path)
    for extra in (root / "profiles").glob("*.yaml"):
        extra.unlink()
    write_profile(root / "profiles", "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    return root, tmp_path / "out"


def test_an_unchanged_handbook_is_left_alone(tmp_path: Path) -> None:
    root, out = setup(tmp_path)
    assert not run(root, out).up_to_date
    index = out / "kim" / "index.html"
    before = index.stat().st_mtime_ns
    again = run(root, out)
    assert again.up_to_date and index.stat().st_mtime_ns == before
    assert (out / "kim" / DIGEST_FILE).is_file()


def test_any_changed_input_rebuilds(tmp_path: Path) -> None:
    root, out = setup(tmp_path)
    run(root, out)
    profile = root / "profiles" / "kim.yaml"
    profile.write_text(profile.read_text().replace("Kim", "Kimberly"))
    assert not run(root, out).up_to_date  # the profile
    module = root / "content" / "sleep" / "sleep.md"
    module.write_text(module.read_text() + "\n")
    assert not run(root, out).up_to_date  # the library
    css = root / "templates" / "assets" / "handbook.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert not run(root, out).up_to_date  # the templates
    assert not run(root, out, today=TODAY.replace(day=24)).up_to_date  # the build date
    assert not run(root, out, force=True).up_to_date  # --force
    assert run(root, out).up_to_date  # nothing changed since the forced build


def test_a_deleted_output_file_rebuilds(tmp_path: Path) -> None:
    root, out = setup(tmp_path)
    run(root, out)
    (out / "kim" / "index.html").unlink()
    assert not run(root, out).up_to_date
    assert (out / "kim" / "index.html").is_file()


def test_a_code_change_in_a_nested_module_invalidates_the_cache(tmp_path: Path, monkeypatch) -> None:
    """The package has subfolders: a change in any of them must rebuild every handbook."""
    import generator.output.cache as cache

    code = tmp_path / "code"
    (code / "stage").mkdir(parents=True)
    (code / "top.py").write_text("A = 1\n")
    nested = code / "stage" / "inner.py"
    nested.write_text("B = 1\n")
    monkeypatch.setattr(cache, "PACKAGE_DIR", code)
    root = copy_project(tmp_path)
    before = cache.shared_digest(find_project(root))
    nested.write_text("B = 2\n")
    assert cache.shared_digest(find_project(root)) != before
