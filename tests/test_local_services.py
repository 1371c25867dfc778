"""Emergency and crisis numbers: a handbook prints its clinic's country's numbers and no other country's.

Whole builds (HTML, and the samples' PDFs), read as the reader sees them. The expected numbers come
from content/services.yaml, the one place numbers are written.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from helpers import REPO, TODAY, copy_project, write_profile
from pdfutil import pdf_text

from generator.build import BuildOptions, build
from generator.content.services import ServiceTable, load_services
from generator.project import find_project

NEUTRAL = "your local emergency number"
PROFILE = """\
handbook: 1
id: {id}
preferred_name: Kim
language: {language}
clinic:
  name: Riverside Pain Rehabilitation
  phone: "{phone}"
{clinic}flare_plan:
  warning_signs: [Burning spreads]
"""


def table() -> ServiceTable:
    found, problems = load_services(REPO / "content")
    assert problems == []
    return found


def numbers_of(country: str) -> set[str]:
    row = table().row(country)
    assert row is not None
    return {row.emergency, *(line.number for line in (row.crisis, row.non_urgent) if line)}


def every_number() -> set[str]:
    return {n for row in table().rows for n in numbers_of(row.country)}


def shows(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d+]){re.escape(number)}(?!\d)", text) is not None


def page_text(path: Path) -> str:
    """What the reader reads: tags dropped, entities (content escapes '-' and '.') decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


def build_html(project, tmp_path: Path, profile_id: str, clinic: str, language: str = "en",
               phone: str = "555 0100") -> Path:
    path = write_profile(tmp_path / "profiles", f"{profile_id}.yaml",
                         PROFILE.format(id=profile_id, language=language, phone=phone, clinic=clinic))
    report = build(project, [path], BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}),
                                                 today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return tmp_path / "out" / profile_id


@pytest.mark.parametrize(("country", "language"), [("GB", "en"), ("ES", "es"), ("AU", "en"), ("US", "en")])
def test_a_handbook_prints_its_countrys_numbers_and_no_other_countrys(project, tmp_path: Path, country: str,
                                                                      language: str) -> None:
    folder = build_html(project, tmp_path, f"kim-{country.lower()}", f"  country: {country}\n", language)
    text = page_text(folder / "print.html")
    row = table().row(country)
    assert row is not None and row.crisis is not None
    for number in numbers_of(country):
        assert shows(text, number), number
    others = {n for other in ("GB", "ES", "AU", "US") if other != country for n in numbers_of(other)}
    assert [n for n in sorted(others - numbers_of(country)) if shows(text, n)] == []
    assert row.crisis.name in text
    assert NEUTRAL not in text


@pytest.mark.parametrize("country", ["GB", "ES", "AU", "US"])
def test_the_cover_the_urgent_page_and_the_flare_card_each_print_the_emergency_number(project, tmp_path: Path,
                                                                                     country: str) -> None:
    folder = build_html(project, tmp_path, f"kim-{country.lower()}", f"  country: {country}\n")
    page = (folder / "print.html").read_text(encoding="utf-8")
    row = table().row(country)
    assert row is not None and row.crisis is not None
    wrapped = f'<bdi dir="ltr">{html.escape(row.emergency)}</bdi>'
    cover = page[page.index('class="cover"'):page.index("</header>")]
    card = page[page.index('class="flare-card"'):page.index('class="card-crisis"') + 200]
    urgent = page[page.index('id="urgent-help"'):page.index("</section>", page.index('id="urgent-help"'))]
    for part in (cover, card, urgent):
        assert wrapped in part
    assert row.crisis.name in html.unescape(card) and row.crisis.name in html.unescape(urgent)


