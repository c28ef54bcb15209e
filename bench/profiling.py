"""Where a scan's time goes: one worker's pipeline in-process under cProfile.

``python bench/profiling.py [--corpus bench/corpus] [--mb 20] [--no-ner]`` links a
stratified ~MB sample of the mixed corpus into a temporary folder, scans it with
``workers=0`` (the whole pipeline in this process: enumerate, extract, detect,
hash, write the inventory) and prints the top functions by cumulative and by own
time, plus a per-stage summary. ``bench/run.py --profile`` calls :func:`profile_scan`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    import sys

    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench.corpus import SHARES, FOLDERS  # noqa: E402

# (label, file suffix, function name): cumulative time of these is the stage's time.
# Stages nest (column classification calls the pattern stage), so shares can add past 100 %.
STAGES = [
    ("extract (all formats)", "scanner/extract/dispatch.py", "run"),
    ("detect: text (patterns + NER)", "detectors/engine.py", "analyze_texts"),
    ("  pattern stage (Hyperscan + validators)", "detectors/patterns.py", "analyze"),
    ("  NER (spaCy)", "detectors/ner.py", "analyze_batch"),
    ("detect: columns", "detectors/engine.py", "classify_column"),
    ("normalise + HMAC", "scanner/keys.py", "value_hash"),
    ("masking", "detectors/masking.py", "mask"),
    ("inventory: findings", "scanner/inventory.py", "add_findings"),
    ("inventory: items", "scanner/inventory.py", "add_items"),
    ("inventory: values", "scanner/inventory.py", "add_values"),
    ("worker start (models, Hyperscan db)", "scanner/worker.py", "__init__"),
]


def stratified_files(root: str, budget_bytes: int, seed: int = 11) -> list[str]:
    """Relative paths of files of the mixed corpus, about ``budget_bytes`` in the corpus' byte mix.

    Each category gets its share of the budget; a file larger than what its
    category has left is passed over, so one big log cannot eat the sample.
    """
    import random

    rng = random.Random(seed)
    chosen = []
    for category, share in SHARES.items():
        folder = os.path.join(root, FOLDERS[category])
        files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(folder) for f in fs)
        rng.shuffle(files)
        left = share * budget_bytes
        for rel in files:
            size = os.path.getsize(os.path.join(root, rel))
            if size <= left:
                chosen.append(rel)
                left -= size
        if not any(c.startswith(FOLDERS[category] + "/") for c in chosen) and files:
            chosen.append(min(files, key=lambda r: os.path.getsize(os.path.join(root, r))))
    return chosen


def link_sample(root: str, files: list[str], dest: str) -> int:
    """Hard-link (or copy) ``files`` of ``root`` under ``dest`` keeping their paths; return the bytes."""
    total = 0
    for rel in files:
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(os.path.join(root, rel), target)
        except OSError:
            shutil.copy2(os.path.join(root, rel), target)
        total += os.path.getsize(target)
    return total


def _stage_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    found = []
    for label, suffix, name in STAGES:
        seconds = sum(v[3] for (file, _, func), v in stats.stats.items()
                      if func == name and file.replace("\\", "/").endswith(suffix))
        found.append((label, seconds))
    return found


def profile_scan(mixed_root: str, mb: float = 20, ner: bool = True, top: int = 25) -> dict:
    """Profile an in-process scan of a ~``mb`` MB sample; return the printed text and the stage times."""
    from scanner.engine import ScanOptions, run_scan
    from contract.targets import parse_target

    work = tempfile.mkdtemp(prefix="piisweep-profile-")
    try:
        sample = os.path.join(work, "sample")
        size = link_sample(mixed_root, stratified_files(mixed_root, int(mb * 1e6)), sample)
        options = ScanOptions(out=os.path.join(work, "out"), workers=0, ner=ner)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        result = run_scan([parse_target(sample)], options)
        profiler.disable()
        wall = time.perf_counter() - started
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        stages = _stage_times(stats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [f"profile: {size / 1e6:.1f} MB sample, workers=0 (in-process), ner={ner}, "
             f"{wall:.1f} s under cProfile ({size / 1e6 / wall:.2f} MB/s, profiler overhead included), "
             f"exit {result.exit_code}", "", f"{'stage':44} {'seconds':>9} {'share':>7}"]
    for label, seconds in stages:
        lines.append(f"{label:44} {seconds:9.2f} {100 * seconds / wall:6.1f}%")
    return {"sample_bytes": size, "wall_seconds": round(wall, 2), "ner": ner,
            "stages": {label.strip(): round(s, 3) for label, s in stages},
            "summary": "\n".join(lines), "pstats": buf.getvalue()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "corpus"))
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("PIISWEEP_KEY", "piisweep-bench-key-0123456789")
    report = profile_scan(os.path.join(args.corpus, "mixed"), args.mb, not args.no_ner, args.top)
    print(report["pstats"])
    print(report["summary"])


if __name__ == "__main__":
    main()
