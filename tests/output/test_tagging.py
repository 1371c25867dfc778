"""The PDF is tagged PDF/UA-1: read back with pikepdf, qpdf and pdffonts, tools we did not write.

No full PDF/UA validator (veraPDF, PAC) installs here; docs/accessibility.md says what
these tests check and what they do not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from generator.output import tagging
from generator.output.pdf import write_pdf

SAMPLES = ("ana-lopez", "jo-hand-injury", "layla-haddad", "maria-diabetic-feet", "sam-after-surgery")


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element reachable from the root, in reading order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def _marked_content(pdf: pikepdf.Pdf) -> tuple[int, int, int]:
    """(marked with an MCID, of those not in the structure tree, Artifact sequences)."""
    reachable = {element.objgen for element in _elements(pdf)}
    parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    marked = orphans = artifacts = 0
    for index, page in enumerate(pdf.pages):
        owners = parent_tree[2 * index + 1]
        for operands, operator in pikepdf.parse_content_stream(page):
            if operator == pikepdf.Operator("BDC") and "/MCID" in operands[1]:
                marked += 1
                owner = owners[int(operands[1].MCID)]
                orphans += not isinstance(owner, pikepdf.Dictionary) or owner.objgen not in reachable
            elif operator == pikepdf.Operator("BMC") and operands[0] == pikepdf.Name.Artifact:
                artifacts += 1
    return marked, orphans, artifacts


@pytest.fixture(scope="module")
def opened(samples_out: Path):
    pdfs = {name: pikepdf.open(samples_out / name / "handbook.pdf") for name in SAMPLES}
    yield pdfs
    for pdf in pdfs.values():
        pdf.close()


def test_weasyprint_still_has_what_the_tagging_hooks_wrap() -> None:
    assert tagging.hooks_in_place(), "WeasyPrint's tagging internals moved: see generator/output/tagging.py"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_is_marked_pdf_ua_with_language_and_title(opened, name: str) -> None:
    pdf = opened[name]
    assert pdf.Root.MarkInfo.Marked is True
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.Root.Lang) == {"ana-lopez": "es", "layla-haddad": "ar", "maria-diabetic-feet": "en-GB"}.get(name, "en")
    with pdf.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"].endswith("handbook") or xmp["dc:title"]
    assert "/StructTreeRoot" in pdf.Root


@pytest.mark.parametrize("name", SAMPLES)
def test_headings_come_in_order_and_never_skip_a_level(opened, name: str) -> None:
    levels = [int(str(e.S)[2:]) for e in _elements(opened[name]) if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert levels[0] == 1
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not skips, f"{name}: a heading skips a level: {skips[:5]}"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_figure_has_real_alternative_text(opened, name: str) -> None:
    figures = [e for e in _elements(opened[name]) if e.S == pikepdf.Name.Figure]
    assert figures
    assert all(len(str(figure.get("/Alt", ""))) > 10 for figure in figures)


def test_the_body_map_names_the_areas_and_each_chart_its_targets(opened) -> None:
    alts = [str(e.Alt) for e in _elements(opened["jo-hand-injury"]) if e.S == pikepdf.Name.Figure]
    body_map = next(alt for alt in alts if alt.startswith("Where you feel the pain"))
    assert "right hand" in body_map.lower() and "right forearm" in body_map.lower()
    chart = next(alt for alt in alts if alt.startswith("Weekly targets for Typing"))
    assert "Week 1: 9 minutes" in chart and "Week 8: 17 minutes" in chart


@pytest.mark.parametrize("name", SAMPLES)
def test_table_header_cells_have_their_scope(opened, name: str) -> None:
    scopes = Counter(str(e.A.get("/Scope")) for e in _elements(opened[name]) if e.S == pikepdf.Name.TH)
    assert scopes["/Column"] and scopes["/Row"], scopes
    assert set(scopes) <= {"/Column", "/Row"}, scopes


@pytest.mark.parametrize("name", SAMPLES)
def test_lists_and_tables_are_tagged_as_such(opened, name: str) -> None:
    kinds = Counter(str(e.S) for e in _elements(opened[name]))
    for kind in ("/L", "/LI", "/LBody", "/Table", "/TR", "/TH", "/TD", "/P", "/Link"):
        assert kinds[kind], f"{name} has no {kind}"


@pytest.mark.parametrize("name", SAMPLES)
def test_footers_and_page_numbers_are_artifacts_and_all_else_is_in_the_tree(opened, name: str) -> None:
    marked, orphans, artifacts = _marked_content(opened[name])
    assert marked > 1000
    assert orphans == 0, f"{name}: {orphans} pieces of content belong to no structure element"
    assert artifacts >= len(opened[name].pages)


def test_a_passage_in_another_language_carries_its_own(opened) -> None:
    # The Arabic sample shows untranslated modules in English: those passages say so.
    langs = Counter(str(e.Lang) for e in _elements(opened["layla-haddad"]) if "/Lang" in e)
    assert langs["en"] > 0


def test_the_english_citations_in_a_spanish_handbook_are_marked_english(opened) -> None:
    langs = Counter(str(e.Lang) for e in _elements(opened["ana-lopez"]) if "/Lang" in e)
    assert langs["en"] > 0


def test_a_decoration_hidden_from_screen_readers_is_an_artifact(project) -> None:
    html = ('<html lang="en"><head><title>t</title></head><body><ul><li><svg xmlns="http://www.w3.org/2000/svg" '
            'aria-hidden="true" width="10" height="10"><rect width="5" height="5"/></svg>Left hand</li></ul></body></html>')
    with pikepdf.open(__import__("io").BytesIO(write_pdf(html, project.templates_dir, [project.root]).pdf)) as pdf:
        assert not [e for e in _elements(pdf) if e.S == pikepdf.Name.Figure]
        assert _marked_content(pdf)[1] == 0


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is installed by install.sh")
@pytest.mark.parametrize("name", SAMPLES)
def test_qpdf_finds_no_error(samples_out: Path, name: str) -> None:
    result = subprocess.run(["qpdf", "--check", str(samples_out / name / "handbook.pdf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", SAMPLES)
def test_every_font_is_embedded_and_has_a_unicode_map(samples_out: Path, name: str) -> None:
    result = subprocess.run(["pdffonts", str(samples_out / name / "handbook.pdf")],
                            capture_output=True, text=True, check=True)
    rows = [line.split() for line in result.stdout.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:  # name type [encoding...] emb sub uni object ID
        emb, _sub, uni = row[-5], row[-4], row[-3]
        assert (emb, uni) == ("yes", "yes"), f"{name}: font {row[0]} is not embedded with a Unicode map"


def test_weasyprint_notes_nothing_about_our_templates(samples_report, large_print_letter_caregiver) -> None:
    _out, report = samples_report
    notes = {outcome.profile_id: outcome.layout_notes for outcome in report.outcomes if outcome.layout_notes}
    assert not notes, notes
    assert not large_print_letter_caregiver[1]


def test_layout_notes_are_collected_not_printed(project, capsys) -> None:
    html = '<html lang="en"><head><title>t</title></head><body><p style="clip: nonsense">x</p></body></html>'
    laid_out = write_pdf(html, project.templates_dir, [project.root])
    assert any("clip" in note for note in laid_out.notes)
    captured = capsys.readouterr()
    assert "clip" not in captured.err + captured.out


def test_arabic_blocks_with_lam_alef_carry_their_words_as_actual_text(opened) -> None:
    texts = [str(e.ActualText) for e in _elements(opened["layla-haddad"]) if "/ActualText" in e]
    assert texts and all(re.search("\u0644[\u0622\u0623\u0625\u0627\u0649]", text) for text in texts)
    assert any("إلى" in text for text in texts)  # as written, where extractors give "إىل"
    assert not [e for e in _elements(opened["jo-hand-injury"]) if "/ActualText" in e]
