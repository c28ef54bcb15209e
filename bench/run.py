"""The throughput benchmark: piisweep against vanilla Presidio on one mixed corpus, in one run.

``python bench/run.py [--corpus bench/corpus] [--mb 220] [--logs-mb 110] [--presidio-mb 4]
[--profile] [--json FILE]`` generates the corpus (or reuses one made with the same
parameters, see bench/corpus.py), then measures on this machine:

1. ``piisweep scan mixed/`` through the real CLI (a subprocess) with 1 and with 2
   workers: wall time, files/s, MB/s of bytes on disk, peak RSS (largest single
   process, and the whole process tree summed, polled every 0.2 s);
2. ``--no-ner`` with 2 workers on ``mixed/`` and on ``logs-only/``;
3. an incremental rescan (``--since`` the 2-worker scan) and first/rescan; runs of a second
   or less (this rescan, and a one-file scan for the fixed cost) are run three times and
   their median kept, as the noise of a shared machine swings them by a third;
4. vanilla Presidio (``AnalyzerEngine`` with its default recognisers and the same
   spaCy model, one process) on the text piisweep's extractors produce for a
   stratified subset of ``mixed/``; its time covers ``analyze`` only (extraction is
   not charged to it);
5. recall of the planted values (labels.jsonl) for both, entity-type aware;
6. the machine's own speed at the start and end (a fixed Python loop), since a shared
   machine's slow phases scale every absolute figure of a run.

Everything is printed as one table, with the targets of the "Fast by design" issue,
and optionally written as JSON. Page cache is warm for every run (the corpus was
just written or read), and all runs are on the same machine in the same process.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import psutil  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.compiled import byte_compile  # noqa: E402
from bench.corpus import load_labels, load_or_generate  # noqa: E402
from bench.profiling import profile_scan, stratified_files  # noqa: E402
from detectors.normalise import normalise  # noqa: E402
from contract.keys import value_hash  # noqa: E402

BENCH_KEY = "piisweep-bench-key-0123456789"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRESIDIO_CHUNK = 100_000  # characters per analyze call (spaCy's default max_length is 1,000,000)
COLUMN_FOUND_FRACTION = 0.3  # a column counts as found by Presidio when this share of its values is;
# the same share piisweep's column classifier needs when the header agrees (detectors/columns.py)

SHORT_RUN_REPEATS = 3  # runs of two seconds or less are repeated and their median run kept

TARGETS = {"ratio_vs_presidio": 30.0, "mixed_mb_s": 10.0, "logs_no_ner_mb_s": 50.0, "rescan_speedup": 20.0,
           "peak_rss_mb": 1500.0}


# ---------------------------------------------------------------- the machine's speed

CALIBRATION_STEPS = 3_000_000


def _loop_seconds(core: int = 0) -> float:
    """Seconds the fixed pure-Python loop takes on one core now (best of three); ``core`` only
    numbers the pool's tasks."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for step in range(CALIBRATION_STEPS):
            total += step
        best = min(best, time.perf_counter() - started)
    return best


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop takes, run on every core at once: the slowest core's.

    A shared machine's speed swings by two or three times between phases that
    last minutes, and every absolute MB/s figure of a run swings with it. Timed
    at the start and at the end of a run, this tells a slow phase of the
    machine from a slow scanner; the ratio to Presidio, measured in the same
    run, does not need it. Every core is timed because two workers need two:
    a neighbour taking one of them slows a scan that one core alone would not show.
    """
    from multiprocessing import get_context

    with get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        return max(pool.map(_loop_seconds, range(os.cpu_count() or 1)))


# ---------------------------------------------------------------- running the CLI

@dataclass
class CliRun:
    """One measured ``piisweep scan`` subprocess."""

    name: str
    args: list[str]
    wall_seconds: float = 0.0
    exit_code: int = 0
    peak_tree_rss_mb: float = 0.0  # summed RSS of the CLI and its workers, polled
    peak_process_rss_mb: float = 0.0  # largest VmHWM (kernel-tracked peak) of any one process
    processes_seen: int = 0
    disk_bytes: int = 0
    files: int = 0
    items_scanned: int = 0
    items_error: int = 0
    items_skipped: int = 0
    carried_over: int = 0
    findings: int = 0
    scan_dir: str = ""
    walls: list[float] = field(default_factory=list)  # every repeat's wall time, for a median run

    @property
    def mb_s(self) -> float:
        return self.disk_bytes / 1e6 / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def files_s(self) -> float:
        return self.files / self.wall_seconds if self.wall_seconds else 0.0


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_cli(name: str, target: str, out: str, extra: list[str], env: dict) -> CliRun:
    """Run ``python -m piisweep.cli scan TARGET --out OUT EXTRA --quiet`` and measure it."""
    os.makedirs(out, exist_ok=True)
    args = [sys.executable, "-m", "piisweep.cli", "scan", target, "--out", out, "--quiet", *extra]
    run = CliRun(name, args[1:])
    peaks: dict[int, int] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    done = threading.Event()

    def poll_memory() -> None:
        while not done.is_set():
            total = 0
            try:
                tree = [root] + root.children(recursive=True)
            except psutil.Error:
                tree = []
            for p in tree:
                try:
                    total += p.memory_info().rss
                    peaks[p.pid] = max(peaks.get(p.pid, 0), _vm_hwm_kb(p.pid))
                except psutil.Error:
                    pass
            run.peak_tree_rss_mb = max(run.peak_tree_rss_mb, total / 1e6)
            done.wait(0.2)

    # memory is polled in a thread, so the wall time ends when the scan does, not at the next
    # poll (up to 0.2 s later: a tenth of a two-second rescan)
    poller = threading.Thread(target=poll_memory, daemon=True)
    poller.start()
    proc.wait()  # --quiet: stderr holds a few lines at most, never a full pipe
    run.wall_seconds = time.perf_counter() - started
    done.set()
    poller.join()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    run.exit_code = proc.returncode
    run.peak_process_rss_mb = max(peaks.values(), default=0) * 1024 / 1e6
    run.processes_seen = len(peaks)
    dirs = sorted(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d)))
    if run.exit_code not in (0, 3) or not dirs:
        raise RuntimeError(f"{name}: piisweep exited {run.exit_code}: {stderr[-2000:]}")
    run.scan_dir = os.path.join(out, dirs[-1])
    with open(os.path.join(run.scan_dir, "manifest.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    by_status = manifest["counts"]["items_by_status"]
    run.items_scanned, run.items_error = by_status.get("scanned", 0), by_status.get("error", 0)
    run.items_skipped = by_status.get("skipped", 0)
    run.carried_over = manifest.get("carried_over_items", 0)
    run.findings = manifest["counts"]["findings"]
    run.disk_bytes, run.files = tree_size(target)
    return run


def median_run(name: str, target: str, out: str, extra: list[str], env: dict,
               repeats: int = SHORT_RUN_REPEATS) -> CliRun:
    """The run of median wall time among ``repeats`` runs of :func:`run_cli`, with every wall time.

    For runs of two seconds or less (a one-file scan, an unchanged rescan, the plain logs without
    NER): on this kind of machine the same short run takes 0.65 s and 0.84 s minutes apart, and
    the logs scan 1.76 s and 2.13 s, enough to swing a ratio against a 20-second scan by a third
    or a throughput by a fifth; one run of each long scan already averages that noise out."""
    done = [run_cli(name, target, os.path.join(out, str(i)), extra, env) for i in range(repeats)]
    middle = sorted(done, key=lambda r: r.wall_seconds)[len(done) // 2]
    middle.walls = [r.wall_seconds for r in done]
    return middle


def tree_size(root: str) -> tuple[int, int]:
    """Bytes on disk (file sizes) and file count under ``root``."""
    total = count = 0
    for d, _, files in os.walk(root):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
            count += 1
    return total, count


# ---------------------------------------------------------------- recall

def _label_key(key: bytes, label: dict) -> tuple:
    if label["kind"] == "column":
        return ("column", label["file"], (label["member"] or label["sheet"]) + "#" + label["column"], label["entity"])
    return ("value", label["file"], label["entity"], value_hash(key, normalise(label["entity"], label["value"])))


def piisweep_found(scan_dir: str) -> set[tuple]:
    """Keys of everything a piisweep inventory holds, comparable with :func:`_label_key`."""
    found = set()
    findings = pq.read_table(os.path.join(scan_dir, "findings.parquet"),
                             columns=["path", "container", "entity_type", "value_hash"]).to_pylist()
    for row in findings:
        if row["value_hash"]:
            found.add(("value", row["path"], row["entity_type"], row["value_hash"]))
        else:
            found.add(("column", row["path"], row["container"], row["entity_type"]))
    values = pq.read_table(os.path.join(scan_dir, "values.parquet"),
                           columns=["path", "entity_type", "value_hash"]).to_pylist()
    for row in values:
        found.add(("value", row["path"], row["entity_type"], row["value_hash"]))
    return found


@dataclass
class Recall:
    """Planted and found counts per (kind, entity)."""

    counts: dict = field(default_factory=dict)  # "kind:entity" -> [planted, found]

    def add(self, kind: str, entity: str, hit: bool) -> None:
        pair = self.counts.setdefault(f"{kind}:{entity}", [0, 0])
        pair[0] += 1
        pair[1] += int(hit)

    def overall(self, entities: set[str] | None = None) -> tuple[int, int, float]:
        planted = found = 0
        for name, (p, f) in self.counts.items():
            if entities is None or name.split(":", 1)[1] in entities:
                planted, found = planted + p, found + f
        return planted, found, found / planted if planted else 0.0


def recall_of(labels: list[dict], found: set[tuple], key: bytes) -> Recall:
    """Which planted labels are in ``found``."""
    recall = Recall()
    for label in labels:
        recall.add(label["kind"], label["entity"], _label_key(key, label) in found)
    return recall


# ---------------------------------------------------------------- vanilla Presidio

@dataclass
class SubsetText:
    """The extracted text of one file, as Presidio is given it."""

    path: str
    disk_bytes: int
    text: str
    columns: dict  # "container#header" -> [(start, end)] of each value in text


def extract_subset(mixed_root: str, files: list[str]) -> tuple[list[SubsetText], float]:
    """Text of ``files`` through piisweep's own agent and extractors, as a worker sees it."""
    from agents import make_agent
    from scanner.extract import ExtractLimits, extract
    from contract.models import ColumnBlock, TextBlock
    from contract.targets import parse_target

    wanted = set(files)
    agent = make_agent(parse_target(mixed_root))
    limits = ExtractLimits()
    out, started = [], time.perf_counter()
    with agent:
        for item in agent.items():
            if getattr(item, "path", None) not in wanted or not hasattr(item, "ref"):
                continue
            parts, columns, length = [], {}, 0
            for block in agent.blocks(item, lambda s, it, lp: extract(s, it, lp, limits)):
                if isinstance(block, TextBlock):
                    parts.append(block.text + "\n")
                    length += len(block.text) + 1
                elif isinstance(block, ColumnBlock):
                    spans = columns.setdefault(f"{block.container}#{block.header}", [])
                    for value in block.values:
                        if value and value.strip():
                            prefix = f"{block.header}: "
                            spans.append((length + len(prefix), length + len(prefix) + len(value)))
                            parts.append(f"{prefix}{value}\n")
                            length += len(prefix) + len(value) + 1
            out.append(SubsetText(item.path, item.size or 0, "".join(parts), columns))
    return out, time.perf_counter() - started


