"""Quality benchmark: measured precision / recall of piisweep against vanilla Presidio.

Run as ``python bench/quality.py [--corpus DIR] [--seed N] [--json FILE] [--errors FILE] [--code DIR]``.
It builds (or reuses, when ``DIR/labels.json`` exists) the labelled corpus of
:mod:`bench.quality_corpus` and the multilingual conversational names corpus of
:mod:`bench.quality_chat` (in ``DIR/chat``), scans both with the real
``piisweep scan`` CLI, runs vanilla Presidio (``AnalyzerEngine``, default
recognisers, the same spaCy model, language "en", default threshold) on the same
extracted text, and prints per-entity precision, recall and F1 of both tools at
span and file level, overall micro-F1, hard-negative findings, PERSON on the
names corpus (overall, full names and lone first names or surnames), the
targets and timings. ``--code DIR`` scans with the piisweep checkout at DIR
instead of this one (the same corpora and vanilla run: before/after
comparisons). Scoring rules are in :mod:`bench.quality_metrics`. Not a unit
test: it takes minutes and measures detection, not code paths.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, REPO)

import pyarrow.parquet as pq  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.quality_chat import build_chat_corpus  # noqa: E402
from bench.quality_corpus import build_corpus, load_labels  # noqa: E402
from bench.quality_metrics import (FILE_ONLY, Prediction, file_scores, micro, negative_hits,  # noqa: E402
                                   span_errors, span_scores)
from detectors.normalise import normalise  # noqa: E402
from contract.keys import value_hash  # noqa: E402

KEY = "quality-bench-estate-key-4f1c9a2e"
TOOLS = ("piisweep", "vanilla")

# Targets of the issue (span level). Checksum-validated identifiers are held to the stricter bar.
CHECKSUM_IDS = ("UK_NHS", "IBAN_CODE", "CREDIT_CARD", "CA_SIN", "NL_BSN", "FR_NIR", "BE_NATIONAL_NUMBER", "DEVICE_ID",
                "DE_TAX_ID", "IE_PPSN")
STRICT_IDS = ("EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "MAC_ADDRESS", "UK_NINO", "US_SSN")
# Types found by NER or wording, not by an identifier's shape: not counted as identifier findings on negatives.
NOT_IDENTIFIERS = frozenset({"PERSON", "STREET_ADDRESS", "LOCATION", "NRP", "DATE_TIME", "ORGANIZATION", "URL"}
                            | FILE_ONLY)


def is_identifier(entity: str) -> bool:
    """Whether a finding of this type counts against the "no identifiers on hard negatives" target."""
    return entity not in NOT_IDENTIFIERS


def hasher(key: bytes):
    """The inventory's hash of a normalised value, so labels join to findings."""
    return lambda entity, value: value_hash(key, normalise(entity, value))


# -- piisweep -----------------------------------------------------------------------------------------------------

def run_piisweep(files_dir: str, out_dir: str, code: str = REPO) -> tuple[str, float]:
    """Scan with the real CLI of the checkout at ``code``; return the scan folder and wall-clock seconds."""
    env = dict(os.environ, PIISWEEP_KEY=KEY, PYTHONPATH=code + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PIISWEEP_KEY_FILE", None)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "piisweep.cli", "scan", files_dir, "--out", out_dir,
                           "--workers", "2", "--client", "quality", "--quiet"],
                          capture_output=True, text=True, env=env, cwd=code)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"piisweep scan exited {proc.returncode}: {proc.stderr[-2000:]}")
    scans = sorted(os.listdir(out_dir))
    return os.path.join(out_dir, scans[-1]), seconds


def piisweep_predictions(scan_dir: str) -> tuple[list[Prediction], list[Prediction], dict]:
    """(scored, reported, item statuses): scored adds each sampled column value's hash (values.parquet)
    to the span findings, and column findings as presence only; reported is one entry per findings row."""
    findings = pq.read_table(os.path.join(scan_dir, "findings.parquet"),
                             columns=["path", "container", "entity_type", "value_hash", "preview", "line"]).to_pylist()
    values = pq.read_table(os.path.join(scan_dir, "values.parquet"),
                           columns=["path", "entity_type", "value_hash"]).to_pylist()
    items = pq.read_table(os.path.join(scan_dir, "items.parquet"), columns=["status"]).column("status").to_pylist()
    reported = [Prediction(f["path"], f["entity_type"], f["value_hash"],
                           f"{f['preview']} @ {f['container'] or '-'}:{f['line'] or '-'}") for f in findings]
    scored = reported + [Prediction(v["path"], v["entity_type"], v["value_hash"], "column value") for v in values]
    statuses = {s: items.count(s) for s in set(items)}
    return scored, reported, statuses


