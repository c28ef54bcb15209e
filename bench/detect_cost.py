"""What detection costs per MB of text, for this checkout and others, measured side by side.

``python bench/detect_cost.py [--code DIR ...] [--rounds 5] [--prose-kb 200] [--logs-kb 2000]``
builds three fixed samples — English business prose (letters with planted names
and identifiers, as in bench/corpus.py), the conversational names corpus of
bench/quality_chat.py (chats, tickets, e-mails about people of 19 countries), and
application/web logs — and times ``Detector.analyze_texts`` over each, prose with
NER, logs without, for each checkout. Checkouts run in turns, round after round,
each in its own interpreter (so each imports its own detectors), and the median
of the rounds is reported: on a shared machine, alternating keeps both under the
same load. Also reported: the share of the prose's characters spaCy read (the
gate's work) and the one-off cost of building a detector (word lists, Hyperscan).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, REPO)

# What one round runs in a checkout's interpreter: the samples are read from a JSON file.
_ROUND = r"""
import json, sys, time
samples = json.load(open(sys.argv[1], encoding="utf-8"))
started = time.perf_counter()
from detectors.engine import Detector, DetectorConfig
from detectors import ner
with_ner, without = Detector(DetectorConfig()), Detector(DetectorConfig(ner=False))
built = time.perf_counter() - started
with_ner.analyze_texts([("Warm up: Jane Mason wrote to Kovács about 10 Downing Street.", "prose")])
out = {"build_seconds": built}
for name, texts in samples.items():
    detector = without if name == "logs" else with_ner
    hint = "lines" if name == "logs" else "prose"
    started = time.perf_counter()
    for text in texts:
        detector.analyze_texts([(text, hint)])
    seconds = time.perf_counter() - started
    read = 0
    if name != "logs":
        claimed = [without.analyze_text(text, hint) for text in texts]
        read = sum(len(run) for text, spans in zip(texts, claimed) for _, run, _ in ner.route(text, spans)[1])
    out[name] = {"seconds": seconds, "chars": sum(map(len, texts)), "spacy_chars": read}
print(json.dumps(out))
"""


def make_samples(prose_kb: int, logs_kb: int, seed: int = 5) -> dict[str, list[str]]:
    """The three fixed samples: lists of texts, each text one document or log file."""
    from bench.corpus import Planter, letter_paragraphs, log_text, make_pools
    from bench.quality_chat import build_chat_corpus

    rng = random.Random(seed)
    planter = Planter(rng, make_pools(seed), None)
    prose, size = [], 0
    while size < prose_kb * 1000:
        prose.append("\n\n".join(letter_paragraphs(planter, rng.randint(8, 30))))
        size += len(prose[-1])
    with tempfile.TemporaryDirectory() as tmp:
        build_chat_corpus(tmp, seed)
        files = json.load(open(os.path.join(tmp, "labels.json"), encoding="utf-8"))["files"]
        chats = [open(os.path.join(tmp, "files", rel), encoding="utf-8").read() for rel in files]
    logs = [log_text(planter, 200_000, dt.datetime(2024, 3, 1) + dt.timedelta(days=i)) for i in range(logs_kb // 200)]
    return {"prose": prose, "names": chats, "logs": logs}


def run_round(code: str, samples_path: str) -> dict:
    """One round in the checkout at ``code``."""
    env = dict(os.environ, PYTHONPATH=code, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", _ROUND, samples_path], capture_output=True, text=True, env=env,
                          cwd=code)
    if proc.returncode:
        raise RuntimeError(f"round in {code} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Time every checkout in turns and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", action="append", help="A checkout to measure (repeatable; default: this one).")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--prose-kb", type=int, default=200)
    parser.add_argument("--logs-kb", type=int, default=2000)
    parser.add_argument("--json", dest="json_path", help="Write the rounds and medians here.")
    args = parser.parse_args(argv)
    codes = [os.path.abspath(c) for c in (args.code or [REPO])]
    samples = make_samples(args.prose_kb, args.logs_kb)
    rounds: dict[str, list[dict]] = {code: [] for code in codes}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "samples.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(samples, fh)
        for _ in range(args.rounds):
            for code in codes:
                rounds[code].append(run_round(code, path))
    summary = {}
    for code in codes:
        result = {"build_seconds": statistics.median(r["build_seconds"] for r in rounds[code])}
        for name in samples:
            chars = rounds[code][0][name]["chars"]
            seconds = statistics.median(r[name]["seconds"] for r in rounds[code])
            result[name] = {"ms_per_mb": round(seconds * 1000 / (chars / 1e6), 1), "chars": chars,
                            "spacy_share": round(rounds[code][0][name]["spacy_chars"] / chars, 4)}
        summary[code] = result
        print(f"{code}: detector built in {result['build_seconds']:.2f} s")
        for name in samples:
            r = result[name]
            print(f"  {name:6s} {r['chars'] / 1e6:6.2f} M chars  {r['ms_per_mb']:9.1f} ms/MB"
                  + (f"  spaCy read {r['spacy_share']:.1%}" if name != "logs" else ""))
    if len(codes) == 2:
        first, second = summary[codes[0]], summary[codes[1]]
        for name in samples:
            print(f"{name}: {codes[1]} / {codes[0]} = {second[name]['ms_per_mb'] / first[name]['ms_per_mb']:.2f}x time")
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump({"summary": summary, "rounds": rounds}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
