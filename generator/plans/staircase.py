"""The pacing staircase: one step per week, the week's target written on it.

A picture of "a little more each week" that survives a black-and-white printer:
strong outline, light fill, large numbers. The SVG has a viewBox and width 100%,
so it fits a phone screen and an A4 page alike; text inherits the page's font.
Every piece of text is escaped: activity names come from the profile.
"""

from __future__ import annotations

from html import escape

from generator.plans.compute import ActivityPlan

WIDTH = 640
PLOT_TOP = 44  # room for the unit label above the tallest step
PLOT_BOTTOM = 250  # the floor the steps stand on
LEFT, RIGHT = 12, 12
MIN_STEP = 34  # the lowest step still holds its number
MAX_STEP_W = 96

INK = "#222"
FILL = "#dfe9f3"  # light blue on screen, a pale grey on paper
RULE = "#8a8a8a"


def staircase_svg(
    plan: ActivityPlan, *, title: str, week_label: str, unit_label: str, font_family: str = "inherit"
) -> str:
    """An accessible SVG staircase of `plan`'s weekly targets.

    Browsers let "inherit" take the page's font; WeasyPrint does not, so a PDF build
    passes the page's font stack as `font_family`.
    """
    targets = plan.targets
    n = max(len(targets), 1)
    step_w = min(MAX_STEP_W, (WIDTH - LEFT - RIGHT) / n)  # a short plan stays step-shaped
    week_size = min(18.0, step_w * 0.6)
    top = max(targets, default=1)
    height = PLOT_BOTTOM + 62
    digits = max((len(str(t)) for t in targets), default=1)
    number_size = min(26.0, step_w * 0.42, (step_w - 8) / (0.72 * digits))  # fits inside its step

    def step_top(target: int) -> float:
        usable = PLOT_BOTTOM - PLOT_TOP - MIN_STEP
        return PLOT_BOTTOM - MIN_STEP - usable * target / top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="staircase" font-family="{escape(font_family)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_describe(plan, week_label, unit_label))}</desc>",
        f'<text x="{LEFT}" y="{PLOT_TOP - 18}" font-size="18" fill="{INK}" class="unit">{escape(unit_label)}</text>',
    ]
    outline = [f"M{LEFT},{PLOT_BOTTOM}"]
    for i, target in enumerate(targets):
        x, y = LEFT + i * step_w, step_top(target)
        out.append(
            f'<rect class="step" data-week="{i + 1}" x="{_f(x)}" y="{_f(y)}" width="{_f(step_w)}" '
            f'height="{_f(PLOT_BOTTOM - y)}" fill="{FILL}" stroke="{RULE}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_f(x + step_w / 2)}" y="{_f(y + number_size + 6)}" text-anchor="middle" '
            f'font-size="{_f(number_size)}" font-weight="bold" fill="{INK}" class="target">{target}</text>'
        )
        out.append(
            f'<text x="{_f(x + step_w / 2)}" y="{PLOT_BOTTOM + 24}" text-anchor="middle" font-size="{_f(week_size)}" '
            f'fill="{INK}" class="week">{i + 1}</text>'
        )
        outline.append(f"V{_f(y)}H{_f(x + step_w)}")
    outline.append(f"V{PLOT_BOTTOM}Z")
    out.append(f'<path class="outline" d="{"".join(outline)}" fill="none" stroke="{INK}" '
               f'stroke-width="2.5" stroke-linejoin="round"/>')
    out.append(
        f'<text x="{_f(LEFT + n * step_w / 2)}" y="{PLOT_BOTTOM + 52}" text-anchor="middle" font-size="18" '
        f'fill="{INK}" class="week-label">{escape(week_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _describe(plan: ActivityPlan, week_label: str, unit_label: str) -> str:
    """The same numbers as text, for screen readers: 'Walking: Week 1: 9 minutes; ...'."""
    weeks = "; ".join(f"{week_label} {w.number}: {w.target} {unit_label}" for w in plan.weeks)
    return f"{plan.name}: {weeks}"


def _f(value: float) -> str:
    """Short, stable number formatting: same plan, same bytes."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


NARROW_WIDTH = 320  # about a phone's width in CSS pixels, so words are drawn near their own size
ROW = 34
ROWS_TOP = 34  # room for the header line: "Week" over the week numbers, the unit at the end
BAR_START = 46
BAR_END = NARROW_WIDTH - 52  # room after the longest bar for its number
LABEL_SIZE = 17


def staircase_rows_svg(
    plan: ActivityPlan, *, title: str, week_label: str, unit_label: str, font_family: str = "inherit"
) -> str:
    """The same weekly targets for a phone: one bar a week, top to bottom, its number after it.

    A staircase of many weeks shrinks its words to nothing on a 320 px screen; rows grow
    downwards instead, so every word keeps its size however many weeks the plan has.
    The website shows this one on narrow screens only (site.css); paper has the staircase.
    Its numbers run left to right in a right-to-left page too (direction="ltr"), as on the staircase.
    """
    targets = plan.targets
    top = max(targets, default=1)
    height = ROWS_TOP + ROW * max(len(targets), 1) + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {NARROW_WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="staircase staircase-narrow" direction="ltr" '
        f'font-family="{escape(font_family)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_describe(plan, week_label, unit_label))}</desc>",
        f'<text x="4" y="{ROWS_TOP - 12}" font-size="{LABEL_SIZE}" fill="{INK}" class="week-label">'
        f"{escape(week_label)}</text>",
        f'<text x="{NARROW_WIDTH - 4}" y="{ROWS_TOP - 12}" text-anchor="end" font-size="{LABEL_SIZE}" fill="{INK}" '
        f'class="unit">{escape(unit_label)}</text>',
    ]
    for i, target in enumerate(targets):
        y = ROWS_TOP + i * ROW
        length = max(4.0, (BAR_END - BAR_START) * target / top)
        out.append(f'<text x="{BAR_START - 12}" y="{y + 23}" text-anchor="end" font-size="{LABEL_SIZE}" '
                   f'fill="{INK}" class="week">{i + 1}</text>')
        out.append(f'<rect class="step" data-week="{i + 1}" x="{BAR_START}" y="{y + 4}" width="{_f(length)}" '
                   f'height="{ROW - 8}" fill="{FILL}" stroke="{INK}" stroke-width="1.5"/>')
        out.append(f'<text x="{_f(BAR_START + length + 8)}" y="{y + 23}" font-size="{LABEL_SIZE + 1}" '
                   f'font-weight="bold" fill="{INK}" class="target">{target}</text>')
    out.append("</svg>")
    return "\n".join(out)