def test_an_unknown_country_prints_neutral_wording_and_no_number(project, tmp_path: Path) -> None:
    folder = build_html(project, tmp_path, "kim-lb", "  country: LB\n", phone="+961 1 555 010")
    page = (folder / "print.html").read_text(encoding="utf-8")
    text = page_text(folder / "print.html")
    assert [n for n in sorted(every_number()) if shows(text, n)] == []
    cover = page[page.index('class="cover"'):page.index("</header>")]
    card = page[page.index('class="flare-card"'):page.index("card-emergency") + 200]
    assert NEUTRAL in cover and NEUTRAL in card and "card-crisis" not in page
    assert f"Ask your care team to write {NEUTRAL} and a crisis line here" in text
    assert "Emergency number: ________" in text and "Crisis line: ________" in text
    assert "+961 1 555 010" in text  # the clinic's own number is still there


def test_the_clinics_own_numbers_win(project, tmp_path: Path) -> None:
    clinic = '  country: GB\n  emergency_number: "112"\n  crisis_line: {name: Riverside crisis team, number: "0800 123 456"}\n'
    text = page_text(build_html(project, tmp_path, "kim-own", clinic) / "print.html")
    gb = table().row("GB")
    assert gb is not None and gb.crisis is not None and gb.non_urgent is not None
    assert shows(text, "112") and "Riverside crisis team" in text and shows(text, "0800 123 456")
    assert not shows(text, gb.emergency) and gb.crisis.name not in text
    assert shows(text, gb.non_urgent.number)  # no override: the country's advice line stays


def test_a_projects_own_table_is_printed(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "content" / "services.yaml").write_text(
        'IS:\n  emergency: "112"\n  calling_code: "354"\n  source: "Neyðarlínan (112.is)"\n  checked: 2026-11-01\n',
        encoding="utf-8")
    project = find_project(root)
    text = page_text(build_html(project, tmp_path, "kim-is", "  country: IS\n") / "print.html")
    assert shows(text, "112") and NEUTRAL not in text
    gb = page_text(build_html(project, tmp_path / "gb", "kim-gb", "  country: GB\n") / "print.html")
    assert all(shows(gb, number) for number in numbers_of("GB"))  # the bundled rows are still there


def test_arabic_keeps_the_numbers_left_to_right(project, tmp_path: Path) -> None:
    folder = build_html(project, tmp_path, "kim-ar", "  country: GB\n", language="ar")
    page = (folder / "print.html").read_text(encoding="utf-8")
    gb = table().row("GB")
    assert gb is not None and gb.crisis is not None
    assert f'<bdi dir="ltr">{gb.emergency}</bdi>' in page and f'<bdi dir="ltr">{gb.crisis.number}</bdi>' in page


# -- the samples' PDFs, built once per session ------------------------------------------------------

@pytest.mark.parametrize(("sample", "country"), [("maria-diabetic-feet", "GB"), ("jo-hand-injury", "US")])
def test_a_samples_pdf_prints_its_countrys_numbers_only(samples_out: Path, sample: str, country: str) -> None:
    text = " ".join(pdf_text(samples_out / sample / "handbook.pdf").split())
    for number in numbers_of(country):
        assert shows(text, number), number
    others = {n for other in ("GB", "ES", "AU", "US") if other != country for n in numbers_of(other)}
    assert [n for n in sorted(others - numbers_of(country)) if shows(text, n)] == []


def test_the_lebanese_sample_prints_its_clinics_number_and_no_countrys(samples_out: Path) -> None:
    # Lebanon has no row (no single national number): the sample's clinic sets emergency_number "140".
    folder = samples_out / "layla-haddad"
    page = (folder / "print.html").read_text(encoding="utf-8")
    parts = [page[page.index('class="cover"'):page.index("</header>")],
             page[page.index('class="flare-card"'):page.index("card-emergency") + 300],
             page[page.index('id="urgent-help"'):page.index("</section>", page.index('id="urgent-help"'))]]
    for part in parts:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())
        assert [n for n in sorted(every_number()) if shows(text, n) and n != "140"] == []
        assert shows(text, "140")
    assert "رقم الطوارئ في منطقتك" not in pdf_text(folder / "handbook.pdf")  # no neutral wording needed
