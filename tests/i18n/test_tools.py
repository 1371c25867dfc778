"""The translators' tools against the repository: the committed catalogues hold what the code and content say."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from helpers import REPO

from generator.content.library import load_library
from generator.i18n.catalogs import read_catalog
from generator.i18n.tools import extract_content, extract_ui
from generator.project import find_project


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(str(m.id), m.context) for m in catalog if m.id}


@pytest.fixture(scope="module")
def fresh() -> dict[str, Catalog]:
    project = find_project(REPO)
    return {"templates/locale/messages.pot": extract_ui(project),
            "content/locale/content.pot": extract_content(load_library(project.content_dir))}


@pytest.mark.parametrize("pot", ["templates/locale/messages.pot", "content/locale/content.pot"])
def test_the_committed_templates_are_up_to_date(pot: str, fresh: dict[str, Catalog]) -> None:
    committed, now = _keys(read_catalog(REPO / pot)), _keys(fresh[pot])
    assert committed == now, (f"{pot} is stale: run `handbook i18n extract && handbook i18n update`; "
                              f"new: {sorted(now - committed)[:5]}, gone: {sorted(committed - now)[:5]}")


@pytest.mark.parametrize("po", sorted(str(p.relative_to(REPO)) for p in REPO.glob("*/locale/*/LC_MESSAGES/*.po")))
def test_every_catalogue_has_every_message_of_its_template(po: str, fresh: dict[str, Catalog]) -> None:
    pot = "templates/locale/messages.pot" if po.startswith("templates/") else "content/locale/content.pot"
    missing = _keys(fresh[pot]) - _keys(read_catalog(REPO / po))
    assert not missing, f"{po} lacks {len(missing)} messages: run `handbook i18n update`; e.g. {sorted(missing)[:3]}"
