"""Round-trip saving (profile/edit.py): comments, order and untouched lines kept; atomic; inside profiles/."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest
import yaml
from helpers import REPO

from generator.profile.edit import SaveError, plain, profile_file, updated_text, write_atomically
from generator.profile.load import parse_profile

EXAMPLE = (REPO.parent / "shared" / "profile-example.yaml")


@pytest.fixture()
def example() -> str:
    if not EXAMPLE.is_file():
        pytest.skip(f"{EXAMPLE} (the format's contract) is not beside the repository")
    return EXAMPLE.read_text(encoding="utf-8")


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.mark.parametrize("path", sorted((REPO / "profiles").glob("*.yaml")), ids=lambda p: p.stem)
def test_unchanged_values_give_the_same_bytes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert updated_text(text, plain(yaml.safe_load(text))) == text


def test_one_goal_changed_changes_one_line_and_keeps_its_comment(example: str) -> None:
    data = plain(yaml.safe_load(example))
    data["goals"][0] = "Hold a cup of tea with my left hand"
    after = updated_text(example, data)
    removed, added = _changed_lines(example, after)
    assert removed == ["  - Hold a cup of coffee with my left hand"]
    assert added == ["  - Hold a cup of tea with my left hand"]
    assert "goals:                          # the person's own words, most important first" in after
    parse_profile(after, "profiles/ana-lopez.yaml")


def test_a_new_key_goes_where_the_format_puts_it(example: str) -> None:
    data = plain(yaml.safe_load(example))
    data["clinic"]["country"] = "US"
    after = updated_text(example, data)
    lines = after.splitlines()
    review = lines.index("  next_review: 2026-12-14       # a date; shown on the cover and in the plan")
    assert lines[review + 1] == "  country: US"
    assert lines[review + 2] == ""  # the blank line that set the section apart stays below it
    assert _changed_lines(example, after) == ([], ["  country: US"])


def test_removed_items_and_sections_leave_the_rest_as_it_was(example: str) -> None:
    data = plain(yaml.safe_load(example))
    del data["pacing"]["activities"][0]  # Walking, with its comments
    del data["caregivers"]
    data["topics"] = None
    after = updated_text(example, data)
    removed, added = _changed_lines(example, after)
    assert added == []
    assert "    - name: Walking" in removed and "caregivers:" in removed and "topics:                         " \
        "# optional: change what the selection rules chose" in removed
    assert "    - name: Typing" in after
    read = plain(yaml.safe_load(after))
    assert "caregivers" not in read and "topics" not in read
    assert [a["name"] for a in read["pacing"]["activities"]] == ["Typing"]


def test_key_order_and_every_comment_of_untouched_sections_kept(example: str) -> None:
    data = plain(yaml.safe_load(example))
    data["sleep"]["bedtime"] = "22:00"
    after = updated_text(example, data)
    assert list(yaml.safe_load(after)) == list(yaml.safe_load(example))
    comments = [line for line in example.splitlines() if "#" in line and "bedtime" not in line]
    assert all(line in after.splitlines() for line in comments)


@pytest.mark.parametrize("value", ["23:30", "yes", "no", "0123", "1e3", "null", "~", "- a", "key: value", "#x", " x"])
def test_text_pyyaml_would_misread_is_quoted(example: str, value: str) -> None:
    data = plain(yaml.safe_load(example))
    data["preferred_name"] = value
    data["sleep"]["bedtime"] = value
    read = yaml.safe_load(updated_text(example, data))
    assert read["preferred_name"] == value and read["sleep"]["bedtime"] == value


def test_quoted_values_keep_their_quotes(example: str) -> None:
    data = plain(yaml.safe_load(example))
    data["clinic"]["phone"] = "+1 555 0199"
    assert '  phone: "+1 555 0199"' in updated_text(example, data).splitlines()


def test_unknown_keys_are_left_for_the_check_to_report() -> None:
    text = "handbook: 1\nid: a\npreferred_name: A\nlanguage: en\nhobbies: chess  # not in the format\n"
    after = updated_text(text, {"handbook": 1, "id": "a", "preferred_name": "B", "language": "en"})
    assert "hobbies: chess  # not in the format" in after and "preferred_name: B" in after


def test_not_yaml_is_refused() -> None:
    with pytest.raises(SaveError):
        updated_text("handbook: [1\n", {"handbook": 1})


# -- files ---------------------------------------------------------------------------------------


def test_write_atomically_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomically(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("old\n")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SaveError, match="No space left on device"):
        write_atomically(target, "new\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_a_new_file_is_owner_only_and_never_replaces_one(tmp_path: Path) -> None:
    target = tmp_path / "b.yaml"
    write_atomically(target, "first\n", new=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(SaveError, match="already exists"):
        write_atomically(target, "second\n", new=True)
    assert target.read_text() == "first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.yaml"]


@pytest.mark.parametrize("profile_id", ["../etc/passwd", "a/b", "..", "", "A", "x.yaml", "%2e%2e"])
def test_ids_with_path_characters_are_refused(tmp_path: Path, profile_id: str) -> None:
    with pytest.raises(SaveError):
        profile_file(tmp_path, profile_id)


def test_links_leading_out_of_profiles_are_refused(tmp_path: Path) -> None:
    profiles, outside = tmp_path / "profiles", tmp_path / "elsewhere"
    profiles.mkdir()
    outside.mkdir()
    (outside / "x.yaml").write_text("handbook: 1\n")
    (profiles / "x.yaml").symlink_to(outside / "x.yaml")
    with pytest.raises(SaveError, match="outside"):
        profile_file(profiles, "x")
    (profiles / "y.yaml").write_text("handbook: 1\n")
    assert profile_file(profiles, "y") == (profiles / "y.yaml").resolve()
    assert profile_file(profiles, "z") == (profiles / "z.yaml").resolve()  # a new one: not there yet


def test_a_save_refusal_can_be_said_in_the_studios_language(tmp_path: Path) -> None:
    target = tmp_path / "b.yaml"
    write_atomically(target, "first\n", new=True)
    with pytest.raises(SaveError) as refused:
        write_atomically(target, "second\n", new=True)
    error = refused.value
    assert error.template == "%(path)s already exists: choose another id"  # the msgid of messages.pot
    spanish = {"%(path)s already exists: choose another id": "%(path)s ya existe: elija otro identificador"}
    said = error.said_in(lambda text: spanish.get(text, text))
    assert said == f"{error.values['path']} ya existe: elija otro identificador"
    assert error.said_in(lambda text: text) == error.message


@pytest.mark.parametrize(("before", "after"), [
    ("\ufeffhandbook: 1\r\nid: kim\r\npreferred_name: Kim\r\nlanguage: en\r\n",
     "\ufeffhandbook: 1\r\nid: kim\r\npreferred_name: Kimberly\r\nlanguage: en\r\n"),
    ("\ufeffpreferred_name: Kim\nhandbook: 1\nid: kim\nlanguage: en\n",
     "\ufeffpreferred_name: Kimberly\nhandbook: 1\nid: kim\nlanguage: en\n"),
], ids=["crlf-and-bom", "bom-on-the-changed-line"])
def test_a_save_keeps_the_files_line_breaks_and_byte_order_mark(before: str, after: str) -> None:
    """A Windows editor's file came back with one LF line among CRLF ones, and without its BOM."""
    assert updated_text(before, {"handbook": 1, "id": "kim", "preferred_name": "Kimberly", "language": "en"}) == after
