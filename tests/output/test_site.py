"""The website and print.html: structure, navigation, escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.rels: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.html_attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
            if "rel" in attrs:
                self.rels[attrs["rel"]] = attrs["href"]
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_index_links_every_chapter_page_in_order(samples_out: Path) -> None:
    folder = samples_out / "jo-hand-injury"
    index = parse(folder / "index.html")
    chapters = [h for h in index.hrefs if h.endswith(".html") and h not in ("index.html", "print.html")]
    assert chapters[0] == "urgent-help.html"
    for page in chapters:
        assert (folder / page).is_file()


def test_chapter_pages_link_previous_and_next(samples_out: Path) -> None:
    folder = samples_out / "jo-hand-injury"
    chapters = [h for h in parse(folder / "index.html").hrefs if h.endswith(".html") and h not in ("index.html", "print.html", "handbook.pdf")]
    for position, page in enumerate(chapters):
        links = parse(folder / page)
        assert links.rels.get("prev") == (chapters[position - 1] if position else None)
        assert links.rels.get("next") == (chapters[position + 1] if position + 1 < len(chapters) else None)


def test_pages_are_readable_on_a_phone(samples_out: Path) -> None:
    page = parse(samples_out / "jo-hand-injury" / "pacing.html")
    assert "width=device-width" in page.meta["viewport"]
    assert page.html_attrs["lang"] == "en"
    css = (samples_out / "jo-hand-injury" / "assets" / "site.css").read_text()
    assert "@media (max-width" in css


def test_every_internal_link_resolves(samples_out: Path) -> None:
    for folder in samples_out.iterdir():
        pages = {p.name: parse(p) for p in folder.glob("*.html")}
        for name, page in pages.items():
            for href in page.hrefs:
                if re.match(r"^(https?|mailto|tel):", href):
                    continue
                file, _, anchor = href.partition("#")
                target = pages.get(file or name)
                if file.endswith(".pdf"):
                    assert (folder / file).is_file()
                    continue
                assert target is not None, f"{folder.name}/{name}: {href}"
                assert not anchor or anchor in target.ids, f"{folder.name}/{name}: {href}"


def test_print_html_holds_every_chapter(samples_out: Path) -> None:
    folder = samples_out / "sam-after-surgery"
    print_page = parse(folder / "print.html")
    for page in folder.glob("*.html"):
        if page.name not in ("index.html", "print.html"):
            assert f"chapter-{page.stem}" in print_page.ids


def test_caregiver_edition_speaks_to_the_helper(samples_out: Path) -> None:
    index = (samples_out / "sam-after-surgery" / "index.html").read_text()
    assert "Helping Sam at home" in index
    assert "Alex" in index


def test_handbooks_hold_the_chapters_their_profiles_call_for(samples_out: Path) -> None:
    def pages(profile_id: str) -> set[str]:
        return {p.stem for p in (samples_out / profile_id).glob("*.html")}

    assert "nutrition" not in pages("ana-lopez")  # topics.exclude: [nutrition]
    assert {"desensitisation", "pacing", "graded-tasks"} <= pages("jo-hand-injury")
    assert "sleep" not in pages("jo-hand-injury")  # no sleep section, sleep not affected
    assert {"sleep", "nutrition"} <= pages("maria-diabetic-feet")
    assert "desensitisation" not in pages("maria-diabetic-feet")
    assert "Diabetes and nerves" in (samples_out / "maria-diabetic-feet" / "nutrition.html").read_text()


def test_body_map_shades_exactly_the_profile_areas(samples_out: Path) -> None:
    import xml.etree.ElementTree as ET

    html = (samples_out / "maria-diabetic-feet" / "about-you.html").read_text()
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    shaded = {el.get("data-area") for el in root.iter() if "affected" in (el.get("class") or "").split()}
    assert shaded == {"left-foot", "right-foot", "left-lower-leg", "right-lower-leg"}


def test_pacing_chart_is_well_formed_svg_with_a_step_per_week(samples_out: Path) -> None:
    import xml.etree.ElementTree as ET

    html = (samples_out / "ana-lopez" / "pacing.html").read_text()
    svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    steps = [el for el in root.iter() if "step" in (el.get("class") or "").split()]
    assert len(steps) == 8
    assert [t.text for t in root.iter() if "target" in (t.get("class") or "").split()] == ["9", "10", "11", "12", "13", "14", "15", "17"]


def test_links_to_left_out_sections_become_plain_text() -> None:
    from generator.output.site import unlink_missing

    html = '<p><a href="#here">kept</a> and <a href="#gone">dropped</a></p>'
    assert unlink_missing(html, {"here"}) == '<p><a href="#here">kept</a> and dropped</p>'


def test_phone_numbers_become_tel_links_on_the_site_and_stay_text_in_print(samples_out: Path) -> None:
    from generator.output.site import tap_to_call

    assert tap_to_call('<bdi dir="ltr">+44 20 7946 0321</bdi>') == (
        '<a href="tel:+442079460321"><bdi dir="ltr">+44 20 7946 0321</bdi></a>')
    assert tap_to_call('call <bdi dir="ltr">999</bdi>') == 'call <a href="tel:999"><bdi dir="ltr">999</bdi></a>'
    assert tap_to_call('<bdi dir="ltr">Samaritans</bdi>') == '<bdi dir="ltr">Samaritans</bdi>'
    folder = samples_out / "jo-hand-injury"
    assert 'href="tel:+15550142"' in (folder / "index.html").read_text()
    assert "tel:" not in (folder / "print.html").read_text()


def test_table_cells_name_their_column_for_phones() -> None:
    from generator.output.site import label_table_cells

    html = ('<table class="ladder"><thead><tr><th>Step</th><th>A &amp; B</th>'
            '<th><span class="visually-hidden">Start</span></th></tr></thead>'
            '<tbody><tr><td>1</td><td>x</td><td>y</td></tr></tbody></table><table><tr><td>no head</td></tr></table>')
    assert label_table_cells(html) == (
        '<table class="stack ladder"><thead><tr><th>Step</th><th>A &amp; B</th>'
        '<th><span class="visually-hidden">Start</span></th></tr></thead>'
        '<tbody><tr><td data-label="Step">1</td><td data-label="A &amp; B">x</td><td>y</td></tr></tbody></table>'
        '<table><tr><td>no head</td></tr></table>')


def test_one_module_chapters_lift_headings_on_the_site_only(samples_out: Path) -> None:
    folder = samples_out / "jo-hand-injury"
    site = re.findall(r"<h([1-6])", (folder / "about-this-handbook.html").read_text())
    assert site[:2] == ["1", "2"] and "3" not in site
    assert '<h2 id="about-this-handbook-what-it-is">' in (folder / "print.html").read_text()


def test_print_link_names_the_pdf_size(samples_out: Path) -> None:
    from generator.language import Language

    assert Language.of("en").formats.file_size(1_234_567) == "1.2 MB"
    assert Language.of("en").formats.file_size(148_200) == "148 kB"
    assert Language.of("es").formats.file_size(1_234_567) == "1,2 MB"
    folder = samples_out / "jo-hand-injury"
    size = Language.of("en").formats.file_size((folder / "handbook.pdf").stat().st_size)
    assert f"(PDF, {size})" in (folder / "index.html").read_text()


def test_the_fast_id_pattern_finds_what_a_word_boundary_would() -> None:
    """ID_ATTRIBUTE is `\\bid="..."` written to begin with a letter (15 times faster on a print.html):
    the same matches, spans and names on random text made of the pieces that matter."""
    import random
    import re

    from generator.output.site import ID_ATTRIBUTE

    plain = re.compile(r'\bid="([^"]+)"')
    chance = random.Random(7)
    pieces = ["i", "d", "=", '"', "x", " ", "_", "-", "é", "<", ">", "1", 'id="', "\n", 'aid="', '_id="', '-id="']
    for _ in range(20_000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(0, 20)))
        assert [(m.span(), m[1]) for m in ID_ATTRIBUTE.finditer(text)] == \
            [(m.span(), m[1]) for m in plain.finditer(text)], text