# -- vanilla Presidio ---------------------------------------------------------------------------------------------

_ENGINE = None


def _init_vanilla(model: str) -> None:
    global _ENGINE
    from bench import presidio_offline

    presidio_offline.install()  # Presidio's e-mail recogniser would fetch the Public Suffix List
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]})
    _ENGINE = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def file_text(path: str, rel: str) -> str | None:
    """A file's extracted text as vanilla Presidio gets it: text blocks, and columns as "header: value" lines."""
    from scanner.extract import ExtractError, Unsupported, extract
    from contract.models import ColumnBlock, Item, TextBlock

    item = Item(uri="file://" + path, path=rel, size=os.path.getsize(path))
    parts = []
    try:
        with open(path, "rb") as fh:
            for block in extract(fh, item, fd_path=f"/proc/self/fd/{fh.fileno()}"):
                if isinstance(block, TextBlock):
                    parts.append(block.text)
                elif isinstance(block, ColumnBlock):
                    parts.append("\n".join(f"{block.header}: {v}" for v in block.values if v))
    except (Unsupported, ExtractError):
        return None
    return "\n".join(parts)


def _vanilla_file(args: tuple[str, str]) -> tuple[str, list[tuple[str, str, str]], int, bool]:
    path, rel = args
    text = file_text(path, rel)
    if text is None:
        return rel, [], 0, False
    key = KEY.encode("utf-8")
    found = []
    for r in _ENGINE.analyze(text=text, language="en"):
        value = text[r.start:r.end]
        found.append((r.entity_type, value_hash(key, normalise(r.entity_type, value)),
                      f"{r.start}-{r.end} score {r.score:.2f}"))
    return rel, found, len(text), True


def run_vanilla(files_dir: str, files: list[str], model: str) -> tuple[list[Prediction], float, int, int]:
    """Vanilla Presidio over every file, two processes (as the piisweep run); predictions, seconds, chars, failures."""
    started = time.perf_counter()
    predictions, chars, failed = [], 0, 0
    work = [(os.path.join(files_dir, rel), rel) for rel in files]
    with get_context("spawn").Pool(2, initializer=_init_vanilla, initargs=(model,)) as pool:
        for rel, found, n, ok in pool.imap_unordered(_vanilla_file, work, chunksize=4):
            chars += n
            failed += not ok
            predictions.extend(Prediction(rel, entity, h, detail) for entity, h, detail in found)
    return predictions, time.perf_counter() - started, chars, failed


# -- report -------------------------------------------------------------------------------------------------------

def _fmt(score) -> list[str]:
    return [f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}"]


def score_table(title: str, scores: dict[str, dict]) -> Table:
    """Per-entity P / R / F1 of both tools, and the micro average."""
    table = Table(title=title)
    for col in ["entity", "labels", "pii P", "pii R", "pii F1", "van P", "van R", "van F1"]:
        table.add_column(col, justify="left" if col == "entity" else "right")
    for entity in sorted(scores["piisweep"]):
        table.add_row(entity, str(scores["piisweep"][entity].labels), *_fmt(scores["piisweep"][entity]),
                      *_fmt(scores["vanilla"][entity]))
    overall = {tool: micro(scores[tool].values()) for tool in TOOLS}
    table.add_row("[b]micro (all)[/b]", str(overall["piisweep"].labels), *_fmt(overall["piisweep"]),
                  *_fmt(overall["vanilla"]))
    return table


def check_targets(span: dict[str, dict], overall: dict, negatives: dict[str, dict]) -> list[dict]:
    """The issue's targets, evaluated on piisweep's span-level scores."""
    s = span["piisweep"]
    results = []

    def add(name: str, value: float, goal: float, ok: bool) -> None:
        results.append({"target": name, "value": round(value, 4), "goal": goal, "met": ok})

    for entity in CHECKSUM_IDS:
        if entity in s:
            add(f"{entity} precision", s[entity].precision, 0.98, s[entity].precision >= 0.98)
            add(f"{entity} recall", s[entity].recall, 0.97, s[entity].recall >= 0.97)
    for entity in STRICT_IDS:
        if entity in s:
            add(f"{entity} precision", s[entity].precision, 0.95, s[entity].precision >= 0.95)
            add(f"{entity} recall", s[entity].recall, 0.95, s[entity].recall >= 0.95)
    for entity, goal in (("PERSON", 0.85), ("STREET_ADDRESS", 0.80)):
        if entity in s:
            add(f"{entity} F1", s[entity].f1, goal, s[entity].f1 >= goal)
    hits = sum(negatives["piisweep"].values())
    add("identifier findings on hard negatives", hits, 0, hits == 0)
    gain = overall["piisweep"].f1 - overall["vanilla"].f1
    add("overall span micro-F1 gain over vanilla", gain, 0.20, gain >= 0.20)
    return results


