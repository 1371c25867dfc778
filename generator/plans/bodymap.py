"""The body map: where it hurts, on a front and a back outline of a person.

Drawn as SVG from hand-placed regions, one per area of `model.AREAS`, so the map
shades exactly the profile's areas. Each region carries `data-area` and the class
`area` (plus `affected` when shaded), for tests and for page CSS. Shading is a red
hatch on pale red: it still reads on a black-and-white printer. All text is passed
in by the caller (translatable) and escaped here.

Left and right are the person's: in the front view their left is on the viewer's
right; in the back view it is on the viewer's left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from generator.profile.model import AREAS

AREA_LABELS: dict[str, str] = {area: area.replace("-", " ") for area in AREAS}

# --- geometry ---------------------------------------------------------------------------------
# Figure coordinates: x = 0 on the body's midline, negative x on the viewer's left; y down.
# A shape is a start point followed by segments ("L", p), ("Q", c, p) or ("C", c1, c2, p).

Point = tuple[float, float]
Segment = tuple[str, Point] | tuple[str, Point, Point] | tuple[str, Point, Point, Point]
Shape = tuple[Point, tuple[Segment, ...]]


def _shape(start: Point, *segments: Segment) -> Shape:
    return start, segments


def _mirror_point(p: Point) -> Point:
    return (-p[0], p[1])


def _segment(kind: str, points: Sequence[Point]) -> Segment:
    """A segment of `kind` through `points`: any control points, then the end point."""
    if len(points) == 1:
        return (kind, points[0])
    if len(points) == 2:
        return (kind, points[0], points[1])
    if len(points) == 3:
        return (kind, points[0], points[1], points[2])
    raise ValueError(f"a segment has 1 to 3 points, not {len(points)}")


def _mirror(shape: Shape) -> Shape:
    start, segments = shape
    return _mirror_point(start), tuple(_segment(s[0], [_mirror_point(p) for p in s[1:]]) for s in segments)


def _symmetric(start: Point, *segments: Segment) -> Shape:
    """A shape symmetric about the midline, from its viewer-left half (top to bottom)."""
    points = [start] + [s[-1] for s in segments]
    back: list[Segment] = [("L", _mirror_point(points[-1]))]
    for i in range(len(segments) - 1, -1, -1):
        kind, rest = segments[i][0], segments[i][1:]
        controls = [_mirror_point(p) for p in reversed(rest[:-1])]
        back.append(_segment(kind, [*controls, _mirror_point(points[i])]))
    return start, (*segments, *back)


def _d(shape: Shape) -> str:
    start, segments = shape
    parts = [f"M{_xy(start)}"] + [f"{s[0]}{' '.join(_xy(p) for p in s[1:])}" for s in segments]
    return " ".join(parts) + " Z"


def _xy(p: Point) -> str:
    return f"{p[0]:g},{p[1]:g}"


# Named joints (viewer-left side), so neighbouring regions share their edges exactly.
NECK_BASE, TRAP, ARMPIT = (-12, 84), (-32, 90), (-38, 122)
CHEST_SIDE, WAIST_SIDE, HIP_TOP = (-36, 150), (-35, 207), (-22, 207)
THIGH_OUT, GROIN, HIP_SPLIT = (-40, 244), (-3, 262), (-26, 251)
KNEE_OUT, KNEE_IN, SHIN_OUT, SHIN_IN = (-35, 334), (-10, 334), (-34, 358), (-11, 358)
ANKLE_OUT, ANKLE_IN = (-28, 424), (-15, 424)
ARM_TOP, ELBOW_OUT, ELBOW_IN = (-57, 112), (-64, 190), (-50, 192)
WRIST_OUT, WRIST_IN = (-73, 262), (-62, 263)

SHOULDER = _shape(TRAP, ("C", (-46, 88), (-56, 96), ARM_TOP), ("L", ARMPIT), ("Q", (-31, 108), TRAP))
UPPER_ARM = _shape(ARM_TOP, ("Q", (-63, 150), ELBOW_OUT), ("L", ELBOW_IN), ("Q", (-44, 160), ARMPIT))
FOREARM = _shape(ELBOW_OUT, ("Q", (-70, 215), WRIST_OUT), ("L", WRIST_IN), ("Q", (-57, 225), ELBOW_IN))
HAND = _shape(
    WRIST_IN,
    ("C", (-60, 280), (-61, 296), (-66, 303)),
    ("Q", (-71, 308), (-76, 302)),
    ("C", (-79, 296), (-79, 290), (-78, 284)),
    ("Q", (-82, 288), (-85, 283)),
    ("Q", (-82, 272), WRIST_OUT),
)
HIP_FRONT = _shape(WAIST_SIDE, ("Q", (-38, 222), THIGH_OUT), ("L", HIP_SPLIT), ("L", HIP_TOP))
HIP_BACK = _shape(WAIST_SIDE, ("Q", (-38, 222), THIGH_OUT), ("L", GROIN), ("L", (0, 262)), ("L", (0, 207)))
THIGH = _shape(THIGH_OUT, ("Q", (-44, 288), KNEE_OUT), ("L", KNEE_IN), ("Q", (-5, 300), GROIN))
KNEE = _shape(KNEE_OUT, ("Q", (-36, 346), SHIN_OUT), ("L", SHIN_IN), ("Q", (-9, 346), KNEE_IN))
LOWER_LEG = _shape(SHIN_OUT, ("C", (-38, 372), (-34, 400), ANKLE_OUT), ("L", ANKLE_IN),
                   ("C", (-13, 400), (-10, 372), SHIN_IN))
FOOT_FRONT = _shape(ANKLE_OUT, ("Q", (-33, 434), (-36, 442)), ("Q", (-37, 449), (-30, 449)),
                    ("L", (-12, 449)), ("Q", (-9, 447), (-11, 438)), ("L", ANKLE_IN))
FOOT_BACK = _shape(ANKLE_OUT, ("Q", (-31, 440), (-26, 448)), ("L", (-16, 448)), ("Q", (-12, 440), ANKLE_IN))

NECK = _symmetric((-10, 62), ("L", NECK_BASE))
CHEST = _symmetric(NECK_BASE, ("Q", (-22, 84), TRAP), ("Q", (-31, 108), ARMPIT), ("Q", (-38, 138), CHEST_SIDE))
ABDOMEN = _symmetric(CHEST_SIDE, ("Q", (-31, 170), (-32, 188)), ("Q", (-33, 198), WAIST_SIDE))
PELVIS = _symmetric(HIP_TOP, ("L", HIP_SPLIT), ("L", GROIN))


@dataclass(frozen=True)
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float


@dataclass(frozen=True)
class RawPath:
    d: str


HEAD = Ellipse(0, 40, 24, 29)
EARS = (Ellipse(-23.5, 45, 4.5, 7.5), Ellipse(23.5, 45, 4.5, 7.5))
# The face: the head's outline below a hairline, so the hair left above it reads as "head".
FACE = RawPath("M-22.5,30 Q-12,19 0,21 Q12,19 22.5,30 A24,29 0 1,1 -22.5,30 Z")

Region = tuple[str, str, Shape | Ellipse | RawPath]  # (area, id suffix, geometry)


def _sided(near: str, far: str, shape: Shape, part: str) -> list[Region]:
    """A limb region on both sides: `near` is the side drawn on the viewer's left."""
    return [(f"{near}-{part}", f"{near}-{part}", shape), (f"{far}-{part}", f"{far}-{part}", _mirror(shape))]


