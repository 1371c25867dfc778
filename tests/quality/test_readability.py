"""SMOG: of known texts, of the prose units, and of the pages the handbook builds."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from generator.quality.readability import (
    MAX_SMOG,
    html_prose,
    prose,
    reading,
    sentences,
    smog,
    smog_grade,
    smog_of_html,
)

LONG_WORDS = (
    "Comprehensive interdisciplinary rehabilitation necessitates systematic evaluation.\n"
    "Neuropathic sensitisation requires pharmacological optimisation.\n"
    "Psychological characteristics influence occupational considerations.\n"
    "Individualised therapeutic interventions incorporate graded exposure methodologies.\n"
)
PLAIN = (
    "Walk a little each day.\n"
    "Rest before the pain builds.\n"
    "Take a short break when you need one.\n"
    "Go to bed at the same time each night.\n"
)


# ---------------------------------------------------------------- the formula


def test_smog_is_mclaughlins_formula() -> None:
    assert smog_grade(30, 30) == 8.8  # 1.0430 * sqrt(30) + 3.1291
    assert smog_grade(0, 12) == 3.1  # no long word: the formula's floor
    assert smog_grade(5, 0) == 0.0  # no sentence: nothing to measure


def test_a_short_text_is_scaled_to_30_sentences() -> None:
    # 3 long words in 10 sentences reads as 9 in 30: the same grade.
    assert smog_grade(3, 10) == smog_grade(9, 30) == 6.3


def test_plain_text_passes_and_long_words_fail() -> None:
    assert smog(PLAIN) <= 4 < MAX_SMOG
    assert smog(LONG_WORDS) > 15
    assert smog("The cat sat on the mat. The dog ran to the park. We had a good day.") == 3.1


def test_sentences_are_cut_at_end_marks_and_at_every_line() -> None:
    text = 'Take a break.\nSay: "Is that right?" Then rest!\nTry this week.\n\n  \n'
    assert sentences(text) == ["Take a break.", 'Say: "Is that right?', "Then rest!", "Try this week."]
    assert sentences("It costs 2.5 units. Fine") == ["It costs 2.5 units.", "Fine"]


def test_reading_gives_smog_beside_the_grade() -> None:
    measured = reading("Take your medicine with your family.\nWalk every day.\nRest.", "patient")
    assert measured.polysyllables == 3 and measured.smog_sentences == 3
    assert measured.smog == smog_grade(3, 3)
    assert measured.long_words == ("medicine", "family", "every")


def test_prose_drops_a_translated_headings_attribute_list() -> None:
    assert prose("## Haga pausas a tiempo {: #pacing-basics-take-breaks-early }\n", "patient") == (
        "Haga pausas a tiempo.")


# ---------------------------------------------------------------- HTML pages

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Pacing · Ana's handbook</title><style>p { color: red }</style></head>
<body>
<a class="skip-link" href="#main">Skip to the text</a>
<header class="site-header"><a href="index.html">Interdisciplinary rehabilitation</a></header>
<main id="main">
<article class="chapter">
  <h1 class="chapter-title">Pacing</h1>
  <section class="module" id="pacing-basics">
    <h3>Take breaks early</h3>
    <p>Rest before the pain <strong>builds</strong>. Then go on<br>again.</p>
    <p>Read <cite>Interdisciplinary rehabilitation methodologies</cite>.</p>
    <div class="plan pacing"><table><tr><th>Activity</th><th>Minutes</th></tr>
      <tr><td>Everyday occupational activities</td><td>10</td></tr></table>
      <svg><text>Comprehensive</text></svg></div>
    <table><tr><th>Day</th><th>Minutes</th></tr><tr><td>Monday</td><td>5</td></tr></table>
    <div class="callout callout-try"><p class="callout-title">Try this week</p>
      <ul><li>Walk for five minutes.</li><li>Rest &amp; breathe</li></ul></div>
  </section>
</article>
<nav class="pager"><a href="x.html">Previous: Understanding pain</a></nav>
</main>
<footer class="site-footer"><p>Prepared on November 23, 2026.</p></footer>
</body></html>
"""


def test_html_prose_reads_the_main_text_as_units() -> None:
    assert html_prose(PAGE).splitlines() == [
        "Pacing.",
        "Take breaks early.",
        "Rest before the pain builds. Then go on again.",
        "Read.",  # the title of a cited work is kept as published, so not measured
        "Day, Minutes.",
        "Monday, 5.",
        "Try this week.",
        "Walk for five minutes.",
        "Rest & breathe.",
    ]


def test_html_prose_of_a_fragment_without_main() -> None:
    assert html_prose("<h2>Sleep</h2><p>Keep the room dark</p>") == "Sleep.\nKeep the room dark."


def test_smog_of_html_matches_smog_of_its_prose() -> None:
    assert smog_of_html(PAGE) == smog(html_prose(PAGE)) == 3.1
    hard = "<main>" + "".join(f"<p>{line}</p>" for line in LONG_WORDS.splitlines()) + "</main>"
    assert smog_of_html(hard) == smog(LONG_WORDS) > MAX_SMOG


def english_chapter_pages(folder: Path) -> list[Path]:
    if not re.search(r'<html lang="en[-"]', (folder / "index.html").read_text(encoding="utf-8")):  # en, en-GB
        return []
    return sorted(p for p in folder.glob("*.html") if p.name not in ("index.html", "print.html"))


def test_every_english_chapter_page_of_the_samples_is_smog_7_or_lower(samples_out: Path) -> None:
    """Each page measured whole: its headings and prose, without plans and page furniture."""
    pages = [page for folder in sorted(samples_out.iterdir()) if folder.is_dir()
             for page in english_chapter_pages(folder)]
    assert len({page.parent.name for page in pages}) >= 3  # jo, maria (patient) and sam (caregiver)
    grades = {f"{page.parent.name}/{page.name}": smog_of_html(page.read_text(encoding="utf-8")) for page in pages}
    assert all(0 < grade for grade in grades.values())
    assert {page: grade for page, grade in grades.items() if grade > MAX_SMOG} == {}


@pytest.mark.parametrize("sample", ["jo-hand-injury", "sam-after-surgery"])
def test_each_module_section_of_a_built_page_is_smog_7_or_lower(samples_out: Path, sample: str) -> None:
    page = (samples_out / sample / "care-team.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="module" id="working-with-your-team"'):]
    section = section[:section.index("</section>") + len("</section>")]
    assert "physical therapist" in html_prose(section)
    assert 0 < smog_of_html(section) <= MAX_SMOG
