"""What a kill at a random moment costs a scan: the work lost, and the time to finish it by resuming.

``python bench/resume_loss.py [--tree small|mixed] [--kills 10] [--seed 1] [--workers 2] [--ner]
[--files 20000] [--corpus bench/corpus --mb 220 --logs-mb 110]`` scans the tree once without
interruption (the reference), then ``--kills`` times starts the same scan, kills it and its
workers with SIGKILL at a seeded random moment between the creation of its folder and the
reference's end, and resumes it (``scan --resume``), checking that the result holds the
reference's rows. For each kill it prints:

- ``since commit``: seconds from the last committed part (or the scan's start) to the kill,
  the work a kill loses, as ``lost items`` at the reference's rate of items per second;
- ``committed``: the items the kill left committed, which the resume passes over;
- ``extra``: the killed run plus its resume, minus the reference (start-up paid twice, the
  lost work, and the reading of committed rows back).

``--tree small`` is bench/small_files.py's tree of 20,000 small office files; ``--tree mixed``
the mixed corpus of bench/corpus.py (both of seed 7, as their own benchmarks make them).
The machine's noise moves every figure: compare medians.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import pyarrow.parquet as pq  # noqa: E402

from contract.scanfolder import ITEMS, read_folder  # noqa: E402

BENCH_KEY = "piisweep-bench-key-0123456789"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _scan(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "piisweep", "scan", *args]


def _env() -> dict:
    return dict(os.environ, PIISWEEP_KEY=BENCH_KEY)


def _folder(out: str) -> str | None:
    names = os.listdir(out) if os.path.isdir(out) else []
    return os.path.join(out, names[0]) if len(names) == 1 else None


def _top_items(folder: str) -> int:
    state = read_folder(folder)
    if state is None:
        return 0
    return sum(pq.read_table(path, columns=["container"]).column("container").to_pylist().count("")
               for path in state.files[ITEMS])


def _rows(folder: str) -> dict[str, list]:
    tables = {}
    for name in ("items.parquet", "findings.parquet", "values.parquet"):
        rows = pq.read_table(os.path.join(folder, name)).to_pylist()
        tables[name] = sorted(repr(sorted((k, v) for k, v in row.items() if k not in ("scan_id", "seconds")))
                              for row in rows)
    return tables


def run(target: str, options: list[str], kills: int, seed: int, work: str) -> list[dict]:
    """The reference scan, then ``kills`` killed and resumed scans; one dict of figures per kill."""
    ref_out = os.path.join(work, "ref")
    started = time.monotonic()
    subprocess.run(_scan([target, "--out", ref_out, *options]), env=_env(), cwd=REPO, check=False,
                   stdout=subprocess.DEVNULL)
    reference_seconds = time.monotonic() - started
    reference = _folder(ref_out)
    items = _top_items(reference)
    expected = _rows(reference)
    print(f"reference: {reference_seconds:.2f} s, {items} items ({items / reference_seconds:.0f} items/s)")
    rng = random.Random(seed)
    results = []
    for kill in range(kills):
        out = os.path.join(work, f"kill{kill}")
        started = time.monotonic()
        proc = subprocess.Popen(_scan([target, "--out", out, *options]), env=_env(), cwd=REPO,
                                stdout=subprocess.DEVNULL, start_new_session=True)
        while _folder(out) is None:
            time.sleep(0.01)
        created = time.monotonic() - started
        time.sleep(rng.uniform(0, max(0.0, reference_seconds - created)))
        os.killpg(proc.pid, signal.SIGKILL)
        killed_at, killed_wall = time.monotonic() - started, time.time()
        proc.wait()
        folder = _folder(out)
        state = read_folder(folder)
        if state is not None and state.closed:
            results.append({"killed_at": killed_at, "closed": True})
            print(f"kill {kill}: at {killed_at:.2f} s the scan had closed")
            continue
        last = max((os.stat(part).st_mtime for part in state.parts), default=None) if state else None
        since = killed_wall - last if last is not None else killed_at - created
        committed = _top_items(folder)
        resumed = time.monotonic()
        subprocess.run(_scan(["--resume", folder, "-q"]), env=_env(), cwd=REPO, check=False, stdout=subprocess.DEVNULL)
        resume_seconds = time.monotonic() - resumed
        identical = _rows(folder) == expected
        figures = {"killed_at": killed_at, "since_commit": since, "lost_items": since * items / reference_seconds,
                   "committed": committed, "resume": resume_seconds,
                   "extra": killed_at + resume_seconds - reference_seconds, "identical": identical, "closed": False}
        results.append(figures)
        print(f"kill {kill}: at {killed_at:.2f} s, {committed} items committed, {since:.2f} s since the last "
              f"commit (~{figures['lost_items']:.0f} items lost), resume {resume_seconds:.2f} s, "
              f"extra {figures['extra']:.2f} s, {'identical' if identical else 'DIFFERENT'}")
        shutil.rmtree(out)
    killed = [r for r in results if not r["closed"]]
    if killed:
        for key, unit in (("since_commit", "s"), ("lost_items", "items"), ("extra", "s")):
            values = [r[key] for r in killed]
            print(f"{key}: median {statistics.median(values):.2f} {unit}, max {max(values):.2f} {unit}")
        print(f"identical after resume: {sum(r['identical'] for r in killed)} of {len(killed)}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", choices=("small", "mixed"), default="small")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ner", action="store_true", help="With NER (the mixed corpus' benchmark setting).")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--corpus", default=os.path.join(REPO, "bench", "corpus"))
    parser.add_argument("--mb", type=float, default=220)
    parser.add_argument("--logs-mb", type=float, default=110)
    args = parser.parse_args()
    if args.tree == "small":
        from bench.small_files import load_or_generate

        small = os.path.join(args.corpus, "small")
        load_or_generate(small, args.files, seed=7)
        target = os.path.join(small, "tree")
    else:
        from bench.corpus import load_or_generate

        load_or_generate(args.corpus, args.mb, args.logs_mb, seed=7)
        target = os.path.join(args.corpus, "mixed")
    options = ["-q", "--workers", str(args.workers), *([] if args.ner else ["--no-ner"])]
    with tempfile.TemporaryDirectory(prefix="piisweep-resume-loss-") as work:
        run(target, options, args.kills, args.seed, work)


if __name__ == "__main__":
    main()
