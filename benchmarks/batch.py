"""Batch build speed: one process versus the worker pool, measured in one run.

Reports ratios, not seconds, because machines are noisy:
  - pool speed-up: serial time / pool time for the sample profiles (DESIGN.md expects ~1.85 on 2 cores);
  - HTML-only share: time of an HTML-only build / time of a full build (the PDF is ~98% of the work);
  - unchanged share: time of a rebuild whose inputs did not change / time of a full build.

Usage: python benchmarks/batch.py [--copies N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from generator.build import BuildOptions, build
from generator.project import find_project

REPO = Path(__file__).resolve().parent.parent


def timed(project, targets, out: Path, keep: bool = False, **options) -> float:
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    report = build(project, targets, BuildOptions(output_dir=out, today=dt.date(2026, 11, 23), **options))
    elapsed = time.perf_counter() - start
    assert report.exit_code == 0, [o.error for o in report.failed]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=2, help="copies of each sample profile (more = steadier)")
    args = parser.parse_args()
    project = find_project(REPO)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "profiles"
        folder.mkdir()
        for n in range(args.copies):
            for sample in sorted((REPO / "profiles").glob("*.yaml")):
                text = sample.read_text(encoding="utf-8")
                old_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
                (folder / f"{n}-{sample.name}").write_text(text.replace(f"id: {old_id}", f"id: {old_id}-{n}"), encoding="utf-8")
        out = Path(tmp) / "out"
        timed(project, [folder], out, jobs=1)  # warm imports, fonts and caches
        serial = timed(project, [folder], out, jobs=1)
        pool = timed(project, [folder], out, jobs=0)
        html_only = timed(project, [folder], out, jobs=1, formats=frozenset({"html"}))
        timed(project, [folder], out, jobs=1)
        unchanged = timed(project, [folder], out, keep=True, jobs=1)
    count = len(list((REPO / "profiles").glob("*.yaml"))) * args.copies
    print(f"handbooks: {count}")
    print(f"pool speed-up (serial / pool): {serial / pool:.2f}x")
    print(f"HTML-only share of a full build: {html_only / serial:.1%}")
    print(f"unchanged-rebuild share of a full build: {unchanged / serial:.1%}")


if __name__ == "__main__":
    main()