# Targets of the multilingual names corpus (PERSON, span level)
NAMES_RECALL, NAMES_PRECISION = 0.85, 0.90


def names_scores(labels, preds: dict, h) -> dict[str, dict]:
    """PERSON span scores of both tools on the names corpus: overall, and the recall of full names
    (two words or more) and of lone first names or surnames (precision is of all predictions)."""
    scores = {}
    for tool in TOOLS:
        overall = span_scores(labels, preds[tool], h).get("PERSON")
        full = span_scores([lb for lb in labels if " " in lb.value], preds[tool], h).get("PERSON")
        lone = span_scores([lb for lb in labels if " " not in lb.value], preds[tool], h).get("PERSON")
        scores[tool] = {"all": overall, "full names": full, "lone names": lone}
    return scores


def names_table(scores: dict[str, dict]) -> Table:
    """PERSON on the names corpus, both tools (a subset's precision would count other subsets'
    names as wrong: only its recall is shown)."""
    table = Table(title="Multilingual conversational names (PERSON, span level)")
    for col in ["labels", "subset", "pii P", "pii R", "pii F1", "van P", "van R", "van F1"]:
        table.add_column(col, justify="left" if col == "subset" else "right")
    for subset in ("all", "full names", "lone names"):
        mine, theirs = scores["piisweep"][subset], scores["vanilla"][subset]
        if subset == "all":
            table.add_row(str(mine.labels), subset, *_fmt(mine), *_fmt(theirs))
        else:
            table.add_row(str(mine.labels), subset, "-", f"{mine.recall:.3f}", "-", "-", f"{theirs.recall:.3f}", "-")
    return table