def _limbs(near: str, far: str, hip: Shape, foot: Shape) -> list[Region]:
    regions: list[Region] = []
    for part, shape in (("shoulder", SHOULDER), ("upper-arm", UPPER_ARM), ("forearm", FOREARM),
                        ("hand", HAND), ("hip", hip), ("thigh", THIGH), ("knee", KNEE),
                        ("lower-leg", LOWER_LEG), ("foot", foot)):
        regions += _sided(near, far, shape, part)
    return regions


def _view(torso: list[Region], near: str, far: str, hip: Shape, foot: Shape, face: bool) -> list[Region]:
    """Drawing order matters: the head covers the top of the neck."""
    head: list[Region] = [("head", f"head-ear-{i + 1}", ear) for i, ear in enumerate(EARS)]
    head += [("neck", "neck", NECK), ("head", "head", HEAD)]
    if face:
        head.append(("face", "face", FACE))
    return head + torso + _limbs(near, far, hip, foot)


FRONT: list[Region] = _view(
    [("chest", "chest", CHEST), ("abdomen", "abdomen", ABDOMEN), ("pelvis", "pelvis", PELVIS)],
    near="right", far="left", hip=HIP_FRONT, foot=FOOT_FRONT, face=True,
)
BACK: list[Region] = _view(
    [("upper-back", "upper-back", CHEST), ("lower-back", "lower-back", ABDOMEN)],
    near="left", far="right", hip=HIP_BACK, foot=FOOT_BACK, face=False,
)

