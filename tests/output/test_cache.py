"""Skipping handbooks whose inputs did not change, and rebuilding when any did."""

from __future__ import annotations

from pathlib import Path

from helpers import MINIMAL_PROFILE, TODAY, copy_project, write_profile

from generator.build import BuildOptions, build
from generator.content.select import Outline
from generator.output.cache import DIGEST_FILE
from generator.profile.model import Profile
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
    _, outline = outlines(root)["kim"]
    module = next((root / "content").glob(f"*/{outline.modules[0].id}.md"))
    module.write_text(module.read_text() + "\n")
    assert not run(root, out).up_to_date  # a module of its outline
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


# --- per handbook, by content (issue 12): a change rebuilds only the handbooks made from it ---


def build_samples(root: Path, out: Path) -> dict[str, bool]:
    """Build every sample profile (HTML only); which were rebuilt, by id."""
    report = build(find_project(root), [root / "profiles"], BuildOptions(output_dir=out, formats=HTML, today=TODAY))
    assert report.exit_code == 0, report.failed
    return {o.profile_id or "": not o.up_to_date for o in report.outcomes}


def outlines(root: Path) -> dict[str, tuple[Profile, Outline]]:
    from generator.check import check_profile
    from generator.content.library import load_library

    library = load_library(root / "content")
    checked = [check_profile(path, library, TODAY) for path in sorted((root / "profiles").glob("*.yaml"))]
    return {profile.id: (profile, outline) for profile, outline in checked}


def test_a_changed_module_rebuilds_only_the_handbooks_that_use_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    out = tmp_path / "out"
    build_samples(root, out)
    selected = outlines(root)
    # a module some handbooks use and others do not
    counts: dict[str, set[str]] = {}
    for pid, (_, outline) in selected.items():
        for module in outline.modules:
            counts.setdefault(module.path, set()).add(pid)
    path, users = next((p, u) for p, u in sorted(counts.items()) if 0 < len(u) < len(selected))
    module = next(m for _, o in selected.values() for m in o.modules if m.path == path)
    file = root / "content" / module.topic / f"{module.id}.md"
    if not file.is_file():
        file = next((root / "content").glob(f"*/{module.id}.md"))
    file.write_text(file.read_text(encoding="utf-8").replace("\n\n", "\n\nOne more word.\n\n", 1), encoding="utf-8")
    rebuilt = build_samples(root, out)
    assert {pid for pid, again in rebuilt.items() if again} == users


def test_a_changed_spanish_translation_rebuilds_only_the_spanish_handbooks(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    out = tmp_path / "out"
    build_samples(root, out)
    spanish = {pid for pid, (profile, _) in outlines(root).items() if profile.language.startswith("es")}
    assert spanish and len(spanish) < len(outlines(root))
    for catalog in (root / "content" / "locale" / "es", root / "templates" / "locale" / "es"):
        po = next(catalog.rglob("*.po"))
        po.write_text(po.read_text(encoding="utf-8") + '\n#. a translator\'s note\n', encoding="utf-8")
        rebuilt = build_samples(root, out)
        assert {pid for pid, again in rebuilt.items() if again} == spanish, po


def test_touching_files_without_changing_them_rebuilds_nothing(tmp_path: Path) -> None:
    import os
    import time

    root = copy_project(tmp_path)
    out = tmp_path / "out"
    build_samples(root, out)
    later = time.time() + 60
    for path in [*root.rglob("*")]:
        if path.is_file():
            os.utime(path, (later, later))
    assert not any(build_samples(root, out).values())


def test_a_changed_shared_input_rebuilds_every_handbook(tmp_path: Path) -> None:
    """The chapter list, the bibliography and the page templates are read by every handbook."""
    root = copy_project(tmp_path)
    out = tmp_path / "out"
    build_samples(root, out)
    for shared in (root / "content" / "sources.yaml", root / "templates" / "layout.html"):
        shared.write_text(shared.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert all(build_samples(root, out).values()), shared


def test_the_digests_do_not_depend_on_where_the_project_lies(tmp_path: Path, monkeypatch) -> None:
    """From the adversarial review of issue 12: two copies of a project gave the same pages but other
    .inputs.sha256 (absolute paths were hashed), so their manifests differed too, and moving a
    project (or a cluster worker's other mount point) rebuilt every handbook."""
    first, first_out = setup(tmp_path / "a")
    second, second_out = setup(tmp_path / "somewhere" / "else")
    (first / "profiles" / "kim.yaml").write_text(  # Spanish: the catalogues' places are hashed too
        (first / "profiles" / "kim.yaml").read_text().replace("language: en", "language: es"))
    (second / "profiles" / "kim.yaml").write_text((first / "profiles" / "kim.yaml").read_text())
    monkeypatch.chdir(first)  # the module paths the digest looks up are shown relative to here
    run(first, first_out)
    monkeypatch.chdir(tmp_path)
    run(second, second_out)
    for name in (DIGEST_FILE, ".handbook.sha256"):
        assert (first_out / "kim" / name).read_bytes() == (second_out / "kim" / name).read_bytes(), name
    moved = tmp_path / "moved"
    second.rename(moved)
    assert run(moved, second_out).up_to_date
