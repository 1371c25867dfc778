"""The printed handbook, read back from the PDF the samples produced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfutil import font_names, outline_titles, page_size, page_texts, pdf_text
from pypdf import PdfReader

from generator.output.pdf import _fetcher, write_pdf


def test_cover_names_reader_clinic_clinician_and_review(samples_out: Path) -> None:
    first_page = page_texts(samples_out / "jo-hand-injury" / "handbook.pdf")[0]
    assert "Jo's handbook" in first_page
    assert "Northside Hand Therapy" in first_page
    assert "Priya Shah, OT" in first_page
    assert "December 21, 2026" in first_page  # next_review, in the reader's locale


def test_contents_page_lists_chapters_with_page_numbers(samples_out: Path) -> None:
    pdf = samples_out / "jo-hand-injury" / "handbook.pdf"
    texts = page_texts(pdf)
    contents = texts[1]
    assert "Contents" in contents
    # Every chapter line ends in the page number where the chapter really starts.
    for title, number in re.findall(r"^(.+?)\s*(?:\. ?)+\s*(\d+)$", contents, re.M):
        title = title.strip(" .")
        assert title in texts[int(number) - 1], f"{title!r} is not on page {number}"
    assert len(re.findall(r"\d+$", contents, re.M)) >= 8


def test_bookmarks_are_the_chapters_with_their_modules(samples_out: Path) -> None:
    pdf = samples_out / "jo-hand-injury" / "handbook.pdf"
    outline = outline_titles(pdf)
    chapters = [title for depth, title in outline if depth == 0]
    assert any("When to get help fast" in t for t in chapters)
    assert any("Pacing" in t for t in chapters)
    assert any(depth == 1 for depth, _ in outline), "modules are nested under chapters"


def test_running_footer_with_page_numbers(samples_out: Path) -> None:
    texts = page_texts(samples_out / "jo-hand-injury" / "handbook.pdf")
    for number, text in enumerate(texts[2:6], start=3):
        assert "Jo's handbook" in text
        assert re.search(rf"Page {number} of {len(texts)}\s*$", text.strip()), f"page {number} has no page number"


def test_pacing_worked_example_comes_out_exactly(samples_out: Path) -> None:
    # The example profile is in Spanish: find the walking plan by its recent days, then read
    # the eight week rows ("1 7 dic – 13 dic 9 minutos al día") whatever the language.
    text = pdf_text(samples_out / "ana-lopez" / "handbook.pdf")
    walking = text[text.index("12, 15, 9, 14 y 10"):]  # recent days, as a Spanish list
    rows = re.findall(r"^(\d+) .+? (\d+)[^\d\n]+$", walking, re.M)[:8]
    assert [int(week) for week, _ in rows] == list(range(1, 9))
    assert [int(target) for _, target in rows] == [9, 10, 11, 12, 13, 14, 15, 17]
    assert "Su nivel de inicio 9 minutos al día" in walking  # baseline, in the reader's language, with no sum to follow


def test_paper_sizes_follow_the_profile(samples_out: Path) -> None:
    assert page_size(samples_out / "jo-hand-injury" / "handbook.pdf") == pytest.approx((612, 792), abs=0.5)
    assert page_size(samples_out / "maria-diabetic-feet" / "handbook.pdf") == pytest.approx((595.3, 841.9), abs=0.5)


def test_the_hyperlegible_font_is_embedded(samples_out: Path) -> None:
    assert any("Atkinson-Hyperlegible" in name for name in font_names(samples_out / "sam-after-surgery" / "handbook.pdf"))


def test_same_inputs_give_the_same_bytes(project, tmp_path: Path) -> None:
    html = "<html><head><title>t</title></head><body><h1>Same</h1></body></html>"
    assert write_pdf(html, project.templates_dir, [project.root]).pdf == write_pdf(html, project.templates_dir, [project.root]).pdf


def test_pdf_reads_no_network_and_no_file_outside_the_project(project, tmp_path: Path) -> None:
    fetch = _fetcher([project.root]).fetch
    with pytest.raises(ValueError, match="blocked"):
        fetch("http://example.org/x.css")
    with pytest.raises(ValueError, match="outside the project"):
        fetch("file:///etc/passwd")


def test_the_pdf_step_reads_no_profile_and_no_built_handbook(project) -> None:
    """Only templates and content: never another patient's profile or output (issue 12)."""
    fetch = _fetcher([project.templates_dir, project.content_dir], project.templates_dir).fetch
    for other in (project.root / "profiles" / "jo-hand-injury.yaml", project.root / "output" / "x" / "handbook.pdf",
                  project.root / "pyproject.toml"):
        with pytest.raises(ValueError, match="outside the project's templates and content"):
            fetch(other.resolve().as_uri())
    assert fetch((project.templates_dir / "assets" / "print.css").resolve().as_uri()).status in (None, 200)
    inside = (project.templates_dir / "assets" / "handbook.css").resolve().as_uri()
    assert fetch(inside).status in (None, 200)


def test_an_outside_image_is_not_embedded(project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>SECRET</text></svg>')
    html = f'<html><body><p>before</p><img src="{secret.as_uri()}"><p>after</p></body></html>'
    pdf_path = tmp_path / "x.pdf"
    pdf_path.write_bytes(write_pdf(html, project.templates_dir, [project.root]).pdf)
    assert "SECRET" not in pdf_text(pdf_path)
    assert len(PdfReader(pdf_path).pages) == 1


def _body_size(pdf: Path) -> float:
    """The most common glyph size over the pages of a chapter: the body text."""
    from collections import Counter

    from pdfutil import font_sizes

    sizes: Counter[float] = Counter()
    for index in range(3, 8):
        sizes.update(font_sizes(pdf, index))
    return sizes.most_common(1)[0][0]


def test_large_print_gives_larger_glyphs(samples_out: Path) -> None:
    large = _body_size(samples_out / "maria-diabetic-feet" / "handbook.pdf")
    normal = _body_size(samples_out / "jo-hand-injury" / "handbook.pdf")
    assert large >= 16
    assert normal < 14


def test_duplex_starts_chapters_on_right_hand_pages(samples_out: Path) -> None:
    pdf = samples_out / "maria-diabetic-feet" / "handbook.pdf"
    reader = PdfReader(pdf)
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    assert starts and all(index % 2 == 0 for index in starts), "chapters start on odd (right-hand) page numbers"


def test_a_profile_without_optional_sections_still_makes_a_sensible_handbook(minimal_out: Path) -> None:
    pdf = minimal_out / "handbook.pdf"
    text = pdf_text(pdf)
    assert "Kim's handbook" in text
    assert "When to get help fast" in text and "Understanding" in text
    for absent in ("Your baseline", "Texture", "Start winding down", "Goal:"):
        assert absent not in text, f"{absent!r} shown without its profile section"
    assert len(PdfReader(pdf).pages) >= 8