# --- drawing ----------------------------------------------------------------------------------

WIDTH = 520
FIGURE_TOP = 44
FRONT_X, BACK_X = 130, 390
FEET_LABEL_Y = 472  # in figure coordinates
FIGURE_BOTTOM = FIGURE_TOP + FEET_LABEL_Y
LEGEND_TOP = FIGURE_BOTTOM + 22
LEGEND_ROW = 28
INK, PLAIN_FILL, PLAIN_STROKE = "#222", "#f2f2f2", "#9a9a9a"
HURT_FILL, HURT_LINE, HURT_STROKE = "#f7cfc6", "#b3261e", "#8c1d18"


def body_map_svg(
    areas: Sequence[str],
    *,
    labels: Mapping[str, str] = AREA_LABELS,
    front_label: str = "Front",
    back_label: str = "Back",
    title: str = "Body map",
    left_label: str = "Left",
    right_label: str = "Right",
    id_prefix: str = "bodymap",
    font_family: str = "inherit",
) -> str:
    """Front and back outlines with exactly `areas` shaded and listed in a legend below.

    `id_prefix` keeps element ids unique when one page holds more than one map.
    `font_family`: "inherit" works in browsers; WeasyPrint needs the page's font stack.
    """
    unknown = sorted(set(areas) - set(AREAS))
    if unknown:
        raise ValueError(f"unknown body areas: {', '.join(unknown)}")
    wanted = set(areas)
    hurt = [a for a in AREAS if a in wanted]  # body order, whatever the profile's order
    rows = _legend_rows(len(hurt))
    height = LEGEND_TOP + rows * LEGEND_ROW + (10 if rows else 0)
    prefix = escape(id_prefix)
    hatch = f"{prefix}-hatch"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="body-map" font-family="{escape(font_family)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(', '.join(labels.get(a, a) for a in hurt))}</desc>",
        "<defs>",
        f'<pattern id="{hatch}" patternUnits="userSpaceOnUse" width="7" height="7" '
        f'patternTransform="rotate(45)">',
        f'<rect width="7" height="7" fill="{HURT_FILL}"/>',
        f'<line x1="1.5" y1="0" x2="1.5" y2="7" stroke="{HURT_LINE}" stroke-width="2.4"/>',
        "</pattern>",
        "</defs>",
    ]
    out += _figure("front", FRONT, FRONT_X, front_label, (right_label, left_label), hurt, prefix, hatch)
    out += _figure("back", BACK, BACK_X, back_label, (left_label, right_label), hurt, prefix, hatch)
    out += _legend(hurt, labels, hatch)
    out.append("</svg>")
    return "\n".join(out)


def swatch_svg(element_id: str) -> str:
    """The map's hatch in a small box, for a legend printed beside the map (right to left)."""
    hatch = f"{escape(element_id)}-hatch"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" aria-hidden="true" viewBox="0 0 22 18" '
            f'width="22" height="18"><defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="7" '
            f'height="7" patternTransform="rotate(45)"><rect width="7" height="7" fill="{HURT_FILL}"/>'
            f'<line x1="1.5" y1="0" x2="1.5" y2="7" stroke="{HURT_LINE}" stroke-width="2.4"/></pattern></defs>'
            f'<rect x="0.7" y="0.7" width="20.6" height="16.6" rx="3" fill="url(#{hatch})" '
            f'stroke="{HURT_STROKE}" stroke-width="1.4"/></svg>')


