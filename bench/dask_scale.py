"""Scale-out on Dask: 1 and 2 Dask workers against the local pool, the scheduler's cost per
task, and a model of 8, 32 and 128 workers from the measured per-item costs.

``python bench/dask_scale.py [--corpus bench/corpus] [--small-files 20000] [--json FILE]``

Uses the mixed corpus (``bench/corpus.py``, generated if missing) and the small-files tree
(``bench/small_files.py``). For each tree it times ``piisweep scan`` with the local pool
(2 workers), then with ``--executor`` on a loopback ``LocalCluster`` of 1 and of 2 worker
processes (one thread each; warmed up first, as a standing cluster is), and reads the
client's own CPU time (enumeration, result streaming, inventory writing: the part that does
not scale out). A stream of no-op tasks at the same depth measures what the scheduler and
the client spend per task. On a 2-core machine the scheduler, the client and the workers
share the cores: the 2-worker figures are a floor, not what two hosts would do.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench import corpus as mixed_corpus  # noqa: E402
from bench import small_files  # noqa: E402
from bench.compiled import byte_compile  # noqa: E402
from bench.run import REPO  # noqa: E402

KEY = "bench-dask-scale-key-0123456789"
MODEL_WORKERS = (1, 2, 8, 32, 128)


def run_scan(tree: str, out: str, extra: list[str], env: dict) -> dict:
    """``piisweep scan TREE`` in a subprocess: wall time, the scan process's own CPU time
    (its children's too for the local pool), and the manifest's counts."""
    os.makedirs(out, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "piisweep.cli", "scan", tree, "--out", out, "--quiet", *extra],
                          cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"piisweep exited {proc.returncode}: {proc.stderr[-2000:]}")
    scan_dir = os.path.join(out, sorted(os.listdir(out))[-1])
    with open(os.path.join(scan_dir, "manifest.json"), encoding="utf-8") as fh:
        counts = json.load(fh)["counts"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "items": counts["items"],
            "findings": counts["findings"], "items_s": round(counts["items"] / wall, 1),
            "mb_s": round(counts["bytes_scanned"] / 1e6 / wall, 2)}


def enumeration(tree: str) -> dict:
    """What the client spends listing the tree and grouping it into tasks, per item."""
    from agents import make_agent
    from agents.base import AgentOptions
    from contract.targets import parse_target
    from scanner.batching import batch_units
    from scanner.units import WorkUnit

    target = parse_target(tree)
    started = time.process_time()
    with make_agent(target, AgentOptions()) as agent:
        units = (WorkUnit(target, item, agent.name, agent.host) for item in agent.items())
        batches = [len(batch) for batch in batch_units(units)]
    cpu = time.process_time() - started
    items = sum(batches)
    return {"items": items, "tasks": len(batches), "items_per_task": round(items / len(batches), 1),
            "cpu_us_per_item": round(cpu / items * 1e6, 1)}


def _noop(units):
    return len(units)


def noop_rate(client, tasks: int, depth: int) -> float:
    """No-op tasks a second through the scheduler with ``depth`` in flight, each carrying a
    batch-sized argument: everything a task costs (client, scheduler, worker) but the work."""
    payload = [("file:///some/tree/a/path/of/typical/length-%05d.txt" % n, 1234, 1.7e9) for n in range(32)]
    started = time.perf_counter()
    pending = set()
    for n in range(tasks):
        pending.add(client.submit(_noop, payload, pure=False))
        while len(pending) >= depth:
            done = {f for f in pending if f.done()}
            if not done:
                time.sleep(0.0005)
            for f in done:
                f.result()
            pending -= done
    for f in pending:
        f.result()
    return tasks / (time.perf_counter() - started)


def warm(address: str, workers: int, work: str, env: dict) -> None:
    """Build every worker's detector (spaCy, recognisers) before the timed scans: a standing
    cluster has them already. Files large enough to go alone, so every worker gets some."""
    tree = os.path.join(work, f"warm-{workers}")
    os.makedirs(tree, exist_ok=True)
    for n in range(workers * 3):
        with open(os.path.join(tree, f"w{n}.txt"), "w", encoding="utf-8") as fh:
            fh.write("Nothing personal in here, just warming up the workers.\n" * 6000)
    run_scan(tree, os.path.join(work, f"warm-out-{workers}"), ["--executor", address], env)


def model(per_item_worker: float, client_per_item: float, per_task: float, items_per_task: float) -> list[dict]:
    """Items a second for N workers: the least of what the workers, the client and the
    scheduler can each do."""
    rows = []
    for n in MODEL_WORKERS:
        limits = {"workers": n / per_item_worker, "client": 1 / client_per_item,
                  "scheduler": items_per_task / per_task}
        bound = min(limits, key=limits.get)
        rows.append({"workers": n, "items_s": round(limits[bound], 1), "bound_by": bound,
                     **{f"{k}_limit": round(v, 1) for k, v in limits.items()}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(REPO, "bench", "corpus"))
    parser.add_argument("--small-files", type=int, default=20_000)
    parser.add_argument("--noop-tasks", type=int, default=3000)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    mixed_corpus.load_or_generate(args.corpus, 220, 110, 7)
    small_files.load_or_generate(os.path.join(args.corpus, "small"), args.small_files, 7)
    trees = {"mixed": os.path.join(args.corpus, "mixed"), "small": os.path.join(args.corpus, "small", "tree")}
    byte_compile()
    os.environ["PIISWEEP_KEY"] = KEY  # the workers hold the key themselves: nothing is shipped
    os.environ.pop("PIISWEEP_KEY_FILE", None)
    env = dict(os.environ)
    results: dict = {"enumeration": {name: enumeration(tree) for name, tree in trees.items()}, "scans": {}}
    with tempfile.TemporaryDirectory(prefix="piisweep-dask-") as work:
        for name, tree in trees.items():
            print(f"local pool, {name} ...", file=sys.stderr, flush=True)
            results["scans"][f"{name}/local-2"] = run_scan(tree, os.path.join(work, f"{name}-local"),
                                                           ["--workers", "2"], env)
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address="127.0.0.1:0") as cluster:
                address = cluster.scheduler_address
                warm(address, workers, work, env)
                for name, tree in trees.items():
                    print(f"dask {workers} worker(s), {name} ...", file=sys.stderr, flush=True)
                    results["scans"][f"{name}/dask-{workers}"] = run_scan(
                        tree, os.path.join(work, f"{name}-dask-{workers}"), ["--executor", address], env)
                if workers == 2:
                    with Client(address, set_as_default=False) as client:
                        # at the executor's depth (round trips, latency-bound) and deep (capacity)
                        results["noop_tasks_s_depth_4"] = round(noop_rate(client, args.noop_tasks, 4), 1)
                        results["noop_tasks_s"] = round(noop_rate(client, args.noop_tasks, 256), 1)
    per_task = 1 / results["noop_tasks_s"]
    results["model"] = {}
    for name in trees:
        one = results["scans"][f"{name}/dask-1"]
        two = results["scans"][f"{name}/dask-2"]
        shape = results["enumeration"][name]
        # the share of the workers' time a task's travel costs: per-task cost / worker time per task
        worker_seconds_per_task = 2 * two["seconds"] / shape["tasks"]
        results[f"{name}_worker_ms_per_task"] = round(worker_seconds_per_task * 1000, 1)
        results[f"{name}_scheduler_share"] = round(per_task / worker_seconds_per_task, 3)
        results["model"][name] = model(one["seconds"] / one["items"], two["cpu_seconds"] / two["items"],
                                       per_task, shape["items_per_task"])
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
