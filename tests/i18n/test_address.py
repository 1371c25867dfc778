"""Grammatical gender: a language that addresses a man and a woman differently (Arabic) keeps an
optional variant of each message, used when the profile asks for it, the default otherwise."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from helpers import REPO, TODAY, copy_project

from generator.build import BuildOptions, build
from generator.content.library import load_library
from generator.i18n.catalogs import AddressedTranslations, addressed, po_path, read_catalog, variant_context
from generator.i18n.tools import extract, update, variant_counts
from generator.i18n.translator import translate_module
from generator.language import Language
from generator.project import find_project
from generator.render.templates import page_environment

LIBRARY = load_library(REPO / "content")
ARABIC = Language.of("ar")


def _module(module_id: str):  # noqa: ANN202
    return next(m for m in LIBRARY.modules if m.id == module_id)


def test_arabic_keeps_a_feminine_variant_and_spanish_none() -> None:
    assert ARABIC.address_variants == ("feminine",)
    assert ARABIC.address_variant("feminine") == "feminine"
    assert ARABIC.address_variant("masculine") is None  # the default text is the masculine form
    assert ARABIC.address_variant(None) is None
    assert Language.of("es").address_variant("feminine") is None


def test_a_module_reads_its_feminine_variants_where_they_exist() -> None:
    catalog = read_catalog(REPO / "content/locale/ar/LC_MESSAGES/content.po")
    module = _module("how-nerve-pain-works")
    default, _ = translate_module(module, catalog)
    feminine, status = translate_module(module, catalog, "feminine")
    assert default is not None and feminine is not None and status.complete
    assert default.body != feminine.body
    # A message without a variant reads the same either way: the variant is only where words change.
    written = [m for m in catalog if m.context == variant_context("how-nerve-pain-works", "feminine") and m.string]
    plain = [m for m in catalog if m.context == "how-nerve-pain-works" and m.id]
    assert 0 < len(written) < len(plain)


def test_an_empty_fuzzy_or_broken_variant_falls_back_to_the_default() -> None:
    module = _module("daily-diary")
    catalog = Catalog(locale="ar")
    source = read_catalog(REPO / "content/locale/ar/LC_MESSAGES/content.po")
    for message in source:
        if message.context == "daily-diary":
            catalog.add(message.id, message.string, context="daily-diary")
    first = catalog.get(module.title, context="daily-diary")  # the title: a message every build shows
    catalog.add(first.id, "", context=variant_context("daily-diary", "feminine"))  # empty: not needed
    default, _ = translate_module(module, catalog)
    catalog.add(first.id, "نص مؤنث {{ broken", context=variant_context("daily-diary", "feminine"))
    broken, _ = translate_module(module, catalog, "feminine")
    catalog.add(first.id, "نص مؤنث", context=variant_context("daily-diary", "feminine"), flags=["fuzzy"])
    fuzzy, _ = translate_module(module, catalog, "feminine")
    assert default is not None and broken is not None and fuzzy is not None
    assert broken.body == default.body == fuzzy.body
    catalog.delete(first.id, context=variant_context("daily-diary", "feminine"))  # Babel keeps old flags
    catalog.add(first.id, "نص مؤنث", context=variant_context("daily-diary", "feminine"))
    used, _ = translate_module(module, catalog, "feminine")
    assert used is not None and "نص مؤنث" in used.title + used.body


def _translations(entries: dict[tuple[str | None, str], str]) -> gettext.GNUTranslations:
    catalog = Catalog(locale="ar")
    for (context, msgid), text in entries.items():
        catalog.add(msgid, text, context=context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def test_interface_strings_read_their_variant_then_the_default() -> None:
    base = _translations({(None, "What to do"): "ماذا تفعل", (None, "Phone"): "الهاتف",
                          ("|feminine", "What to do"): "ماذا تفعلين"})
    reader = addressed(base, ARABIC, "feminine")
    assert isinstance(reader, AddressedTranslations)
    assert reader.gettext("What to do") == "ماذا تفعلين"
    assert reader.gettext("Phone") == "الهاتف"  # no variant: the default
    assert reader.gettext("Not in the catalogue") == "Not in the catalogue"
    assert addressed(base, ARABIC, None) is base
    env = page_environment(REPO / "templates", reader)  # what the pages see, through Jinja's i18n
    assert env.from_string('{{ _("What to do") }}|{{ _("Phone") }}').render() == "ماذا تفعلين|الهاتف"
    assert addressed(base, Language.of("es"), "feminine") is base


def test_update_adds_empty_variants_for_arabic_only_never_a_fuzzy_guess(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    project = find_project(root)
    library = load_library(project.content_dir)
    extract(project, library)
    update(project, ["ar", "es"])
    arabic = read_catalog(po_path(project, "content", "ar"))
    spanish = read_catalog(po_path(project, "content", "es"))
    variants = [m for m in arabic if m.id and m.context and m.context.endswith("|feminine")]
    plain = [m for m in arabic if m.id and m.context and "|" not in m.context]
    assert len(variants) == len(plain)
    assert not any(m.fuzzy for m in variants)
    assert not [m for m in spanish if m.context and "|" in m.context]
    note = " ".join(variants[0].auto_comments)
    assert "WOMAN" in note and "leave it empty" in note
    # Running update again keeps what translators wrote in a variant.
    first = variants[0]
    first.string = "مكتوب"
    from generator.i18n.tools import write_catalog

    write_catalog(po_path(project, "content", "ar"), arabic, "content")
    update(project, ["ar"])
    again = read_catalog(po_path(project, "content", "ar"))
    assert again.get(first.id, context=first.context).string == "مكتوب"


def test_status_counts_variants_apart_from_the_messages(tmp_path: Path) -> None:
    project = find_project(REPO)
    written, possible = variant_counts(project, "ar")["feminine"]
    assert possible > 900 and 400 < written < possible


@pytest.fixture(scope="module")
def layla_both_ways(tmp_path_factory) -> dict[str, str]:
    """The Arabic sample built as written (a woman reader) and without grammatical_gender."""
    root = tmp_path_factory.mktemp("address")
    text = (REPO / "profiles" / "layla-haddad.yaml").read_text(encoding="utf-8")
    assert "patient: feminine" in text
    (root / "feminine.yaml").write_text(text.replace("id: layla-haddad", "id: woman"), encoding="utf-8")
    plain = text.replace("id: layla-haddad", "id: default").split("grammatical_gender:")[0]
    (root / "default.yaml").write_text(plain, encoding="utf-8")
    project = find_project(REPO)
    report = build(project, [root / "feminine.yaml", root / "default.yaml"],
                   BuildOptions(output_dir=root / "out", today=TODAY, formats=frozenset({"html"}), strict=True))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return {name: (root / "out" / name / "print.html").read_text(encoding="utf-8")
            for name in ("woman", "default")}


def test_the_arabic_sample_speaks_to_a_woman_and_the_default_to_a_man(layla_both_ways: dict[str, str]) -> None:
    assert "تشعرين" in layla_both_ways["woman"]
    assert "تشعرين" not in layla_both_ways["default"]
    assert "تشعر " in layla_both_ways["default"]
