"""Build handbooks: read and check every input first, then lay out and write.

One profile's handbook is a pure function of (profile, library, templates,
today). A batch whose every input is unchanged since it was last built is settled from
the output folder's record (output.batches) without loading anything else. Otherwise
`build.handbooks.build_checked` reads the library once, checks every profile, and builds the
good ones whose inputs changed (output.cache), in worker processes, one per core
(workers.pool). A bad profile fails alone; the report says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.build.options import FORMATS, BuildOptions, BuildReport, Outcome, Progress
from generator.errors import display_path
from generator.output import batches
from generator.output.batches import Settled, batch_key, record, recorded
from generator.output.cache import shared_digest
from generator.output.folder import sweep
from generator.output.fonts import sweep as sweep_font_folders
from generator.project import Project, output_problem, profile_paths

__all__ = ["FORMATS", "BuildOptions", "BuildReport", "Outcome", "Progress", "build"]


def build(project: Project, targets: Sequence[Path], options: BuildOptions,
          progress: Progress | None = None) -> BuildReport:
    """Check the library, templates and every profile, then build each good profile.

    Profiles are checked one by one and each good, changed one is handed to a worker as
    soon as it is checked; `progress` hears of every outcome as it is settled.
    """
    if problem := output_problem(project, options.output_dir):
        raise problem
    sweep(options.output_dir)  # what builds killed before (SIGKILL, power loss) left behind
    sweep_font_folders()  # and WeasyPrint font files in TMPDIR
    batches.sweep(options.output_dir)  # and a batch record half-written
    paths = profile_paths(targets, project)
    shared = shared_digest(project)
    key = batch_key(project, paths, options.settings, options.expected_files, shared)
    if key is not None and not options.force and (known := recorded(options.output_dir, key, options.expected_files)):
        return _replayed(known, options, len(paths), progress)
    # Imported here: a batch settled from its record needs none of the stages, which are most of its time.
    from generator.build.handbooks import build_checked

    report, checked = build_checked(project, paths, options, shared, progress)
    if key is not None and report.outcomes and not report.failed and all(o.source in checked for o in report.outcomes):
        record(options.output_dir, key, [checked[o.source] for o in report.outcomes], options.group_readable)
    return report


def _replayed(known: Sequence[Settled], options: BuildOptions, count: int, progress: Progress | None) -> BuildReport:
    """The outcomes of a batch settled from its record: each handbook up to date, with its warnings."""
    outcomes = tuple(Outcome(handbook.source, handbook.profile_id,
                             display_path(options.output_dir / handbook.profile_id),
                             up_to_date=True, warnings=handbook.warnings) for handbook in known)
    for outcome in outcomes:
        if progress is not None:
            progress(outcome, count)
    return BuildReport(outcomes)
