"""The issue-12 benchmark: every speed and memory goal, as ratios, in one run (a few minutes).

    python3 benchmarks/run.py [--batch 10] [--synthetic 1000] [--memory 60]

Each figure is whole processes timed from outside (wall clock), so imports count as they do
for a clinician. Ratios, not seconds, are what to compare between machines:

  per-handbook cost in a batch / bare `weasyprint print.html out.pdf`   goal <= 0.95
  --jobs 2 / --jobs 1 speed-up (PDF batch)                               goal >= 1.85 on 2 cores
  no-change rebuild / full build                                         goal <= 2%
  after one module changes: handbooks rebuilt / handbooks that use it    goal: equal
  HTML-only batch of --synthetic handbooks on 2 workers (seconds)         goal <= 40 s for 1,000
  peak memory of a PDF batch's workers, 10 vs --memory handbooks         goal <= 150 MiB, flat
  `validate` imports WeasyPrint                                          goal: no
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
sys.path.insert(0, str(REPO))


def copies(folder: Path, count: int) -> list[Path]:
    """`count` profiles made from the samples in turn, each with its own id and reader's name.

    Each reader has another name, as patients do, so a handbook's text is not its sample's: what
    a batch may share between handbooks (markdown of a text that names no one) is measured as
    it would be in a clinic, not flattered by copies.
    """
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted((REPO / "profiles").glob("*.yaml"))
    made = []
    for n in range(count):
        text = samples[n % len(samples)].read_text(encoding="utf-8")
        old = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
        name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("preferred_name:"))
        suffix = chr(ord("a") + n % 26) + chr(ord("a") + n // 26 % 26) + chr(ord("a") + n // 676 % 26)
        text = text.replace(f"id: {old}", f"id: {old}-{n}").replace(f"preferred_name: {name}",
                                                                    f"preferred_name: {name}{suffix}")
        path = folder / f"p{n:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def run(*args: str, cwd: Path = REPO) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def handbook(*args: str) -> float:
    return run("-m", "generator", "--project", str(REPO), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=10, help="PDF handbooks per batch (default 10)")
    parser.add_argument("--synthetic", type=int, default=1000, help="HTML-only handbooks (default 1000)")
    parser.add_argument("--memory", type=int, default=60,
                        help="PDF handbooks in the batch whose workers' peak memory is measured (default 60)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        batch = copies(tmp / "batch", args.batch)
        out = tmp / "out"
        common = ("-o", str(out), "--today", TODAY, "--force")
        handbook("build", str(batch[0]), *common, "-j", "1")  # warm the disk cache
        serial = handbook("build", str(tmp / "batch"), *common, "-j", "1")
        parallel = handbook("build", str(tmp / "batch"), *common, "-j", "2")
        unchanged = handbook("build", str(tmp / "batch"), "-o", str(out), "--today", TODAY, "-j", "2")
        bare = sum(run("-m", "weasyprint", str(out / profile_id(p) / "print.html"), str(tmp / "bare.pdf"))
                   for p in batch)
        print(f"per-handbook cost, batch of {args.batch} (--jobs 1) / bare weasyprint: {serial / bare:.2f}"
              "  (goal <= 0.95)")
        print(f"--jobs 2 speed-up over --jobs 1: {serial / parallel:.2f}x  (goal >= 1.85)")
        print(f"no-change rebuild / full build (--jobs 2): {unchanged / parallel:.1%}  (goal <= 2%)")
        print(one_module_changed(tmp))
        synthetic = tmp / "synthetic"
        copies(synthetic, args.synthetic)
        html = handbook("build", str(synthetic), "-o", str(tmp / "html"), "--today", TODAY, "--format", "html",
                        "-j", "2")
        print(f"HTML-only batch of {args.synthetic} on 2 workers: {html:.1f} s  (goal <= 40 s for 1,000)")
        print(memory(tmp, args.memory))
        print(validate_imports())


def profile_id(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))


def one_module_changed(tmp: Path) -> str:
    """Edit one module in a copy of the project; count what the next build lays out again."""
    import datetime as dt

    from generator.build import BuildOptions, build
    from generator.check import check_profile
    from generator.content.library import load_library
    from generator.project import find_project

    root = tmp / "project"
    for name in ("content", "templates", "profiles"):
        shutil.copytree(REPO / name, root / name)
    copies(root / "profiles", 20)
    for sample in (root / "profiles").glob("[!p]*.yaml"):
        sample.unlink()
    today = dt.date.fromisoformat(TODAY)
    options = BuildOptions(output_dir=tmp / "changed", formats=frozenset({"html"}), today=today, jobs=2)
    build(find_project(root), [root / "profiles"], options)
    library = load_library(root / "content")
    outlines = [check_profile(p, library, today)[1] for p in sorted((root / "profiles").glob("*.yaml"))]
    users: dict[str, int] = {}
    for outline in outlines:
        for module in outline.modules:
            users[module.id] = users.get(module.id, 0) + 1
    module_id = min((m for m, n in users.items() if n < len(outlines)), key=lambda m: users[m])
    path = next((root / "content").glob(f"*/{module_id}.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    report = build(find_project(root), [root / "profiles"], options)
    rebuilt = sum(1 for o in report.outcomes if not o.up_to_date)
    return (f"after editing module {module_id} (used by {users[module_id]} of {len(outlines)} handbooks): "
            f"{rebuilt} rebuilt  (goal: {users[module_id]})")


MEMORY_PROBE = """
import datetime as dt, resource, sys
from pathlib import Path
from generator.build import BuildOptions, build
from generator.project import find_project
options = BuildOptions(output_dir=Path(sys.argv[2]), today=dt.date.fromisoformat(sys.argv[3]), force=True, jobs=2)
report = build(find_project(Path(sys.argv[1])), [Path(sys.argv[4])], options)
assert not report.failed, report.failed
print(len(report.outcomes), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def memory(tmp: Path, count: int) -> str:
    """The peak memory of the workers of a PDF batch (--jobs 2), after 10 handbooks and after `count`.

    Every process the batch started is counted, the children workers lay handbooks out in
    included (getrusage RUSAGE_CHILDREN: the largest peak resident set of any of them)."""
    rows = []
    for size in (10, count):
        folder = tmp / f"memory-{size}"
        copies(folder, size)
        said = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(REPO), str(tmp / f"mem-out-{size}"), TODAY,
                               str(folder)], cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
        rows.append((int(said[0]), float(said[1])))
    (n1, peak1), (n2, peak2) = rows
    return (f"worker memory (PDF batch, --jobs 2): peak {max(peak1, peak2):.0f} MiB (goal <= 150); {peak1:.0f} MiB "
            f"over {n1} handbooks, {peak2:.0f} MiB over {n2}: {(peak2 - peak1) / (n2 - n1):+.2f} MiB per handbook "
            "(goal: flat)")


def validate_imports() -> str:
    probe = ("import runpy, sys; sys.argv = ['handbook', 'validate', 'profiles/']\n"
             "try:\n    runpy.run_module('generator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('weasyprint' in sys.modules)")
    start = time.perf_counter()
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True).stdout.split()[-1]
    took = time.perf_counter() - start
    return f"validate imports WeasyPrint: {'yes' if loaded == 'True' else 'no'}  (goal: no); validate took {took:.2f} s"


if __name__ == "__main__":
    main()