def check_names_targets(scores: dict[str, dict]) -> list[dict]:
    """The names corpus's targets: recall and precision, and recall at least vanilla Presidio's."""
    mine, theirs = scores["piisweep"]["all"], scores["vanilla"]["all"]
    return [
        {"target": "names PERSON recall", "value": round(mine.recall, 4), "goal": NAMES_RECALL,
         "met": mine.recall >= NAMES_RECALL},
        {"target": "names PERSON precision", "value": round(mine.precision, 4), "goal": NAMES_PRECISION,
         "met": mine.precision >= NAMES_PRECISION},
        {"target": "names PERSON recall - vanilla's", "value": round(mine.recall - theirs.recall, 4), "goal": 0.0,
         "met": mine.recall >= theirs.recall},
    ]


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the corpus, run both tools, print and optionally save the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="Corpus folder (built there unless it holds labels.json).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", dest="json_path", help="Write the summary as JSON here.")
    parser.add_argument("--errors", help="Write piisweep's missed labels and wrong findings (synthetic values) here.")
    parser.add_argument("--code", default=REPO, help="Scan with the piisweep checkout at this folder (default: this one).")
    args = parser.parse_args(argv)
    code = os.path.abspath(args.code)
    console = Console(width=120)
    from detectors.config import resolve_model

    workdir = tempfile.mkdtemp(prefix="piisweep-quality-")
    corpus = os.path.abspath(args.corpus) if args.corpus else os.path.join(workdir, "corpus")
    try:
        timings = {}
        started = time.perf_counter()
        if not os.path.exists(os.path.join(corpus, "labels.json")):
            build_corpus(corpus, args.seed)
        chat = os.path.join(corpus, "chat")
        if not os.path.exists(os.path.join(chat, "labels.json")):
            build_chat_corpus(chat, args.seed)
        timings["corpus_build"] = time.perf_counter() - started
        labels, files, negatives = load_labels(corpus)
        files_dir = os.path.join(corpus, "files")
        corpus_bytes = sum(os.path.getsize(os.path.join(files_dir, f)) for f in files)
        console.print(f"corpus: {len(files)} files ({len(negatives)} hard negatives), {len(labels)} labels, "
                      f"{corpus_bytes / 1e6:.1f} MB")

        if code != REPO:
            console.print(f"piisweep code under test: {code}")
        scan_dir, timings["piisweep_scan"] = run_piisweep(files_dir, os.path.join(workdir, "out"), code)
        scored, reported, statuses = piisweep_predictions(scan_dir)
        model = resolve_model()
        vanilla, timings["vanilla_presidio"], chars, failed = run_vanilla(files_dir, files, model)
        console.print(f"piisweep items: {statuses}; vanilla: {chars / 1e6:.2f} M chars of extracted text, "
                      f"{failed} files not extractable; spaCy model {model}")

        h = hasher(KEY.encode("utf-8"))
        preds = {"piisweep": scored, "vanilla": vanilla}
        span = {tool: span_scores(labels, preds[tool], h) for tool in TOOLS}
        per_file = {tool: file_scores(labels, preds[tool]) for tool in TOOLS}
        overall = {tool: micro(span[tool].values()) for tool in TOOLS}
        overall_file = {tool: micro(per_file[tool].values()) for tool in TOOLS}
        raw = {"piisweep": reported, "vanilla": vanilla}
        neg = {tool: negative_hits(raw[tool], negatives, is_identifier) for tool in TOOLS}
        neg_all = {tool: negative_hits(raw[tool], negatives, lambda e: True) for tool in TOOLS}

        console.print(score_table("Span level (values matched by keyed hash)", span))
        console.print(score_table("File level (entity type present in file)", per_file))
        for tool in TOOLS:
            console.print(f"{tool:9s} span micro-F1 {overall[tool].f1:.3f}  file micro-F1 "
                          f"{overall_file[tool].f1:.3f}  hard-negative identifier findings "
                          f"{sum(neg[tool].values())} {dict(sorted(neg[tool].items()))}"
                          f"  (all types: {sum(neg_all[tool].values())})")
        gain = overall["piisweep"].f1 - overall["vanilla"].f1
        console.print(f"span micro-F1 difference (piisweep - vanilla): {gain:+.3f}")
        targets = check_targets(span, overall, neg)
        target_table = Table(title="Targets (piisweep, span level)")
        for col in ("target", "value", "goal", "met"):
            target_table.add_column(col)
        for t in targets:
            target_table.add_row(t["target"], f"{t['value']:.3f}" if isinstance(t["value"], float) else str(t["value"]),
                                 str(t["goal"]), "[green]yes[/]" if t["met"] else "[red]no[/]")
        console.print(target_table)
        chat_labels, chat_files, _ = load_labels(chat)
        chat_files_dir = os.path.join(chat, "files")
        chat_dir, timings["piisweep_scan_names"] = run_piisweep(chat_files_dir, os.path.join(workdir, "out-chat"), code)
        chat_scored = piisweep_predictions(chat_dir)[0]
        chat_vanilla, timings["vanilla_presidio_names"], _, _ = run_vanilla(chat_files_dir, chat_files, model)
        names = names_scores(chat_labels, {"piisweep": chat_scored, "vanilla": chat_vanilla}, h)
        console.print(f"names corpus: {len(chat_files)} chats, tickets and e-mails, "
                      f"{names['piisweep']['all'].labels} distinct PERSON labels")
        console.print(names_table(names))
        names_targets = check_names_targets(names)
        for t in names_targets:
            console.print(f"  {t['target']}: {t['value']:.3f} (goal {t['goal']}) {'met' if t['met'] else 'NOT met'}")
        console.print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))

        if args.json_path:
            summary = {
                "corpus": {"files": len(files), "negatives": len(negatives), "labels": len(labels),
                           "bytes": corpus_bytes, "seed": args.seed},
                "model": model,
                "span": {tool: {e: s.as_dict() for e, s in sorted(span[tool].items())} for tool in TOOLS},
                "file": {tool: {e: s.as_dict() for e, s in sorted(per_file[tool].items())} for tool in TOOLS},
                "overall": {"span": {t: overall[t].as_dict() for t in TOOLS},
                            "file": {t: overall_file[t].as_dict() for t in TOOLS},
                            "span_f1_difference": round(gain, 4)},
                "hard_negatives": {"identifier_findings": neg, "all_findings": neg_all},
                "targets": targets,
                "names": {tool: {subset: score.as_dict() for subset, score in names[tool].items()} for tool in TOOLS},
                "names_targets": names_targets,
                "code": code,
                "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
            }
            with open(args.json_path, "w", encoding="utf-8") as fh:
                json.dump(summary, fh, indent=2)
        if args.errors:
            missed, wrong = span_errors(labels, scored, h)
            names_missed, names_wrong = span_errors(chat_labels, chat_scored, h)
            with open(args.errors, "w", encoding="utf-8") as fh:
                json.dump({"missed": [{"file": m.file, "entity": m.entity, "value": m.value} for m in missed],
                           "wrong": [{"file": w.file, "entity": w.entity, "where": w.detail} for w in wrong],
                           "names_missed": [{"file": m.file, "value": m.value} for m in names_missed],
                           "names_wrong": [{"file": w.file, "where": w.detail} for w in names_wrong]},
                          fh, indent=1, ensure_ascii=False)
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
