"""How well, and at what cost, three readers get the text of Word 97-2003 files.

``python bench/doc_readers.py [FILES...]`` (default: the .doc samples in tests/data/public)
runs Debian's antiword (``antiword -m UTF-8.txt -w 0``), Debian's catdoc (``catdoc -d utf-8
-w``) and piisweep's olefile reader (scanner/extract/legacy.py) on each file, and prints per
reader: files read, words found out of the union of the words all three found (recall
against each other: no reader is ground truth), and CPU seconds (children included).
antiword and catdoc are needed only to run this (apt install antiword catdoc).
"""

from __future__ import annotations

import glob
import os
import re
import resource
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import olefile  # noqa: E402

from scanner.extract.legacy import word_text  # noqa: E402

_WORD = re.compile(r"\w{2,}")
PUBLIC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "public")


def cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def run_program(args: list[str]) -> str | None:
    done = subprocess.run(args, capture_output=True)
    text = done.stdout.decode("utf-8", "replace")
    # both print a notice instead of text for files they cannot read
    if done.returncode or not text.strip() or "too small to handle" in text or "encrypted" in text.lower():
        return None
    return text


def ours(path: str) -> str | None:
    try:
        with olefile.OleFileIO(path) as ole:
            return word_text(ole)
    except Exception:  # the measurement counts failures, whatever their kind
        return None


READERS = {
    "antiword": lambda p: run_program(["antiword", "-m", "UTF-8.txt", "-w", "0", p]),
    "catdoc": lambda p: run_program(["catdoc", "-d", "utf-8", "-w", p]),
    "olefile (piisweep)": ours,
}


def main() -> None:
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(PUBLIC, "*.doc")))
    words: dict[str, dict[str, set[str]]] = {name: {} for name in READERS}
    seconds = dict.fromkeys(READERS, 0.0)
    for path in files:
        for name, reader in READERS.items():
            start = cpu()
            for _ in range(5):
                text = reader(path)
            seconds[name] += (cpu() - start) / 5
            if text is not None:
                words[name][path] = set(_WORD.findall(text.lower()))
    print(f"{len(files)} files: " + ", ".join(os.path.basename(f) for f in files))
    print(f"{'reader':<20}{'files read':>11}{'words found':>14}{'CPU ms/file':>13}")
    for name in READERS:
        found = total = 0
        for path in files:
            union = set().union(*(words[r].get(path, set()) for r in READERS))
            found += len(words[name].get(path, set()) & union)
            total += len(union)
        print(f"{name:<20}{len(words[name]):>11}{f'{found}/{total}':>14}{1000 * seconds[name] / len(files):>13.1f}")


if __name__ == "__main__":
    main()
