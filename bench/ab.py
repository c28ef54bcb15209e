"""Before and after: one scan with two checkouts of piisweep, run in turn, timed in pairs.

``python bench/ab.py --before ../base [--before-python PY] [--after .] [--runs 5] TREE [-- SCAN ARGS]``
runs ``piisweep scan TREE --out TMP --quiet SCAN ARGS`` with the code of each checkout
(``python -m piisweep.cli``, or ``scanner.cli`` in checkouts older than the piisweep/
package), after byte-compiling each checkout (:mod:`bench.compiled`) and one warm-up run
each: A (after) and B (before) alternate, A B A B ..., so that a machine whose speed
drifts slows both sides of a pair alike. It prints each run's
wall time, the median of each side and the median of the pairs' ratios A/B (below 1: the
after checkout is faster). Findings are counted from each run's inventory, so that a
change of speed is not mistaken for a change of work.

A checkout is made with ``git worktree add ../base COMMIT``; one that needs a build step
(a C extension) gets its own interpreter with ``--before-python`` (a virtual environment
with ``pip install --no-deps -e ../base`` in it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow.parquet as pq

if __package__ in (None, ""):  # run as a script: bench/ is importable from the checkout
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench.compiled import byte_compile  # noqa: E402

BENCH_KEY = "piisweep-bench-key-0123456789"


def command(checkout: str, python: str, tree: str, out: str, extra: list[str]) -> list[str]:
    """The scan command of ``checkout``'s own command line."""
    module = "piisweep.cli" if os.path.exists(os.path.join(checkout, "piisweep", "cli.py")) else "scanner.cli"
    return [python, "-m", module, "scan", tree, "--out", out, "--quiet", *extra]


def timed_scan(checkout: str, python: str, tree: str, extra: list[str]) -> tuple[float, int]:
    """(wall seconds, finding rows) of one scan with ``checkout``'s code."""
    out = tempfile.mkdtemp(prefix="piisweep-ab-")
    env = {**os.environ, "PIISWEEP_KEY": BENCH_KEY, "PYTHONPATH": checkout}
    env.pop("PIISWEEP_KEY_FILE", None)
    try:
        started = time.perf_counter()
        done = subprocess.run(command(checkout, python, tree, out, extra), cwd=checkout, env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode not in (0, 3):  # 3: some items could not be read, as in any corpus with damage
            raise SystemExit(f"{checkout}: piisweep exited {done.returncode}: {done.stderr[-2000:]}")
        (scan,) = [os.path.join(out, d) for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))]
        return wall, pq.read_metadata(os.path.join(scan, "findings.parquet")).num_rows
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree")
    parser.add_argument("--before", required=True, help="checkout of the code before (B)")
    parser.add_argument("--before-python", default=sys.executable)
    parser.add_argument("--after", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="checkout of the code after (A; default: this one)")
    parser.add_argument("--after-python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=5, help="pairs timed, after one warm-up pair")
    args = parser.parse_args(argv)
    tree = os.path.abspath(args.tree)
    sides = {"A": (os.path.abspath(args.after), args.after_python), "B": (os.path.abspath(args.before),
                                                                          args.before_python)}
    for side, (checkout, python) in sides.items():
        byte_compile(checkout, python)
        timed_scan(checkout, python, tree, extra)  # warm-up: page cache
    walls: dict[str, list[float]] = {"A": [], "B": []}
    findings: dict[str, set[int]] = {"A": set(), "B": set()}
    for run in range(args.runs):
        for side, (checkout, python) in sides.items():
            wall, rows = timed_scan(checkout, python, tree, extra)
            walls[side].append(wall)
            findings[side].add(rows)
            print(f"pair {run + 1} {side}: {wall:6.2f} s, {rows:,} finding rows", flush=True)
    ratios = [a / b for a, b in zip(walls["A"], walls["B"])]
    print(f"scan {tree} {' '.join(extra)}")
    for side, label in (("A", "after "), ("B", "before")):
        print(f"{label} {sides[side][0]}: median {statistics.median(walls[side]):.2f} s "
              f"(min {min(walls[side]):.2f}, max {max(walls[side]):.2f}), finding rows {sorted(findings[side])}")
    print(f"A/B wall, median of {len(ratios)} pairs: {statistics.median(ratios):.3f} "
          f"(pairs {min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
