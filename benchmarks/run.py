"""The issue-12 benchmark: every speed and memory goal, as ratios, in one run (a few minutes).

    python3 benchmarks/run.py [--batch 10] [--synthetic 1000] [--memory 60] [--repeat 3]

Each figure is whole processes timed from outside, so imports count as they do for a
clinician: wall clock, and CPU time of the command with every process it started (which holds
on a shared machine, where wall time does not). Ratios, not seconds, compare between machines:

  per-handbook cost in a batch / bare `weasyprint print.html out.pdf`   goal <= 0.95
  --jobs 2 / --jobs 1 speed-up (PDF batch), and its CPU bound            goal >= 1.85 on 2 cores
  no-change rebuild / full build                                         goal <= 2%
  after one module changes: handbooks rebuilt / handbooks that use it    goal: equal
  HTML-only batch of --synthetic handbooks on 2 workers (seconds, CPU)   goal <= 40 s for 1,000
  peak memory of a PDF batch's workers, 10 vs --memory handbooks         goal <= 150 MiB, flat
  `validate` imports WeasyPrint                                          goal: no

The load average is printed at the start and the end: quote figures with it. A shared host's
speed drifts within minutes, so the two figures a drift moves most (the --jobs pair and the HTML
batch) are measured --repeat times, the pair alternating, and each is reported as the median.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

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


class Timed(NamedTuple):
    """A whole command: wall-clock seconds, and CPU seconds of it and every process it started."""

    wall: float
    cpu: float

    def __add__(self, other: object) -> Timed:
        assert isinstance(other, Timed)
        return Timed(self.wall + other.wall, self.cpu + other.cpu)


def run(*args: str, cwd: Path = REPO) -> Timed:
    """Time one command. CPU time comes from getrusage(RUSAGE_CHILDREN), which counts the command's
    workers and their children too (each was waited for): on a shared machine it holds far better
    than wall time, which other people's work stretches."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timed(wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def handbook(*args: str) -> Timed:
    return run("-m", "generator", "--project", str(REPO), *args)


def load() -> str:
    return "load average " + ", ".join(f"{n:.1f}" for n in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=10, help="PDF handbooks per batch (default 10)")
    parser.add_argument("--synthetic", type=int, default=1000, help="HTML-only handbooks (default 1000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the --jobs pair and of the HTML batch; their medians are reported (default 3)")
    parser.add_argument("--memory", type=int, default=60,
                        help="PDF handbooks in the batch whose workers' peak memory is measured (default 60)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; at the start: {load()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        batch = copies(tmp / "batch", args.batch)
        out = tmp / "out"
        common = ("-o", str(out), "--today", TODAY, "--force")
        handbook("build", str(batch[0]), *common, "-j", "1")  # warm the disk cache
        pairs = [(handbook("build", str(tmp / "batch"), *common, "-j", "1"),
                  handbook("build", str(tmp / "batch"), *common, "-j", "2")) for _ in range(max(1, args.repeat))]
        serial, parallel = median([s for s, _ in pairs]), median([p for _, p in pairs])
        speedups = sorted(s.wall / p.wall for s, p in pairs)
        unchanged = handbook("build", str(tmp / "batch"), "-o", str(out), "--today", TODAY, "-j", "2")
        bare = sum((run("-m", "weasyprint", str(out / profile_id(p) / "print.html"), str(tmp / "bare.pdf"))
                    for p in batch), Timed(0.0, 0.0))
        print(f"per-handbook cost, batch of {args.batch} (--jobs 1) / bare weasyprint: {serial.wall / bare.wall:.2f} "
              f"wall, {serial.cpu / bare.cpu:.2f} CPU  (goal <= 0.95)")
        print(f"--jobs 2 speed-up over --jobs 1: {statistics.median(speedups):.2f}x wall, the median of "
              f"{', '.join(f'{x:.2f}' for x in speedups)}  (goal >= 1.85); CPU "
              f"{serial.cpu:.1f} s (--jobs 1) and {parallel.cpu:.1f} s (--jobs 2), so at most "
              f"{2 * serial.cpu / parallel.cpu:.2f}x on 2 idle cores, less the last handbook's wait")
        print(f"no-change rebuild / full build (--jobs 2): {unchanged.wall / parallel.wall:.1%}  (goal <= 2%)")
        print(one_module_changed(tmp))
        synthetic = tmp / "synthetic"
        copies(synthetic, args.synthetic)
        runs = []
        for run_number in range(max(1, args.repeat)):
            runs.append(handbook("build", str(synthetic), "-o", str(tmp / f"html-{run_number}"), "--today", TODAY,
                                 "--format", "html", "-j", "2"))
            shutil.rmtree(tmp / f"html-{run_number}")
        html = median(runs)
        print(f"HTML-only batch of {args.synthetic} on 2 workers: {html.wall:.1f} s wall, the median of "
              f"{', '.join(f'{r.wall:.1f}' for r in sorted(runs))}  (goal <= 40 s for 1,000); "
              f"CPU {html.cpu:.1f} s ({html.cpu / args.synthetic * 1000:.0f} ms per handbook), "
              f"so {html.cpu / 2:.1f} s on 2 idle cores")
        print(memory(tmp, args.memory))
        print(validate_imports())
    print(f"at the end: {load()}")


def median(runs: list[Timed]) -> Timed:
    """The run of median wall time (with its own CPU time)."""
    return sorted(runs)[len(runs) // 2]


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