def _chunks(text: str, size: int = PRESIDIO_CHUNK):
    """(offset, chunk) pieces of at most ``size`` characters, cut at line ends where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def run_presidio(texts: list[SubsetText], key: bytes) -> dict:
    """Vanilla Presidio over the subset: timing, and the found keys for recall."""
    from bench import presidio_offline
    from detectors.config import resolve_model

    presidio_offline.install()  # Presidio's e-mail recogniser would fetch the Public Suffix List
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    model = resolve_model()
    t0 = time.perf_counter()
    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    load_seconds = time.perf_counter() - t0
    supported = set(engine.get_supported_entities("en"))
    found: set[tuple] = set()
    analyze_seconds = 0.0
    chars = 0
    for st in texts:
        hits: list[tuple[int, int, str]] = []
        for offset, chunk in _chunks(st.text):
            t = time.perf_counter()
            results = engine.analyze(text=chunk, language="en")
            analyze_seconds += time.perf_counter() - t
            chars += len(chunk)
            hits.extend((offset + r.start, offset + r.end, r.entity_type) for r in results)
        for start, end, entity in hits:
            found.add(("value", st.path, entity, value_hash(key, normalise(entity, st.text[start:end]))))
        for column, spans in st.columns.items():
            starts = [vs for vs, _ in spans]
            covered: set[tuple[int, str]] = set()  # (value index, entity)
            for start, end, entity in hits:
                i = bisect.bisect_right(starts, start) - 1
                for j in (i, i + 1):  # the value the hit starts in, or the next one (hit on its prefix)
                    if 0 <= j < len(spans) and start < spans[j][1] and end > spans[j][0]:
                        covered.add((j, entity))
            by_entity: dict[str, int] = {}
            for _, entity in covered:
                by_entity[entity] = by_entity.get(entity, 0) + 1
            for entity, n in by_entity.items():
                if n / len(spans) >= COLUMN_FOUND_FRACTION:
                    found.add(("column", st.path, column, entity))
    return {"model": model, "load_seconds": load_seconds, "analyze_seconds": analyze_seconds, "chars": chars,
            "text_bytes": sum(len(t.text.encode("utf-8")) for t in texts), "found": found,
            "supported_entities": supported}


# ---------------------------------------------------------------- the report

def _walls(run: CliRun) -> str:
    return ", ".join(f"{w:.2f}" for w in run.walls) + " s" if run.walls else f"{run.wall_seconds:.2f} s"


def _fmt_rss(run: CliRun) -> str:
    return f"{run.peak_process_rss_mb:7.0f} / {run.peak_tree_rss_mb:7.0f}"


def build_report(corpus: dict, runs: dict[str, CliRun], presidio: dict, subset: dict, recalls: dict,
                 profile: dict | None, command: str, speed: dict[str, float]) -> tuple[str, dict]:
    """The printed table and the JSON document; ``speed``: :func:`machine_speed` at "start" and "end"."""
    two, one = runs["ner_w2"], runs["ner_w1"]
    p_disk_mb_s = subset["disk_bytes"] / 1e6 / presidio["analyze_seconds"]
    p_text_mb_s = presidio["text_bytes"] / 1e6 / presidio["analyze_seconds"]
    text_per_disk = presidio["text_bytes"] / subset["disk_bytes"]
    ratio_raw = two.mb_s / p_disk_mb_s
    ratio_core = one.mb_s / p_disk_mb_s
    rescan = runs["rescan_w2"]
    speedup = two.wall_seconds / rescan.wall_seconds
    peak = max(r.peak_tree_rss_mb for r in runs.values())
    lines = [
        f"piisweep benchmark — {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})",
        f"command: {command}",
        f"machine speed: a {CALIBRATION_STEPS / 1e6:.0f}M-step Python loop on every core at once took "
        f"{speed['start']:.2f} s at the start and {speed['end']:.2f} s at the end of this run (slowest core, best of "
        f"3; lower is faster: absolute MB/s scale with it)",
        f"corpus: mixed/ {corpus['mixed']['total_bytes'] / 1e6:.1f} MB in {corpus['mixed']['total_files']} files "
        f"({', '.join(f'{k} {v / 1e6:.0f} MB' for k, v in corpus['mixed']['bytes'].items())}); "
        f"logs-only/ {corpus['logs_only']['total_bytes'] / 1e6:.1f} MB; {corpus['labels']} planted labels",
        "",
        f"{'run':34} {'wall s':>8} {'files':>6} {'files/s':>8} {'MB/s':>7} {'findings':>9} "
        f"{'exit':>4} {'peak RSS MB (1 proc / tree)':>28}",
    ]
    for run in runs.values():
        lines.append(f"{run.name:34} {run.wall_seconds:8.1f} {run.files:6d} {run.files_s:8.1f} {run.mb_s:7.2f} "
                     f"{run.findings:9d} {run.exit_code:4d} {_fmt_rss(run):>28}")
    fixed_ner, fixed_plain = runs["fixed_ner_w2"].wall_seconds, runs["fixed_no_ner_w2"].wall_seconds
    logs = runs["logs_no_ner_w2"]
    lines += [
        "",
        f"fixed cost of a scan (one tiny file, 2 workers: imports, model load, worker start/stop): "
        f"NER {fixed_ner:.2f} s, --no-ner {fixed_plain:.2f} s (median of {_walls(runs['fixed_ner_w2'])} and "
        f"of {_walls(runs['fixed_no_ner_w2'])})",
        f"  throughput beyond it: mixed NER {two.disk_bytes / 1e6 / max(1e-9, two.wall_seconds - fixed_ner):.2f} MB/s, "
        f"logs-only --no-ner {logs.disk_bytes / 1e6 / max(1e-9, logs.wall_seconds - fixed_plain):.2f} MB/s "
        f"(the targets below are judged end to end)",
        f"  even at no cost per byte, a --no-ner scan of logs-only/ ({logs.disk_bytes / 1e6:.0f} MB) would take the "
        f"fixed cost: at most {logs.disk_bytes / 1e6 / max(1e-9, fixed_plain):.0f} MB/s end to end",
        f"plain logs --no-ner: {logs.wall_seconds:.2f} s (median of {_walls(logs)})",
        "",
        f"scaling 1 -> 2 workers (NER, mixed): {two.mb_s / one.mb_s:.2f}x "
        f"({one.mb_s:.2f} -> {two.mb_s:.2f} MB/s)",
        f"incremental rescan: {rescan.wall_seconds:.2f} s (median of {_walls(rescan)}) vs first scan "
        f"{two.wall_seconds:.1f} s = {speedup:.1f}x faster ({rescan.carried_over} items carried over)",
        "",
        f"vanilla Presidio ({presidio['model']}, default recognisers, 1 process) on a stratified subset: "
        f"{subset['files']} files, {subset['disk_bytes'] / 1e6:.2f} MB on disk, "
        f"{presidio['text_bytes'] / 1e6:.2f} MB extracted text ({text_per_disk:.2f} text bytes per disk byte)",
        f"  analyze time {presidio['analyze_seconds']:.1f} s (engine load {presidio['load_seconds']:.1f} s and "
        f"extraction {subset['extract_seconds']:.1f} s not charged) -> {p_disk_mb_s:.3f} MB/s of disk bytes, "
        f"{p_text_mb_s:.3f} MB/s of text",
        f"  piisweep 2 workers / Presidio 1 process (disk MB/s, whole corpus vs subset): {ratio_raw:.1f}x",
        f"  per core: piisweep 1 worker / Presidio 1 process: {ratio_core:.1f}x",
        "",
        f"{'recall (planted values found)':44} {'piisweep all':>14} {'piisweep subset':>16} {'Presidio subset':>16}",
    ]
    entities = sorted({k for r in recalls.values() for k in r.counts})
    for name in entities:
        cells = []
        for which in ("piisweep_all", "piisweep_subset", "presidio_subset"):
            p, f = recalls[which].counts.get(name, [0, 0])
            cells.append(f"{f}/{p} {100 * f / p:5.1f}%" if p else "-")
        lines.append(f"  {name:42} {cells[0]:>14} {cells[1]:>16} {cells[2]:>16}")
    common = presidio["supported_entities"]
    summary = {}
    for label, ents in (("all planted types", None), ("types vanilla Presidio supports", common)):
        cells = []
        for which in ("piisweep_all", "piisweep_subset", "presidio_subset"):
            p, f, r = recalls[which].overall(ents)
            summary[f"{which}:{label}"] = r
            cells.append(f"{f}/{p} {100 * r:5.1f}%")
        lines.append(f"  {'= ' + label:42} {cells[0]:>14} {cells[1]:>16} {cells[2]:>16}")
    sub_p = summary["piisweep_subset:types vanilla Presidio supports"]
    sub_v = summary["presidio_subset:types vanilla Presidio supports"]
    checks = [
        (f">= {TARGETS['ratio_vs_presidio']:.0f}x vanilla Presidio (2 workers vs 1 process) at >= recall",
         ratio_raw >= TARGETS["ratio_vs_presidio"] and sub_p >= sub_v, f"{ratio_raw:.1f}x, recall "
         f"{100 * sub_p:.1f}% vs {100 * sub_v:.1f}%"),
        (f">= {TARGETS['mixed_mb_s']:.0f} MB/s end-to-end, mixed, 2 workers", two.mb_s >= TARGETS["mixed_mb_s"],
         f"{two.mb_s:.2f} MB/s"),
        (f">= {TARGETS['logs_no_ner_mb_s']:.0f} MB/s plain logs --no-ner", runs["logs_no_ner_w2"].mb_s
         >= TARGETS["logs_no_ner_mb_s"], f"{runs['logs_no_ner_w2'].mb_s:.2f} MB/s"),
        (f"rescan >= {TARGETS['rescan_speedup']:.0f}x faster", speedup >= TARGETS["rescan_speedup"],
         f"{speedup:.1f}x"),
        (f"peak RSS < {TARGETS['peak_rss_mb']:.0f} MB in total", peak < TARGETS["peak_rss_mb"], f"{peak:.0f} MB"),
    ]
    lines += ["", "targets:"]
    lines += [f"  [{'PASS' if ok else 'FAIL'}] {what}: {value}" for what, ok, value in checks]
    if profile:
        lines += ["", profile["summary"]]
    doc = {
        "command": command, "host": platform.node(), "cores": os.cpu_count(), "machine_speed": speed,
        "corpus": corpus,
        "runs": {k: {**asdict(r), "mb_s": r.mb_s, "files_s": r.files_s} for k, r in runs.items()},
        "scaling_1_to_2": two.mb_s / one.mb_s, "rescan_speedup": speedup,
        "presidio": {k: v for k, v in presidio.items() if k not in ("found", "supported_entities")}
        | {"disk_mb_s": p_disk_mb_s, "text_mb_s": p_text_mb_s, "supported_entities": sorted(common)},
        "subset": subset, "ratio_raw": ratio_raw, "ratio_per_core": ratio_core,
        "recall": {k: r.counts for k, r in recalls.items()}, "recall_summary": summary,
        "targets": [{"target": w, "pass": ok, "value": v} for w, ok, v in checks],
        "profile": {k: v for k, v in profile.items() if k != "pstats"} if profile else None,
    }
    return "\n".join(lines), doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.path.join(REPO, "bench", "corpus"))
    parser.add_argument("--mb", type=float, default=220)
    parser.add_argument("--logs-mb", type=float, default=110)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--presidio-mb", type=float, default=4, help="on-disk MB of the Presidio subset")
    parser.add_argument("--profile", action="store_true", help="also profile one in-process worker")
    parser.add_argument("--profile-mb", type=float, default=20)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the scan folders (printed)")
    args = parser.parse_args()
    command = "python bench/run.py " + " ".join(sys.argv[1:])

    print(f"corpus: {args.corpus} ...", file=sys.stderr, flush=True)
    corpus = load_or_generate(args.corpus, args.mb, args.logs_mb, args.seed)
    mixed, logs = os.path.join(args.corpus, "mixed"), os.path.join(args.corpus, "logs-only")
    labels = [lb for lb in load_labels(args.corpus) if lb["target"] == "mixed"]
    env = {**os.environ, "PIISWEEP_KEY": BENCH_KEY}
    env.pop("PIISWEEP_KEY_FILE", None)
    key = BENCH_KEY.encode("utf-8")
    work = tempfile.mkdtemp(prefix="piisweep-bench-")
    runs: dict[str, CliRun] = {}
    byte_compile()
    speed = {"start": machine_speed()}
    try:
        plan = [("ner_w1", "scan mixed, NER, 1 worker", mixed, ["--workers", "1"]),
                ("ner_w2", "scan mixed, NER, 2 workers", mixed, ["--workers", "2"]),
                ("no_ner_w2", "scan mixed, --no-ner, 2 workers", mixed, ["--workers", "2", "--no-ner"])]
        for key_name, name, target, extra in plan:
            print(f"running: {name} ...", file=sys.stderr, flush=True)
            runs[key_name] = run_cli(name, target, os.path.join(work, key_name), extra, env)
        print("running: scan logs-only, --no-ner, 2 workers ...", file=sys.stderr, flush=True)
        runs["logs_no_ner_w2"] = median_run("scan logs-only, --no-ner, 2 workers", logs,
                                            os.path.join(work, "logs_no_ner_w2"), ["--workers", "2", "--no-ner"], env)
        # the fixed cost of any scan (imports, spaCy load, worker start and stop), measured on one
        # tiny file, so the throughput beyond it can be told apart from the end-to-end figure
        tiny = os.path.join(work, "tiny")
        os.makedirs(tiny)
        with open(os.path.join(tiny, "note.txt"), "w", encoding="utf-8") as fh:
            fh.write("Nothing to see here.\n")
        for key_name, extra in (("fixed_ner_w2", ["--workers", "2"]),
                                ("fixed_no_ner_w2", ["--workers", "2", "--no-ner"])):
            print(f"running: fixed cost ({' '.join(extra)}) ...", file=sys.stderr, flush=True)
            runs[key_name] = median_run(f"one tiny file {' '.join(extra[2:]) or 'NER'}, 2 w", tiny,
                                        os.path.join(work, key_name), extra, env)
        print("running: incremental rescan ...", file=sys.stderr, flush=True)
        runs["rescan_w2"] = median_run("rescan mixed --since (unchanged), 2 w", mixed, os.path.join(work, "rescan"),
                                       ["--workers", "2", "--since", runs["ner_w2"].scan_dir], env)

        print("running: vanilla Presidio on the subset ...", file=sys.stderr, flush=True)
        files = stratified_files(mixed, int(args.presidio_mb * 1e6))
        texts, extract_seconds = extract_subset(mixed, files)
        presidio = run_presidio(texts, key)
        subset_paths = {t.path for t in texts}
        subset = {"files": len(texts), "disk_bytes": sum(t.disk_bytes for t in texts),
                  "extract_seconds": extract_seconds, "paths": sorted(subset_paths)}
        sub_labels = [lb for lb in labels if lb["file"] in subset_paths]
        found = piisweep_found(runs["ner_w2"].scan_dir)
        recalls = {"piisweep_all": recall_of(labels, found, key),
                   "piisweep_subset": recall_of(sub_labels, found, key),
                   "presidio_subset": recall_of(sub_labels, presidio["found"], key)}
        profile = None
        if args.profile:
            print("running: profile ...", file=sys.stderr, flush=True)
            os.environ["PIISWEEP_KEY"] = BENCH_KEY
            profile = profile_scan(mixed, args.profile_mb)
            print(profile["pstats"])
        speed["end"] = machine_speed()
        table, doc = build_report(corpus, runs, presidio, subset, recalls, profile, command, speed)
        print(table)
        if args.json:
            os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=2, default=sorted)
        if args.keep:
            print(f"scan folders kept under {work}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
