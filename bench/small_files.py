"""A tree of many small files: what a file server's home folders look like to a scanner.

``python bench/small_files.py --out DIR [--files 20000] [--seed 7]`` writes ``--files`` text
files of 0.3-2 KB in folders of 200, about one in three holding a planted e-mail address,
phone number or National Insurance number among ordinary sentences. On such a tree the
per-item costs dominate (listing, handing a unit to a worker, one item row, a checkpoint
every 1,000 items), where the mixed corpus is dominated by bytes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench import fakedata  # noqa: E402

FILES_PER_FOLDER = 200
_SENTENCES = [
    "The meeting moved to Thursday afternoon.",
    "Please review the attached figures before Friday.",
    "The printer on the second floor is out of toner again.",
    "Backups completed without errors last night.",
    "We will update the rota once the holidays are confirmed.",
    "The supplier confirmed the delivery for next week.",
]


def _file(rng: random.Random, index: int) -> str:
    lines = [rng.choice(_SENTENCES) for _ in range(rng.randint(5, 30))]
    if index % 3 == 0:
        planted = rng.choice([
            f"Contact: user{index}@example.org",
            f"Mobile {fakedata.uk_mobile(rng)}",
            f"NI number {fakedata.nino(rng)}",
        ])
        lines.insert(rng.randrange(len(lines)), planted)
    return "\n".join(lines) + "\n"


def generate(out: str, files: int, seed: int = 7) -> str:
    """Write the tree under ``out`` (reused when it was written with the same parameters); return ``out``.
    The parameters are kept beside the tree (``OUT.params``), not in it: the scan would read them."""
    marker, params = out.rstrip("/") + ".params", f"{files} {seed}\n"
    if os.path.exists(marker) and open(marker, encoding="utf-8").read() == params:
        return out
    rng = random.Random(seed)
    for index in range(files):
        folder = os.path.join(out, f"home{index // FILES_PER_FOLDER:04d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"note{index:06d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(_file(rng, index))
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(params)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.files, args.seed))


if __name__ == "__main__":
    main()
