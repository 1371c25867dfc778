"""The content library website: every module listed with its facts, and rendered per edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import BIBLIOGRAPHY, REPO, TODAY, write_bibliography
from markupsafe import escape

from generator.cli.main import main
from generator.content.library import Library, load_library
from generator.project import find_project
from generator.quality.gates import check_library
from generator.quality.library_site import write_library_site


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(REPO / "content")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, library: Library) -> Path:
    out = tmp_path_factory.mktemp("library") / "_library"
    write_library_site(find_project(REPO), library, out, today=TODAY)
    return out


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_every_page_and_asset_is_written(site: Path, library: Library) -> None:
    assert (site / "index.html").is_file()
    for module in library.modules:
        assert (site / "modules" / f"{module.id}.html").is_file(), module.id
    for asset in ("handbook.css", "site.css", "fonts.css", "library.css"):
        assert (site / "assets" / asset).is_file()
    assert not list(site.parent.glob("._library*"))  # written atomically, nothing left behind


def test_index_lists_every_module_with_its_facts(site: Path, library: Library) -> None:
    index = read(site, "index.html")
    report = check_library(library, REPO / "templates", today=TODAY)
    for topic in library.topics:
        assert f'id="topic-{topic.id}"' in index
    for q in report.modules:
        module = q.module
        row = index.split(f'id="module-{module.id}"', 1)[1].split("</tr>", 1)[0]
        assert f'href="modules/{module.id}.html"' in row
        assert str(escape(module.title)) in row
        assert str(escape(module.when.source if module.when else "always")) in row
        assert str(escape(module.summary)) in row
        assert module.reviewed.isoformat() in row
        for source in module.sources:
            assert source in row
        for reading in q.readings:
            assert f"{reading.edition} {reading.grade:.1f}" in row
            assert f"SMOG {reading.smog:.1f}" in row


def test_module_pages_show_citations_reviewer_and_when_the_review_is_due(site: Path, library: Library) -> None:
    module = library.module("desensitisation")
    page = read(site, "modules/desensitisation.html")
    for source in library.cited_by((module,)):
        assert f"<code>{source.key}</code>: <cite>{escape(source.title)}</cite>" in page
        assert f"Clinical note: <code>{source.note}</code>" in page
    assert (f"{module.reviewed.isoformat()} by {escape(module.reviewed_by)}; due again by "
            f"{module.review_due.isoformat()} (every 24 months)") in page


def test_module_pages_show_each_edition_rendered(site: Path) -> None:
    page = read(site, "modules/pacing-basics.html")
    assert 'id="edition-patient"' in page and 'id="edition-caregiver"' in page
    assert "Boom and bust" in page
    assert "Help <bdi>Alex</bdi> choose one activity" in page  # caregiver text, for the sample patient (isolated)
    assert "Choose one activity, like walking" in page  # patient text
    assert "<code>always</code>" in page
    caregiver_only = read(site, "modules/looking-after-yourself.html")
    assert 'id="edition-caregiver"' in caregiver_only and 'id="edition-patient"' not in caregiver_only


def test_plans_show_for_the_sample_patient(site: Path) -> None:
    page = read(site, "modules/your-pacing-plan.html")
    assert "Walking" in page and "<svg" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "both editions on one page must not share ids"


def test_links_between_modules_lead_to_module_pages(site: Path) -> None:
    page = read(site, "modules/your-goals.html")
    for target in re.findall(r'href="([a-z0-9-]+\.html)#([^"]+)"', page):
        other = read(site, f"modules/{target[0]}")
        assert f'id="{target[1]}"' in other, target


def test_everything_is_escaped(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "content" / "basics").mkdir(parents=True)
    (root / "content" / "topics.yaml").write_text("- id: basics\n  title: Basics <b>bold</b>\n", encoding="utf-8")
    write_bibliography(root / "content", BIBLIOGRAPHY.replace("Walking with nerve pain", "a<b"))
    (root / "content" / "basics" / "odd.md").write_text(
        "---\nid: odd\ntitle: \"<script>alert(1)</script>\"\ntopic: basics\naudience: patient\norder: 1\n"
        "when: \"'allodynia' in condition.symptoms\"\nsummary: Fish & <i>chips</i>\nsources: [walking-guide]\n"
        "reviewed: 2026-01-01\nreviewed_by: <em>Dr</em> Who\n---\n\n## Hello\n\n<script>alert(2)</script>\n\n"
        "::: try\n- One.\n:::\n",
        encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["--project", str(root), "library", "-o", str(out), "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    index, page = read(out, "index.html"), read(out, "modules/odd.html")
    for text in (index, page):
        assert "<script>" not in text and "<b>bold" not in text and "<i>chips" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "Fish &amp; &lt;i&gt;chips&lt;/i&gt;" in text
        assert "&#39;allodynia&#39; in condition.symptoms" in text
    assert "a&lt;b" in page and "&lt;em&gt;Dr&lt;/em&gt; Who" in page and "<em>" not in page


def test_cli_writes_the_default_folder_and_replaces_it(tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    root.mkdir()
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(root), "library"])
    assert result.exit_code == 0, result.output
    target = root / "output" / "_library"
    assert "wrote" in result.output and (target / "index.html").is_file()
    (target / "stale.html").write_text("old", encoding="utf-8")
    again = runner.invoke(main, ["--project", str(root), "library", "--profile", str(REPO / "profiles" / "ana-lopez.yaml")])
    assert again.exit_code == 0, again.output
    assert not (target / "stale.html").exists()
    assert "Help <bdi>Ana</bdi> choose one activity" in read(target, "modules/pacing-basics.html")


def test_cli_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["--project", str(REPO), "library", "-o", str(tmp_path / "x"),
                                   "--profile", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and type(missing.exception) is SystemExit
    root = tmp_path / "broken"
    (root / "content" / "basics").mkdir(parents=True)
    (root / "content" / "topics.yaml").write_text("- id: basics\n  title: Basics\n", encoding="utf-8")
    (root / "content" / "basics" / "x.md").write_text("no front matter\n", encoding="utf-8")
    broken = runner.invoke(main, ["--project", str(root), "library"])
    assert broken.exit_code == 2 and "front matter" in broken.output
    assert not (root / "output").exists()
