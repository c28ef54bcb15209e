"""One huge log, scanned end to end: a worker's memory stays bounded whatever an item's size.

``python bench/big_log.py [--gb 2] [--corpus bench/corpus]`` writes a log of about GB
gigabytes by repeating the benchmark corpus's plain logs (bench/corpus.py makes them), scans it
with ``piisweep scan --no-ner`` through the real CLI, and prints the wall time, MB/s, the peak
RSS of the largest single process (the worker reading the file, the scan's own process or the
fork server) and of the process tree, against the "Fast by design" issue's target: a 2 GB log
scans with peak RSS under 1 GB per worker. The log is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench.corpus import load_or_generate  # noqa: E402
from bench.compiled import byte_compile  # noqa: E402
from bench.run import BENCH_KEY, REPO, run_cli  # noqa: E402

TARGET_PEAK_MB = 1000.0


def write_big_log(sources: list[str], path: str, size: int) -> int:
    """Write ``sources`` (log files) to ``path`` one after another, again and again, until the file
    holds at least ``size`` bytes; return its size. Each source ends its lines before the next."""
    written = 0
    with open(path, "wb") as out:
        while written < size:
            for source in sources:
                with open(source, "rb") as fh:
                    data = fh.read()
                if not data.endswith(b"\n"):
                    data += b"\n"
                out.write(data)
                written += len(data)
                if written >= size:
                    break
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=2.0, help="size of the log to scan")
    parser.add_argument("--corpus", default=os.path.join(REPO, "bench", "corpus"))
    args = parser.parse_args()
    load_or_generate(args.corpus, 220, 110, 7)  # bench/run.py's defaults: the same corpus, reused
    logs_root = os.path.join(args.corpus, "logs-only")
    sources = sorted(os.path.join(d, f) for d, _, files in os.walk(logs_root) for f in files)
    work = tempfile.mkdtemp(prefix="piisweep-big-log-")
    try:
        target = os.path.join(work, "target")
        os.makedirs(target)
        print(f"writing a {args.gb:g} GB log ...", file=sys.stderr, flush=True)
        size = write_big_log(sources, os.path.join(target, "huge.log"), int(args.gb * 1e9))
        byte_compile()
        env = {**os.environ, "PIISWEEP_KEY": BENCH_KEY}
        env.pop("PIISWEEP_KEY_FILE", None)
        print("scanning it ...", file=sys.stderr, flush=True)
        run = run_cli("one huge log, --no-ner, 2 workers", target, os.path.join(work, "out"),
                      ["--workers", "2", "--no-ner"], env)
        ok = run.peak_process_rss_mb < TARGET_PEAK_MB and run.exit_code == 0 and run.items_scanned == 1
        print(f"one {size / 1e9:.2f} GB log, --no-ner, 2 workers (one of them reads it): {run.wall_seconds:.1f} s, "
              f"{run.mb_s:.1f} MB/s, {run.findings} findings rows, exit {run.exit_code}")
        print(f"peak RSS: largest single process {run.peak_process_rss_mb:.0f} MB, process tree "
              f"{run.peak_tree_rss_mb:.0f} MB ({run.processes_seen} processes)")
        print(f"  [{'PASS' if ok else 'FAIL'}] peak RSS under {TARGET_PEAK_MB:.0f} MB per worker, item scanned")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
