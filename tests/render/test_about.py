"""The chapter every handbook ends with, "About this handbook", read back from what builds produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import MINIMAL_PROFILE, REPO, TODAY, copy_project, write_profile
from pdfutil import page_texts

import generator
from generator.build import BuildOptions, build
from generator.content.library import ABOUT_TOPIC, load_library
from generator.content.select import select_modules
from generator.language import Language
from generator.profile.load import load_profile
from generator.project import find_project

SAMPLES = sorted(p.stem for p in (REPO / "profiles").glob("*.yaml"))
TITLES = {"en": "About this handbook", "es": "Sobre este manual", "ar": "عن هذا الدليل"}
LIBRARY = load_library(REPO / "content")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def about_html(folder: Path) -> str:
    return (folder / f"{ABOUT_TOPIC}.html").read_text(encoding="utf-8")


def build_html(tmp_path: Path, profile_text: str, root: Path = REPO) -> Path:
    path = write_profile(tmp_path / "profiles", "p.yaml", profile_text)
    options = BuildOptions(output_dir=tmp_path / "out", formats=frozenset({"html"}), today=TODAY)
    report = build(find_project(root), [path], options)
    assert report.exit_code == 0, [o.error for o in report.failed]
    return tmp_path / "out" / load_profile(path).id


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_handbook_ends_with_about_this_handbook(samples_out: Path, sample: str) -> None:
    folder = samples_out / sample
    profile = load_profile(REPO / "profiles" / f"{sample}.yaml")
    index = (folder / "index.html").read_text(encoding="utf-8")
    chapters = re.findall(r'<li><a href="([a-z0-9-]+\.html)">', index)
    assert chapters[-1] == f"{ABOUT_TOPIC}.html"
    articles = re.findall(r'<article class="chapter" id="chapter-([a-z0-9-]+)"', (folder / "print.html").read_text())
    assert articles[-1] == ABOUT_TOPIC
    page = about_html(folder)
    assert f'<h1 class="chapter-title">{TITLES[Language.of(profile.language).base]}</h1>' in page
    assert 'rel="next"' not in page


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s != "layla-haddad"])  # Arabic PDF text comes out reordered
def test_the_printed_chapter_holds_version_clinician_review_date_and_citations(samples_out: Path, sample: str) -> None:
    profile = load_profile(REPO / "profiles" / f"{sample}.yaml")
    language = Language.of(profile.language)
    outline = select_modules(profile, LIBRARY)
    text = flat("\n".join(page_texts(samples_out / sample / "handbook.pdf")))
    about = text[text.rindex(TITLES[language.base]):]  # the last chapter, after the contents page's entry
    assert generator.__version__ in about
    assert profile.clinic.clinician and profile.clinic.clinician in about
    assert language.formats.date(max(m.reviewed for m in outline.modules)) in about
    assert outline.sources
    for source in LIBRARY.sources:
        cited = source in outline.sources
        assert (flat(source.title) in about) == cited, (source.key, cited)
    assert ("Handbook content team" in about) and ("not yet checked by a clinician" in about)


def test_the_spanish_sample_says_it_in_spanish(samples_out: Path) -> None:
    about = flat(re.sub(r"<[^>]+>", " ", about_html(samples_out / "ana-lopez"))).replace(" .", ".")
    for words in ("Este manual no reemplaza los consejos de su equipo de salud", "En qué se basa",
                  "Última revisión 23 de noviembre de 2026", "Preparado por Sam Rivera, PT, Riverside Pain Rehabilitation",
                  f"el programa handbook, versión {generator.__version__}", "Physical Therapy.",
                  "dígaselo a su equipo de salud", "Llame a Riverside Pain Rehabilitation al +1 555 0100."):
        assert words in about, words
    assert "Editorial no indicada" not in about and "sin fecha" not in about  # what a source does not say is left out


def test_the_arabic_sample_is_translated_and_keeps_titles_left_to_right(samples_out: Path) -> None:
    page = about_html(samples_out / "layla-haddad")
    assert "لا يحل هذا الدليل محل نصائح فريق الرعاية" in page and "الناشر غير مذكور" not in page
    assert "فاتبعي" in page and "فاتبع " not in page  # "follow what they say", to a woman (grammatical_gender)
    assert '<cite lang="en" dir="ltr">Neuropathic Pain and Physical Therapy</cite>' in page


def test_the_caregiver_edition_speaks_to_the_helper(samples_out: Path) -> None:
    about = flat(about_html(samples_out / "sam-after-surgery"))
    assert "advice from <bdi>Sam</bdi>'s care team" in about and "to help you help <bdi>Sam</bdi> at home" in about
    assert "Please tell <bdi>Sam</bdi>'s care team." in about
    assert "your care team" not in about


def test_it_lists_only_the_sources_of_the_modules_the_handbook_holds(tmp_path: Path) -> None:
    others = [t.id for t in LIBRARY.topics if t.id != "nutrition"]
    folder = build_html(tmp_path, MINIMAL_PROFILE.format(id="kim", name="Kim")
                        + f"topics:\n  exclude: [{', '.join(others)}]\n")
    (only,) = LIBRARY.cited_by((LIBRARY.module("eating-well"),))
    page = about_html(folder)
    assert re.findall(r"<cite[^>]*>(.*?)</cite>", page) == [only.title]
    chapters = re.findall(r'<li><a href="([a-z0-9-]+)\.html">', (folder / "index.html").read_text())
    assert chapters == ["nutrition", ABOUT_TOPIC]


def test_without_clinic_details_it_uses_neutral_words(minimal_out: Path) -> None:
    page = about_html(minimal_out)
    assert "Prepared by" not in page
    assert "Please tell your care team." in page and "Tell them at the next visit." in page
    assert "Made on</dt><dd>November 23, 2026" in page


def test_profile_and_bibliography_text_is_escaped(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    bibliography = root / "content" / "sources.yaml"
    bibliography.write_text(bibliography.read_text().replace(
        "title: Neuropathic Pain and Physical Therapy", 'title: "<script>alert(1)</script>"'), encoding="utf-8")
    folder = build_html(tmp_path, MINIMAL_PROFILE.format(id="kim", name="Kim<b>")
                        + 'clinic:\n  name: "<i>Clinic</i>"\n  phone: "1"\n  clinician: "Dr <u>X</u>"\n', root)
    page = about_html(folder)
    for raw in ("<script>", "<i>Clinic", "<u>X", "Kim<b>"):  # the phone must be a number (profile/load.py)
        assert raw not in page, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Call &lt;i&gt;Clinic&lt;/i&gt; on <strong><bdi dir=\"ltr\">1</bdi></strong>." in page
