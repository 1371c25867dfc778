"""The bibliography: content/sources.yaml read with file:line problems, and the repository's own entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import BIBLIOGRAPHY, REPO, write_bibliography

from generator.content.library import load_library
from generator.content.sources import load_sources
from generator.errors import InputError

NOTES = REPO.parent / "shared" / "clinical-notes"


def problems(tmp_path: Path, text: str) -> list[str]:
    write_bibliography(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_sources(tmp_path)
    return [str(d) for d in caught.value.diagnostics] or [caught.value.message]


def test_an_entry_is_read_whole(tmp_path: Path) -> None:
    write_bibliography(tmp_path)
    (source,) = load_sources(tmp_path)
    assert (source.key, source.title, source.publisher, source.year, source.note, source.line) == (
        "walking-guide", "Walking with nerve pain", "Example Health Press", 2025, "000_example.txt", 1)


def test_unknown_publisher_and_year_are_written_as_unknown(tmp_path: Path) -> None:
    write_bibliography(tmp_path, BIBLIOGRAPHY.replace("Example Health Press", "unknown").replace("2025", "unknown"))
    (source,) = load_sources(tmp_path)
    assert source.publisher is None and source.year is None


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    text = (BIBLIOGRAPHY.replace("year: 2025", "year: last year")
            + "- key: Bad Key\n  title: Two\n  publisher: P\n  year: 1850\n  note: n.txt\n"
            + "- key: walking-guide\n  title: Three\n  publisher: P\n  year: 2020\n  note: n.txt\n"
            + "- key: four\n  titel: Four\n  publisher: P\n  year: 2020\n  note: n.txt\n")
    found = problems(tmp_path, text)
    assert any("sources.yaml:4:" in p and "[0].year" in p and "whole number" in p for p in found), found
    assert any("sources.yaml:6:" in p and "[1].key" in p and "'Bad Key' is not valid" in p for p in found), found
    assert any("sources.yaml:9:" in p and "[1].year" in p and "out of range" in p for p in found), found
    assert any("sources.yaml:11:" in p and "listed twice (first at line 1)" in p for p in found), found
    assert any("sources.yaml:17:" in p and "did you mean 'title'" in p for p in found), found
    assert any("[3].title" in p and "missing" in p for p in found), found


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    found = problems(tmp_path, BIBLIOGRAPHY.replace("  note: 000_example.txt\n", ""))
    assert any("[0].note" in p and "required key 'note' is missing" in p for p in found), found


def test_a_missing_file_says_what_it_is_for(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_sources(tmp_path)
    assert "has no bibliography" in caught.value.message
    assert [d.message for d in caught.value.diagnostics] == [
        "the file is missing: list there the sources the modules cite (key, title, publisher, year, note; "
        "see docs/content-format.md)"]


# ---------------------------------------------------------------- the repository's bibliography


def test_the_repository_cites_each_clinical_note_once_and_uses_every_entry() -> None:
    library = load_library(REPO / "content")
    notes = [s.note for s in library.sources]
    assert len(notes) == len(set(notes)) == 5
    assert set(library.cited_by(library.modules)) == set(library.sources), "an entry no module cites"
    for module in library.modules:
        assert module.sources, module.id
        assert module.reviewed_by.strip(), module.id


@pytest.mark.skipif(not NOTES.is_dir(), reason="the clinical notes are not beside the repository")
def test_each_entry_matches_the_note_it_came_from() -> None:
    for source in load_sources(REPO / "content"):
        note = (NOTES / source.note).read_text(encoding="utf-8")
        if not source.title.startswith("["):  # a title in brackets describes a note that has none
            assert source.title.lower() in note.lower(), source.key
        if source.year is not None:
            assert re.search(rf"\b{source.year}\b", note[:2000]), source.key
        if source.publisher is not None:
            assert source.publisher in note, source.key
