"""The body map SVG: well-formed, a region for every area, shading exactly the given areas."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from generator.plans.bodymap import AREA_LABELS, body_map_svg
from generator.profile.model import AREAS

SVG = "{http://www.w3.org/2000/svg}"


def render(areas, **kwargs) -> ET.Element:
    args = {"labels": AREA_LABELS, "front_label": "Front", "back_label": "Back", "title": "Where it hurts"}
    return ET.fromstring(body_map_svg(areas, **{**args, **kwargs}))


def regions(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("data-area") and "area" in e.get("class", "").split()]


def shaded(root: ET.Element) -> set[str]:
    return {e.get("data-area") for e in regions(root) if "affected" in e.get("class", "").split()}


def view(root: ET.Element, name: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("class") == f"view {name}")


def test_accessible_and_scalable() -> None:
    root = render([])
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Where it hurts"
    assert root.get("viewBox") and root.get("width") == "100%"


def test_every_area_has_a_region() -> None:
    assert {e.get("data-area") for e in regions(render([]))} == set(AREAS)


def test_region_ids_are_unique_and_stable() -> None:
    ids = [e.get("id") for e in regions(render([]))]
    assert len(ids) == len(set(ids))
    assert "bodymap-front-left-hand" in ids and "bodymap-back-left-hand" in ids


@pytest.mark.parametrize(
    "areas",
    [
        [],
        ["left-hand", "left-forearm"],
        ["head"],
        ["lower-back", "right-knee", "face", "pelvis"],
        list(AREAS),
    ],
)
def test_shades_exactly_the_given_areas(areas: list[str]) -> None:
    root = render(areas)
    assert shaded(root) == set(areas)
    legend = [t.get("data-legend") for t in root.iter(f"{SVG}text") if t.get("class") == "legend-label"]
    assert sorted(legend) == sorted(areas)


def test_views_show_their_own_areas() -> None:
    front = {e.get("data-area") for e in regions(view(render([]), "front"))}
    back = {e.get("data-area") for e in regions(view(render([]), "back"))}
    assert {"face", "chest", "abdomen", "pelvis"} <= front - back
    assert {"upper-back", "lower-back"} <= back - front
    limbs = {a for a in AREAS if a.startswith(("left-", "right-"))}
    assert limbs <= front & back  # shaded on both views


def test_limbs_are_shaded_on_both_views() -> None:
    root = render(["left-hand"])
    hits = [e for e in regions(root) if "affected" in e.get("class", "").split()]
    assert sorted(e.get("id") for e in hits) == ["bodymap-back-left-hand", "bodymap-front-left-hand"]


def _centre_x(root: ET.Element, element_id: str) -> float:
    element = next(e for e in root.iter() if e.get("id") == element_id)
    xs = [float(x) for x, _ in re.findall(r"(-?[\d.]+),(-?[\d.]+)", element.get("d"))]
    return sum(xs) / len(xs)


def test_left_is_the_persons_left() -> None:
    root = render([])
    # Front view: the person faces us, so their left hand is on our right.
    assert _centre_x(root, "bodymap-front-left-hand") > 0 > _centre_x(root, "bodymap-front-right-hand")
    # Back view: we see their back, so their left hand is on our left.
    assert _centre_x(root, "bodymap-back-left-hand") < 0 < _centre_x(root, "bodymap-back-right-hand")


def test_labels_come_from_the_caller_and_are_escaped() -> None:
    nasty = '<script>alert(1)</script> & "x"'
    svg = body_map_svg(
        ["left-hand"], labels={**AREA_LABELS, "left-hand": nasty}, front_label=nasty, back_label=nasty,
        title=nasty, left_label=nasty, right_label="Derecha",
    )
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    all_text = [t.text for t in root.iter(f"{SVG}text")]
    assert all_text.count(nasty) == 5  # legend, both view titles, "left" under each view
    assert "Derecha" in all_text
    assert root.find(f"{SVG}title").text == nasty


def test_default_labels() -> None:
    assert AREA_LABELS["left-hand"] == "left hand"
    assert AREA_LABELS["upper-back"] == "upper back"
    assert set(AREA_LABELS) == set(AREAS)


def test_unknown_area_is_an_error() -> None:
    with pytest.raises(ValueError, match="elbow"):
        body_map_svg(["left-elbow"], labels=AREA_LABELS, front_label="F", back_label="B", title="T")


def test_font_family_inherits_unless_given() -> None:
    assert render([]).get("font-family") == "inherit"
    assert render([], font_family='"Atkinson Hyperlegible", sans-serif').get("font-family") == (
        '"Atkinson Hyperlegible", sans-serif'
    )
