"""The translators' tools against the repository: the committed catalogues hold what the code and content say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from helpers import REPO

from generator.content.library import load_library
from generator.i18n.catalogs import read_catalog
from generator.i18n.tools import extract_content, extract_ui
from generator.project import find_project


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(str(m.id), m.context) for m in catalog if m.id}


@pytest.fixture(scope="module")
def fresh() -> dict[str, Catalog]:
    project = find_project(REPO)
    return {"templates/locale/messages.pot": extract_ui(project),
            "content/locale/content.pot": extract_content(load_library(project.content_dir))}


@pytest.mark.parametrize("pot", ["templates/locale/messages.pot", "content/locale/content.pot"])
def test_the_committed_templates_are_up_to_date(pot: str, fresh: dict[str, Catalog]) -> None:
    committed, now = _keys(read_catalog(REPO / pot)), _keys(fresh[pot])
    assert committed == now, (f"{pot} is stale: run `handbook i18n extract && handbook i18n update`; "
                              f"new: {sorted(now - committed)[:5]}, gone: {sorted(committed - now)[:5]}")


@pytest.mark.parametrize("po", sorted(str(p.relative_to(REPO)) for p in REPO.glob("*/locale/*/LC_MESSAGES/*.po")))
def test_every_catalogue_has_every_message_of_its_template(po: str, fresh: dict[str, Catalog]) -> None:
    pot = "templates/locale/messages.pot" if po.startswith("templates/") else "content/locale/content.pot"
    missing = _keys(fresh[pot]) - _keys(read_catalog(REPO / po))
    assert not missing, f"{po} lacks {len(missing)} messages: run `handbook i18n update`; e.g. {sorted(missing)[:3]}"


# ---------------------------------------------------------------- never into the installed package


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def bundled_catalogues() -> Iterator[None]:
    """The defaults' catalogues (this checkout's, as a wheel's generator/_bundled/) must not change."""
    before = {name: _snapshot(REPO / name / "locale") for name in ("templates", "content")}
    yield
    assert {name: _snapshot(REPO / name / "locale") for name in ("templates", "content")} == before


def _cli(root: Path, *args: str):
    from click.testing import CliRunner

    from generator.cli.main import main

    return CliRunner().invoke(main, ["--project", str(root), "i18n", *args])


def test_update_in_a_project_without_a_library_of_its_own_refuses_and_writes_nothing(
        tmp_path: Path, bundled_catalogues: None) -> None:
    (tmp_path / "profiles").mkdir()
    result = _cli(tmp_path, "update", "es")
    assert result.exit_code == 2, result.output
    assert "has no content/ folder of its own" in result.output and "cp -r" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles"]


def test_compile_in_a_project_without_catalogues_writes_nothing_into_the_defaults(
        tmp_path: Path, bundled_catalogues: None) -> None:
    (tmp_path / "profiles").mkdir()
    result = _cli(tmp_path, "compile", "es")
    assert result.exit_code == 2, result.output
    assert "no catalogues for es" in result.output
    assert not list(REPO.glob("templates/locale/*/LC_MESSAGES/*.mo"))


def test_a_project_with_its_own_library_gets_its_own_interface_catalogue_seeded_from_the_installed_one(
        tmp_path: Path, bundled_catalogues: None) -> None:
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "content")
    result = _cli(tmp_path, "update", "es")
    assert result.exit_code == 0, result.output
    own = tmp_path / "templates/locale/es/LC_MESSAGES/messages.po"
    installed = read_catalog(REPO / "templates/locale/es/LC_MESSAGES/messages.po")
    assert read_catalog(own).get("Contents").string == installed.get("Contents").string  # translations kept
    assert (tmp_path / "content/locale/es/LC_MESSAGES/content.po").is_file()
    result = _cli(tmp_path, "compile", "es")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "templates/locale/es/LC_MESSAGES/messages.mo").is_file()


@pytest.mark.parametrize("linked", ["templates", "templates and content"])
def test_templates_linked_to_the_defaults_are_never_written_through(
        tmp_path: Path, bundled_catalogues: None, linked: str) -> None:
    """A project's templates/ may be a link to handbook's own: extract, update and compile wrote the
    interface catalogues through it, into the installed defaults (found by an adversarial review)."""
    import shutil

    from generator.project import BUNDLED_FOLDERS, BUNDLED_TEMPLATES

    (tmp_path / "profiles").mkdir()
    (tmp_path / "templates").symlink_to(BUNDLED_TEMPLATES)
    if linked == "templates":
        shutil.copytree(REPO / "content", tmp_path / "content")
    else:
        (tmp_path / "content").symlink_to(BUNDLED_FOLDERS[0])
    for command in (["extract"], ["update", "es"], ["compile", "es"]):
        result = _cli(tmp_path, *command)
        assert "Traceback" not in result.output, result.output
        if command == ["compile", "es"]:  # the project's own catalogues only, if it has any
            assert ("content.mo" in result.output) == (linked == "templates"), result.output
        else:
            assert result.exit_code == 2 and "outside the project" in result.output, (command, result.output)
    assert not list(Path(BUNDLED_TEMPLATES).glob("locale/*/LC_MESSAGES/*.mo"))


def test_a_path_inside_the_package_is_never_a_place_to_write() -> None:
    from generator.i18n.catalogs import UI_DOMAIN, own_path
    from generator.project import PACKAGE_DIR, Project

    project = Project(REPO, REPO / "content", PACKAGE_DIR / "_bundled" / "templates", REPO / "profiles", REPO / "output")
    path = PACKAGE_DIR / "_bundled/templates/locale/es/LC_MESSAGES/messages.po"
    assert own_path(project, UI_DOMAIN, path) == REPO / "templates/locale/es/LC_MESSAGES/messages.po"


def test_the_studio_forms_help_texts_and_words_are_extracted_for_translators(fresh: dict[str, Catalog]) -> None:
    catalog = fresh["templates/locale/messages.pot"]
    helped = catalog.get("How the handbook addresses the reader.")
    assert helped is not None and helped.locations[0][0] == "generator/profile/schema.py"
    assert any("“Preferred name”" in comment for comment in helped.auto_comments)
    percent = catalog.get("Baseline = this %% of the mean of recent.")
    assert percent is not None and "python-format" in percent.flags
    word = catalog.get("pins and needles")
    assert word is not None and any("Symptoms" in comment for comment in word.auto_comments)
    refusal = catalog.get("%(path)s already exists: choose another id")  # a save refusal, N_ in profile/edit.py
    assert refusal is not None and refusal.locations[0][0] == "generator/profile/edit.py"
