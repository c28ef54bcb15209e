"""Which engine should make the one fast pass over every byte? Measured, not assumed.

``python bench/prefilter.py [--corpus bench/corpus] [--mb 8] [--repeat 3]`` times, on
the benchmark corpus' plain logs and on its prose (notes), in blocks as the scanner
reads them (256 K characters):

- the recognisers' anchors (regular expressions: digit runs, e-mail shapes, words)
  found by one Hyperscan database (what piisweep runs) and by Python's ``re``, one
  regex per anchor (what it falls back to where Hyperscan is not built);
- the recognisers' context words (literals) found by Hyperscan (piisweep's word
  index for dense candidates) and by an Aho-Corasick automaton (pyahocorasick) with
  the same whole-word rule; the two must find the same words, which is checked.

An Aho-Corasick automaton matches literals only, so it can stand in for the word
index but not for the anchors. Each figure is the best of ``--repeat`` runs, in CPU
seconds of this process; an engine too slow to finish a run in ``--cap`` seconds is
timed on the blocks it got through. The ratios are what to read, the machine being noisy.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import ahocorasick  # noqa: E402

import detectors.prefilter as prefilter_module  # noqa: E402
from bench.corpus import load_or_generate  # noqa: E402
from detectors.engine import shared_patterns  # noqa: E402
from detectors.keywords import KeywordIndex  # noqa: E402
from scanner.limits import ExtractLimits  # noqa: E402

BLOCK = ExtractLimits().block_chars  # characters per block, as the scanner reads text
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def blocks_of(folder: str, budget: int) -> list[str]:
    """The first ``budget`` characters of the text files under ``folder``, in scanner-sized blocks."""
    out: list[str] = []
    total = 0
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            out.extend(text[i:i + BLOCK] for i in range(0, len(text), BLOCK))
            total += len(text)
            if total >= budget:
                return out
    return out


def chars_per_second(run, blocks: list[str], repeat: int, cap: float) -> tuple[float, int | None]:
    """Best rate of ``repeat`` passes of ``run`` over the blocks, and what one whole pass found
    (None when a pass was cut short at ``cap`` CPU seconds)."""
    best, found = 0.0, None
    for _ in range(repeat):
        done = chars = 0
        count = 0
        started = time.process_time()
        for block in blocks:
            count += run(block)
            chars += len(block)
            done += 1
            if time.process_time() - started > cap:
                break
        best = max(best, chars / max(1e-9, time.process_time() - started))
        found = count if done == len(blocks) else None
    return best, found


def context_words() -> list[str]:
    """Every recogniser's context words, lower-cased and de-duplicated: the literals to find."""
    words = {w.strip().lower() for rule in shared_patterns().rules for w in (rule.recognizer.context or [])}
    return sorted(w for w in words if w)


class AhoCorasickWords:
    """The word index's answer (every whole-word occurrence, ASCII case folded) by an automaton."""

    def __init__(self, words: list[str]):
        self.automaton = ahocorasick.Automaton()
        for word in words:
            self.automaton.add_word(word, len(word))
        self.automaton.make_automaton()

    def spans(self, text: str) -> set[tuple[int, int]]:
        """(start, end) of each word with no letter or digit either side."""
        lower = text.translate(_ASCII_LOWER)  # Hyperscan folds ASCII case only; so does this
        found = set()
        for last, length in self.automaton.iter(lower):
            start, end = last + 1 - length, last + 1
            if (start == 0 or lower[start - 1] not in _ALNUM) and (end == len(lower) or lower[end] not in _ALNUM):
                found.add((start, end))
        return found


def hyperscan_word_spans(index: KeywordIndex, text: str) -> set[tuple[int, int]]:
    """(start, end) of each word found by piisweep's word index."""
    return set(index.scan(text)._context)


def python_prefilter() -> prefilter_module.Prefilter:
    """The pre-filter as built where Hyperscan is missing: one ``re`` per anchor."""
    saved, prefilter_module.hyperscan = prefilter_module.hyperscan, None
    prefilter_module.log.disabled = True  # its warning that Hyperscan is missing would be untrue here
    try:
        return prefilter_module.Prefilter(shared_patterns().prefilter.anchors)
    finally:
        prefilter_module.hyperscan = saved
        prefilter_module.log.disabled = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "corpus"))
    parser.add_argument("--mb", type=float, default=8, help="characters of each kind of text, in millions")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=5, help="CPU seconds an engine may take per pass")
    parser.add_argument("--corpus-mb", type=float, default=220)
    parser.add_argument("--logs-mb", type=float, default=110)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    load_or_generate(args.corpus, args.corpus_mb, args.logs_mb, args.seed)
    budget = int(args.mb * 1e6)
    kinds = {"plain logs": blocks_of(os.path.join(args.corpus, "logs-only"), budget),
             "prose (notes)": blocks_of(os.path.join(args.corpus, "mixed", "notes"), budget)}

    stage = shared_patterns()
    fallback = python_prefilter()
    words = context_words()
    index = KeywordIndex(words)
    automaton = AhoCorasickWords(words)
    engines = [
        ("anchors", "Hyperscan, one database (piisweep)",
         lambda t: sum(map(len, stage.prefilter.hits(t).values()))),
        ("anchors", "re, one regex per anchor (fallback)", lambda t: sum(map(len, fallback.hits(t).values()))),
        ("context words", "Hyperscan (piisweep's word index)", lambda t: len(hyperscan_word_spans(index, t))),
        ("context words", "Aho-Corasick (pyahocorasick)", lambda t: len(automaton.spans(t))),
    ]
    print(f"{len(stage.prefilter.anchors)} anchors, {len(words)} context words; best of {args.repeat}, CPU seconds")
    for kind, blocks in kinds.items():
        chars = sum(map(len, blocks))
        # the word engines must agree before their speeds mean anything
        if any(automaton.spans(block) != hyperscan_word_spans(index, block) for block in blocks):
            sys.exit(f"{kind}: the word engines disagree; the comparison would be meaningless")
        print(f"\n{kind}: {chars / 1e6:.1f} M characters in {len(blocks)} blocks")
        print(f"  {'what':14} {'engine':40} {'Mchar/s':>8} {'vs best':>8} {'found':>9}")
        rows = [(what, name, *chars_per_second(run, blocks, args.repeat, args.cap)) for what, name, run in engines]
        for what in ("anchors", "context words"):
            fastest = max(rate for w, _, rate, _ in rows if w == what)
            for w, name, rate, found in rows:
                if w == what:
                    print(f"  {w:14} {name:40} {rate / 1e6:8.1f} {fastest / rate:7.1f}x "
                          f"{'(sampled)' if found is None else found:>9}")


if __name__ == "__main__":
    main()
