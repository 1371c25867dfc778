"""How the printed pages read: footers, blank pages, what stays together, large print everywhere.

Read back from the built PDFs (each sample once per session, and the caregiver sample in
large print on Letter paper, the hidden case that is hardest to lay out).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfutil import char_sizes, page_texts

SAMPLES = ("ana-lopez", "jo-hand-injury", "layla-haddad", "maria-diabetic-feet", "sam-after-surgery")
BLANK = {"en": "This page is left blank on purpose.", "es": "Esta página se ha dejado en blanco a propósito."}


def _body_lines(text: str) -> list[str]:
    """A page's lines without its footer (the last line: title and "Page X of Y")."""
    return [line for line in text.strip().splitlines()[:-1] if line.strip()]


def test_the_footer_says_page_x_of_y(samples_out: Path) -> None:
    texts = page_texts(samples_out / "jo-hand-injury" / "handbook.pdf")
    total = len(texts)
    for number, text in enumerate(texts[2:], start=3):
        if "left blank" in text:
            continue
        assert f"Page {number} of {total}" in text, f"page {number}: {text.strip().splitlines()[-1]!r}"


def test_the_footer_is_translated(samples_out: Path) -> None:
    texts = page_texts(samples_out / "ana-lopez" / "handbook.pdf")
    assert re.search(rf"Página 3 de {len(texts)}", texts[2])


def test_duplex_blank_pages_say_they_are_blank_on_purpose(samples_out: Path) -> None:
    texts = page_texts(samples_out / "maria-diabetic-feet" / "handbook.pdf")
    blanks = [text.strip() for text in texts if "blank" in text]
    assert blanks, "a duplex handbook has blank pages before right-hand chapters"
    assert all(text == BLANK["en"] for text in blanks)
    assert not any(len(text.strip()) == 0 for text in texts), "no page is silently empty"


@pytest.mark.parametrize("name", SAMPLES)
def test_no_words_are_left_alone_at_the_foot_of_a_page(samples_out: Path, name: str) -> None:
    """A page of a few lines is only ever the end of a chapter or module, never an intro,
    a heading or one list item separated from what it belongs to."""
    texts = page_texts(samples_out / name / "handbook.pdf")
    _assert_nothing_stranded(name, texts)


def test_nothing_is_stranded_in_large_print_on_letter(large_print_letter_caregiver) -> None:
    _assert_nothing_stranded("large print, Letter", page_texts(large_print_letter_caregiver[0]))


def _assert_nothing_stranded(name: str, texts: list[str]) -> None:
    starts_something = re.compile(r"^(\d+\s+\S|✔|This page is left blank)")
    for index, text in enumerate(texts[1:-1], start=1):
        lines = _body_lines(text)
        if "left blank" in text or not lines or len(lines) >= 6:
            continue
        following = _body_lines(texts[index + 1])
        next_starts_section = not following or bool(starts_something.match(following[0])) or "left blank" in texts[index + 1]
        closes_a_part = lines[0].startswith("✔") or next_starts_section  # a chapter's closing box or end
        assert closes_a_part, f"{name}, page {index + 1} holds only {lines!r}, away from what follows"


def test_pacing_tables_and_task_ladders_are_never_split(samples_out: Path, large_print_letter_caregiver) -> None:
    """Read from the tagged structure: every row of each table is on the same page."""
    import pikepdf

    pdfs = [samples_out / name / "handbook.pdf" for name in SAMPLES] + [large_print_letter_caregiver[0]]
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
            tables = list(_tables(pdf.Root.StructTreeRoot.K))
            assert tables
            for table in tables:
                rows = _rows(table)
                on = sorted({pages[row.Pg.objgen] + 1 for row in rows if "/Pg" in row})
                assert len(on) <= 1, f"{path.parent.name}: a table of {len(rows)} rows spans pages {on}"


def _tables(node):  # noqa: ANN001, ANN202
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _tables(kid)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.S == pikepdf.Name.Table:
            yield node
        elif "/K" in node:
            yield from _tables(node.K)


def _rows(table) -> list:  # noqa: ANN001
    import pikepdf

    found = []

    def walk(node) -> None:  # noqa: ANN001
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == pikepdf.Name.TR:
                found.append(node)
            elif "/K" in node:
                walk(node.K)

    walk(table.K)
    return found


