"""The one error family users see, content errors placed in their module, and counted words."""

from __future__ import annotations

from generator.content.blocks import BlockError
from generator.content.conditions import ConditionError
from generator.errors import ContentError, InputError, counted


def test_counts_read_as_words() -> None:
    assert [counted(n, "problem") for n in (0, 1, 2)] == ["0 problems", "1 problem", "2 problems"]
    assert counted(2, "entry", "entries") == "2 entries"


def test_every_content_mistake_is_one_family_placed_in_its_module() -> None:
    for error in (BlockError(3, "':::' closes a block that was never opened"), ConditionError("condition 'x' failed")):
        assert isinstance(error, ContentError)
        placed = error.at("content/sleep/sleep.md", 12, "sleep")
        assert type(placed) is type(error) and placed is not error
        user = placed.as_input_error("profiles/kim.yaml")
        assert isinstance(user, InputError) and user.exit_code == 2
        assert str(user).splitlines() == ["module 'sleep' cannot be used for profiles/kim.yaml",
                                          f"  content/sleep/sleep.md:12: {error.message}"]


def test_a_path_is_shown_as_the_link_the_user_can_fix_not_its_target(tmp_path, monkeypatch) -> None:
    """A broken link templates/assets/x.css -> ../profiles/a.yaml was named templates/profiles/a.yaml."""
    from generator.errors import display_path

    (tmp_path / "templates" / "assets").mkdir(parents=True)
    link = tmp_path / "templates" / "assets" / "x.css"
    link.symlink_to("../profiles/a.yaml")
    monkeypatch.chdir(tmp_path)
    assert display_path(link) == "templates/assets/x.css"
    assert display_path("templates/assets/../assets/x.css") == "templates/assets/x.css"
    assert display_path(tmp_path) == "."
