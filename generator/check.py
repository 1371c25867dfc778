"""Read and check every input of a batch before anything is laid out.

The profiles named (files, or folders of them), the templates a build needs, and each
profile with its topic names and module selection (whose conditions can fail). This is
all `validate` needs, so it imports nothing of rendering, layout or the worker pool:
`validate` starts fast and never loads WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from generator.content.conditions import ConditionError
from generator.content.library import Library, resolve_topic_names
from generator.content.select import Outline, select_modules
from generator.errors import Diagnostic, InputError, display_path
from generator.plans.checks import plan_warnings
from generator.profile.country import country_names
from generator.profile.limits import MAX_FILE_BYTES
from generator.profile.load import invalid_profile, load_profile, parse_profile
from generator.profile.model import Profile
from generator.profile.safety import call_if_warnings
from generator.project import Project, template_search_path

REQUIRED_TEMPLATES = ("layout.html", "index.html", "chapter.html", "print.html")


def check_templates(project: Project) -> None:
    search = template_search_path(project.templates_dir)
    missing = [name for name in REQUIRED_TEMPLATES if not any((d / name).is_file() for d in search)]
    if missing:
        raise InputError(f"templates folder {display_path(project.templates_dir)} lacks {', '.join(missing)}")


def check_profile(path: Path, library: Library, today: dt.date | None = None,
                  root: Path | None = None) -> tuple[Profile, Outline]:
    """Load a profile, check its topic names, and select its modules, once (conditions can fail).

    `today` dates the review of the service table's numbers (default: the real today); `root`, the
    project folder, is where a profile reached through a symbolic link must lie.
    """
    profile = load_profile(path, known_countries=library.services.calling_codes, root=root)
    return check_loaded(profile, library, today)


def check_profile_text(text: str, source: str, library: Library,
                       today: dt.date | None = None) -> tuple[Profile, Outline]:
    """`check_profile` on text not yet saved (the studio's form), reported as from `source`."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise InputError(invalid_profile(source, 1), [Diagnostic(
            source, None, None, "", f"the profile is too large (at most {MAX_FILE_BYTES:,} bytes)")])
    profile = parse_profile(text, source, known_countries=library.services.calling_codes)
    return check_loaded(profile, library, today)


def check_loaded(profile: Profile, library: Library, today: dt.date | None = None) -> tuple[Profile, Outline]:
    """The checks a loaded profile still needs: topic names, module selection, plan and number warnings."""
    problems = (resolve_topic_names(profile.topics.include, library, profile.source, "topics.include", profile.places)
                + resolve_topic_names(profile.topics.exclude, library, profile.source, "topics.exclude",
                                      profile.places))
    if problems:
        raise InputError(invalid_profile(profile.source, len(problems)), problems)
    try:
        outline = select_modules(profile, library)
    except ConditionError as error:
        raise error.as_input_error(profile.source) from None
    later = [*plan_warnings(profile),  # a goal no plan serves, two starting points: the plans tell
             *call_if_warnings(profile, outline.services.emergency,  # an emergency under "Call the clinic if"
                               outline.services.recognised),
             *_overdue_numbers(profile, library, today or dt.date.today())]
    if later:
        ordered = sorted((*profile.warnings, *later), key=lambda d: (d.line or 0, d.column or 0))
        profile = dataclasses.replace(profile, warnings=tuple(ordered))
    return profile, outline


def _overdue_numbers(profile: Profile, library: Library, today: dt.date) -> list[Diagnostic]:
    """A warning at clinic.country when the service table's row for it is past its review date."""
    row = library.services.row(profile.clinic.country)
    if row is None or row.review_by >= today:
        return []
    path = "clinic.country"
    line, column = profile.places.get(path, (None, None))
    where = f"{row.path}:{row.line}" if row.line else row.path
    return [Diagnostic(
        profile.source, line, column, path,
        f"the numbers for {row.country} ({country_names().get(row.country, row.country)}) were last checked on "
        f"{row.checked.isoformat()} and were due for review on {row.review_by.isoformat()} ({where}): "
        "a clinician should check them before this handbook is handed over")]
