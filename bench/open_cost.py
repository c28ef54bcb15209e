"""What opening items beneath the target, without following links, costs per file.

``python bench/open_cost.py [--files 20000] [--rounds 7]`` builds a tree of small
files (folders three levels deep, like a share's ``dept/year/case/``), lists it
with the local agent, and times, per file and in alternating rounds of one run:

- ``path``: the previous way, ``os.open`` of the absolute path (the kernel walks
  every component and follows links), ``fstat``, a regular-file check;
- ``beneath``: :meth:`agents.local.LocalAgent.open`, component by component from
  cached folder descriptors with ``O_NOFOLLOW``, then the ``fstat`` identity check;

each followed by reading the file (a few hundred bytes) and closing it, as a worker
does. It also times listing the tree the previous way (``os.scandir`` on paths,
an Item per file) against the agent's descriptor-based walk. Times are CPU time of this process
(user and system); on a shared machine they are still noisy: the ratios, taken
within one run as medians of the rounds, are the figures to quote.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import statistics
import sys
import tempfile
import time

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from agents.local import LocalAgent, display_path, owner_name  # noqa: E402
from contract.models import Item  # noqa: E402
from contract.targets import parse_target  # noqa: E402

_NOATIME = getattr(os, "O_NOATIME", 0)


def build_tree(root: str, files: int) -> None:
    """``files`` files of ~300 bytes in folders ``dNN/yNN/cNN`` of 25 files each."""
    per_folder = 25
    for n in range(files):
        folder = n // per_folder
        path = os.path.join(root, f"d{folder // 100:02d}", f"y{folder // 10 % 10:02d}", f"c{folder % 10:02d}")
        if n % per_folder == 0:
            os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, f"note-{n:06d}.txt"), "wb") as fh:
            fh.write(b"Meeting notes, nothing personal: the quarterly figures look fine. " * 4)


def open_by_path(path: bytes):
    """The previous open: the absolute path, links followed, a regular-file check."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | _NOATIME)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise IsADirectoryError(path)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb", buffering=1 << 20)


def walk_by_path(uri: str, directory: bytes, rel: bytes = b""):
    """The previous listing: scandir on paths, lstat per entry, an Item per file as before."""
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        child_rel = rel + b"/" + entry.name if rel else entry.name
        if entry.is_symlink():
            continue
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            yield from walk_by_path(uri, entry.path, child_rel)
        elif stat.S_ISREG(st.st_mode):
            text = display_path(child_rel)
            yield Item(uri=uri + "/" + text, path=text, size=st.st_size, mtime=st.st_mtime,
                       owner=owner_name(st.st_uid), mode=stat.S_IMODE(st.st_mode), ref=entry.path)


def per_file(fn, items) -> float:
    """Microseconds of CPU (user and system, this process) per item of ``fn(item)`` over all items:
    other processes on a shared machine change it less than they change wall time."""
    started = time.process_time()
    for item in items:
        fn(item)
    return (time.process_time() - started) / len(items) * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    root = tempfile.mkdtemp(prefix="piisweep-open-cost-")
    try:
        build_tree(root, args.files)
        target = parse_target(root)
        with LocalAgent(target) as lister:
            items = list(lister.items())
        assert len(items) == args.files, len(items)
        paths = [item.ref.base + b"/" + item.ref.rel for item in items]
        worker = LocalAgent(target)  # a worker's agent: its folder descriptors persist across items

        def old(path):
            with open_by_path(path) as stream:
                stream.read()

        def new(item):
            with worker.open(item) as stream:
                stream.read()

        def list_new():
            with LocalAgent(target) as agent:
                return sum(1 for _ in agent.items())

        def list_old():
            return sum(1 for _ in walk_by_path(target.uri.rstrip("/"), os.fsencode(root)))

        opens = {"path": [], "beneath": []}
        listings = {"path": [], "beneath": []}
        for round_ in range(args.rounds):
            order = (("path", paths, old), ("beneath", items, new))
            for name, inputs, fn in (order if round_ % 2 == 0 else order[::-1]):
                opens[name].append(per_file(fn, inputs))
            listers = (("path", list_old), ("beneath", list_new))
            for name, fn in (listers if round_ % 2 == 0 else listers[::-1]):
                started = time.process_time()
                assert fn() == args.files
                listings[name].append((time.process_time() - started) / args.files * 1e6)
        worker.close()
        print(f"{args.files:,} files of {os.path.getsize(paths[0])} bytes, {args.rounds} alternating rounds "
              f"(median CPU time per file)")
        for what, data in (("open + read + close", opens), ("listing", listings)):
            old_us, new_us = statistics.median(data["path"]), statistics.median(data["beneath"])
            print(f"{what:22s} path {old_us:6.2f} us   beneath {new_us:6.2f} us   ratio {new_us / old_us:.3f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