@pytest.mark.parametrize("which", ["maria-diabetic-feet", "letter-caregiver"])
def test_large_print_is_large_everywhere(samples_out: Path, large_print_letter_caregiver, which: str) -> None:
    pdf = large_print_letter_caregiver[0] if which == "letter-caregiver" else samples_out / which / "handbook.pdf"
    sizes = char_sizes(pdf)
    large = sum(1 for _page, size in sizes if size >= 15.5)
    assert large / len(sizes) >= 0.85, f"only {large / len(sizes):.0%} of characters are 15.5 pt or more"
    small = sorted({(page + 1, size) for page, size in sizes if size < 12})
    assert not small, f"characters under 12 pt (page, size): {small[:10]}"


def test_the_large_print_flare_card_is_two_cards_at_full_size(samples_out: Path) -> None:
    """Both cards on one side of the sheet (cutting one out never cuts into the other), each with
    its own cut line, and nothing on them smaller than 14 pt."""
    pdf = samples_out / "maria-diabetic-feet" / "handbook.pdf"
    texts = page_texts(pdf)
    pages = [index for index, text in enumerate(texts) if "My flare-up plan" in text]
    assert len(pages) == 1
    card_page = texts[pages[0]]
    assert "Crisis line" in card_page and "call 999 now" in card_page  # the second card, same page
    assert card_page.count("Cut along the dashed line") == 2
    assert min(size for page, size in char_sizes(pdf) if page == pages[0]) >= 14


def test_a_pacing_activity_keeps_its_name_facts_and_chart_on_one_page(samples_out: Path,
                                                                      large_print_letter_caregiver) -> None:
    """print.css keeps `.activity-head` whole: read from the tags, the heading, its facts and its
    chart (a Div whose first element is the H3 and that holds a Figure) all sit on one page."""
    import pikepdf

    pdfs = [samples_out / name / "handbook.pdf" for name in SAMPLES] + [large_print_letter_caregiver[0]]
    heads_seen = 0
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
            for head in _activity_heads(pdf.Root.StructTreeRoot):
                heads_seen += 1
                on = sorted({pages[node.Pg.objgen] + 1 for node in _descendants(head) if "/Pg" in node})
                assert len(on) == 1, f"{path.parent.name}: a pacing activity's name and chart span pages {on}"
    assert heads_seen >= 4, "every sample with a pacing plan shows each activity's name and chart"


def _struct_kids(node) -> list:  # noqa: ANN001
    import pikepdf

    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _descendants(node) -> list:  # noqa: ANN001
    found = [node]
    for kid in _struct_kids(node):
        found += _descendants(kid)
    return found


def _activity_heads(node) -> list:  # noqa: ANN001
    """Divs that open with an H3 and hold a chart: the `.activity-head` of templates/plans/pacing.html."""
    import pikepdf

    heads = []
    for kid in _struct_kids(node):
        parts = _struct_kids(kid)
        if (kid.S == pikepdf.Name.Div and parts and parts[0].S == pikepdf.Name.H3
                and any(inner.S == pikepdf.Name.Figure for part in parts[1:] for inner in _descendants(part))):
            heads.append(kid)
        heads += _activity_heads(kid)
    return heads


def test_an_activity_head_moved_down_a_page_step_by_step_never_splits(samples_out: Path) -> None:
    """The samples may happen to place every activity well; here one activity's head is laid out
    after 0 to 39 lines of filler, so some of those positions fall at a page foot. Without
    print.css's rules for it (`.activity-head` unbroken, no break after `.plan-facts`), heads 16
    to 23 split, and the tags then hold fewer whole heads than were laid out."""
    from generator.output.pdf import write_pdf
    from generator.project import find_project

    print_html = (samples_out / "jo-hand-injury" / "print.html").read_text(encoding="utf-8")
    start = print_html.index('<div class="activity-head">')
    head = print_html[start:print_html.index("</div>", start) + len("</div>")]
    body = re.search(r"<body[^>]*>", print_html)
    assert body and head.count("<div") == 1
    steps = "".join(f'<section style="break-before: page">{"<p>Filler line.</p>" * lines}{head}</section>'
                    for lines in range(40))
    page = print_html[:body.end()] + steps + "</body></html>"
    project = find_project()
    pdf_path = samples_out.parent / "activity-head-steps.pdf"
    pdf_path.write_bytes(write_pdf(page, samples_out / "jo-hand-injury", (samples_out, project.templates_dir)).pdf)
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        pages = {p.objgen: number for number, p in enumerate(pdf.pages)}
        heads = _activity_heads(pdf.Root.StructTreeRoot)
        assert len(heads) == 40
        for lines, head_node in enumerate(heads):
            on = sorted({pages[n.Pg.objgen] + 1 for n in _descendants(head_node) if "/Pg" in n})
            assert len(on) == 1, f"after {lines} filler lines the activity's name and chart span pages {on}"