def _figure(
    view: str, regions: list[Region], x: float, label: str, sides: tuple[str, str],
    hurt: list[str], prefix: str, hatch: str,
) -> list[str]:
    """One outline. Its silhouette is every region stroked thick underneath the regions'
    fills, so the outer edge is bold and the inner borders stay thin."""
    out = [
        f'<g class="view {view}" transform="translate({x},{FIGURE_TOP})">',
        f'<text x="0" y="-16" text-anchor="middle" font-size="20" font-weight="bold" '
        f'fill="{INK}">{escape(label)}</text>',
        *_side_labels(*sides),
        f'<g class="silhouette" fill="none" stroke="{INK}" stroke-width="3.2" stroke-linejoin="round">',
        *(_element(geometry, "") for _, _, geometry in regions),
        "</g>",
    ]
    for area, suffix, geometry in regions:
        out.append(_element(geometry, _area_attrs(area, f"{prefix}-{view}-{suffix}", area in hurt, hatch)))
    out.append("</g>")
    return out


def _side_labels(near: str, far: str) -> list[str]:
    """'Right' and 'Left' under the feet, so nobody has to work out the mirror.

    `near` is the side drawn on the viewer's left."""
    style = f'font-size="16" fill="{INK}" font-style="italic"'
    return [
        f'<text x="-8" y="{FEET_LABEL_Y}" text-anchor="end" {style}>{escape(near)}</text>',
        f'<text x="8" y="{FEET_LABEL_Y}" text-anchor="start" {style}>{escape(far)}</text>',
    ]


def _area_attrs(area: str, element_id: str, affected: bool, hatch: str) -> str:
    if affected:
        paint = f'fill="url(#{hatch})" stroke="{HURT_STROKE}" stroke-width="1.6"'
    else:
        paint = f'fill="{PLAIN_FILL}" stroke="{PLAIN_STROKE}" stroke-width="1"'
    css = "area affected" if affected else "area"
    return f'id="{element_id}" data-area="{area}" class="{css}" {paint} stroke-linejoin="round"'


def _element(geometry: Shape | Ellipse | RawPath, attrs: str) -> str:
    attrs = f" {attrs}" if attrs else ""
    if isinstance(geometry, RawPath):
        return f'<path d="{geometry.d}"{attrs}/>'
    if isinstance(geometry, Ellipse):
        g = geometry
        return f'<ellipse cx="{g.cx:g}" cy="{g.cy:g}" rx="{g.rx:g}" ry="{g.ry:g}"{attrs}/>'
    return f'<path d="{_d(geometry)}"{attrs}/>'


def _legend_rows(count: int) -> int:
    """One column for a short list (it reads as one list), two when it would get long."""
    return count if count <= 3 else (count + 1) // 2


def _legend(hurt: list[str], labels: Mapping[str, str], hatch: str) -> list[str]:
    """A swatch and a name for each shaded area, under the figures."""
    out = ['<g class="legend">'] if hurt else []
    rows = _legend_rows(len(hurt))
    for i, area in enumerate(hurt):
        column, row = divmod(i, rows)
        x, y = 40 + column * (WIDTH / 2), LEGEND_TOP + row * LEGEND_ROW
        out.append(f'<rect x="{x:g}" y="{y:g}" width="22" height="18" rx="3" fill="url(#{hatch})" '
                   f'stroke="{HURT_STROKE}" stroke-width="1.4"/>')
        out.append(f'<text x="{x + 32:g}" y="{y + 15:g}" font-size="17" fill="{INK}" '
                   f'data-legend="{area}" class="legend-label">{escape(labels.get(area, area))}</text>')
    if hurt:
        out.append("</g>")
    return out
