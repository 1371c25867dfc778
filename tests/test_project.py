"""The project folder: where its files are, and that none of them reaches outside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, copy_project, write_profile

from generator.build import BuildOptions, build
from generator.errors import InputError
from generator.project import find_project


@pytest.fixture()
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside every project: another patient's profile, say."""
    path = tmp_path_factory.mktemp("elsewhere") / "other-patient.yaml"
    path.write_text("preferred_name: Someone Else\n", encoding="utf-8")
    return path


def refused(root: Path) -> str:
    with pytest.raises(InputError) as info:
        find_project(root)
    return str(info.value)


@pytest.mark.parametrize("inside", ["content/pacing/pacing.md", "content/pacing/stolen.md", "content/topics.yaml",
                                    "templates/index.html", "templates/assets/handbook.css",
                                    "templates/assets/stolen.css", "templates/locale/es/LC_MESSAGES/messages.po"])
def test_a_content_or_template_file_linked_out_of_the_project_is_refused(tmp_path: Path, secret: Path,
                                                                        inside: str) -> None:
    root = copy_project(tmp_path)
    link = root / inside
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    message = refused(root)
    assert inside in message and f"outside {inside.split('/')[0]}/" in message
    assert "Someone Else" not in message


def test_a_content_folder_linked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    elsewhere = tmp_path / "elsewhere-content"
    (root / "content").rename(elsewhere)
    (root / "content").symlink_to(elsewhere)
    assert "content" in refused(root) and "outside the project" in refused(root)


def test_a_fifo_or_a_broken_link_in_the_library_is_refused_without_hanging(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    os.mkfifo(root / "templates" / "assets" / "pipe.css")
    (root / "content" / "pacing" / "gone.md").symlink_to(root / "nowhere.md")
    message = refused(root)
    assert "templates/assets/pipe.css" in message and "FIFO" in message
    assert "content/pacing/gone.md" in message and "broken symbolic link" in message


def test_links_that_stay_inside_their_folder_are_followed(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    shared = root / "templates" / "shared-css"
    (root / "templates" / "assets").rename(shared)
    (root / "templates" / "assets").symlink_to(shared)
    (root / "content" / "pacing" / "notes.txt").symlink_to(Path("../pacing/pacing-basics.md"))
    assert find_project(root).templates_dir == root / "templates"


@pytest.mark.parametrize(("link", "target"), [
    ("templates/assets/x.css", "../../profiles/ana-lopez.yaml"),  # the adversarial review of issue 12
    ("templates/assets/y.css", "../../output/jo-hand-injury/index.html"),
    ("content/pacing/z.md", "../../profiles/jo-hand-injury.yaml"),
    ("templates/locale/es/LC_MESSAGES/messages.po", "../../../../content/locale/es/LC_MESSAGES/content.po"),
    ("templates/assets", "../profiles"),
    ("content/pacing/private", "../../profiles"),
])
def test_a_library_file_linked_elsewhere_in_the_project_is_refused(tmp_path: Path, link: str, target: str) -> None:
    """A stylesheet linked to a profile would publish that patient's health data in every handbook."""
    root = copy_project(tmp_path)
    (root / "output" / "jo-hand-injury").mkdir(parents=True)
    (root / "output" / "jo-hand-injury" / "index.html").write_text("<p>Jo</p>", encoding="utf-8")
    path = root / link
    if path.is_dir() and not path.is_symlink():
        path.rename(root / "set-aside")
    path.unlink(missing_ok=True)
    path.symlink_to(Path(target))
    message = refused(root)
    assert link in message and f"outside {link.split('/')[0]}/" in message, message


@pytest.mark.parametrize("folder", ["content", "templates"])
def test_a_library_folder_linked_to_the_profiles_is_refused(tmp_path: Path, folder: str) -> None:
    root = copy_project(tmp_path)
    (root / folder).rename(root / "set-aside")
    (root / folder).symlink_to(Path("profiles"))
    message = refused(root)
    assert folder in message and "among the profiles or the output" in message, message


def test_an_asset_linked_to_a_profile_is_not_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "templates" / "assets" / "x.css").symlink_to(Path("../../profiles/ana-lopez.yaml"))
    with pytest.raises(InputError, match="templates/assets/x.css"):
        build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"],
              BuildOptions(output_dir=root / "output", formats=frozenset({"html"}), today=TODAY))
    assert not (root / "output" / "jo-hand-injury").exists()


def test_a_project_that_keeps_only_profiles_uses_the_defaults(tmp_path: Path) -> None:
    write_profile(tmp_path / "profiles", "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    assert find_project(tmp_path).content_dir.name == "content"


def test_a_profile_linked_out_of_the_project_fails_alone(tmp_path: Path, secret: Path) -> None:
    root = copy_project(tmp_path)
    (root / "profiles" / "aa-stolen.yaml").symlink_to(secret)
    os.mkfifo(root / "profiles" / "ab-pipe.yaml")
    report = build(find_project(root), [], BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                          today=TODAY))
    failed = {Path(o.source).name: o.error or "" for o in report.failed}
    assert set(failed) == {"aa-stolen.yaml", "ab-pipe.yaml"}
    assert "outside the project" in failed["aa-stolen.yaml"] and "Someone Else" not in failed["aa-stolen.yaml"]
    assert "FIFO" in failed["ab-pipe.yaml"]
    assert {"jo-hand-injury", "ana-lopez"} <= {o.profile_id for o in report.built}


@pytest.mark.parametrize("inside", ["templates/assets", "content/pacing", "templates", "profiles", "content"])
def test_an_output_folder_inside_the_library_or_the_profiles_is_refused(tmp_path: Path, inside: str) -> None:
    """From the adversarial review of issue 12: `-o templates/assets` wrote a handbook there, and the
    next build of any patient copied its files into its own assets/."""
    root = copy_project(tmp_path)
    with pytest.raises(InputError, match=f"/{inside.split('/')[0]}: every build reads {inside.split('/')[0]}/"):
        build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"],
              BuildOptions(output_dir=root / inside, formats=frozenset({"html"}), today=TODAY))
    assert not (root / inside / "jo-hand-injury").exists()


@pytest.mark.parametrize("inside", ["content/out", "templates/out"])
def test_an_output_folder_where_the_projects_own_library_would_be_is_refused(tmp_path: Path, inside: str) -> None:
    """A project using the installed library has no content/ yet: `-o content/out` made one, and every
    later build and validate read the handbooks there as a broken library (found by an adversarial review)."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "jo.yaml").write_bytes((REPO / "profiles" / "jo-hand-injury.yaml").read_bytes())
    with pytest.raises(InputError, match=f"every build reads {inside.split('/')[0]}/"):
        build(find_project(tmp_path), [tmp_path / "profiles" / "jo.yaml"],
              BuildOptions(output_dir=tmp_path / inside, formats=frozenset({"html"}), today=TODAY))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles"]


def test_a_profile_named_twice_is_built_once(tmp_path: Path) -> None:
    """`build profiles profiles/jo.yaml` reported jo's id as clashing with itself and exited 2."""
    root = copy_project(tmp_path)
    jo = root / "profiles" / "jo-hand-injury.yaml"
    report = build(find_project(root), [jo, root / "profiles" / ".." / "profiles" / jo.name],
                   BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}), today=TODAY))
    assert [o.profile_id for o in report.built] == ["jo-hand-injury"] and not report.failed


@pytest.mark.parametrize("target", ["/dev/null", "notes.txt"])
def test_an_output_folder_that_is_a_file_is_refused_before_anything_is_built(tmp_path: Path, target: str) -> None:
    """`-o /dev/null` failed handbook by handbook ("Not a directory") with exit 1."""
    root = copy_project(tmp_path)
    output = Path(target) if target.startswith("/") else tmp_path / target
    if not output.exists():
        output.write_text("mine")
    with pytest.raises(InputError, match="is not a folder"):
        build(find_project(root), [root / "profiles" / "jo-hand-injury.yaml"],
              BuildOptions(output_dir=output, formats=frozenset({"html"}), today=TODAY))
    assert output.is_char_device() or output.read_text() == "mine"
