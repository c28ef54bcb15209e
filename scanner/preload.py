"""Imported once by the fork server that scan workers are forked from (see :mod:`scanner.fork`).

What every worker would otherwise import and build for itself: Presidio and our
recognisers, the pattern stage with its Hyperscan database, and what recognisers
build on first use (:mod:`detectors.warmup`). Format handlers are not among them:
a worker imports each on its format's first item (see scanner.extract.dispatch).
A forked worker shares these pages with the server until it writes to them.

The cyclic garbage collector is off while the server builds (until
:mod:`scanner.preload_done`): everything built here lives as long as the server,
so the ~500 collections the build would trigger (a quarter of a second, which
every scan waits for before its first worker starts) would free nothing.
"""

import gc
import importlib

gc.disable()

# Presidio first, from here rather than from deep inside our detectors' imports: its import
# compiles its predefined patterns, and that recursive parsing, started from the deeper stack,
# crosses a boundary where CPython 3.11 maps and unmaps a frame-stack chunk on every call (a
# page fault each: a third more faults and a quarter of a second more in the server's build).
import presidio_analyzer  # noqa: E402,F401

from detectors.engine import shared_patterns  # noqa: E402  (after the collector is off)
from detectors.warmup import warm_up  # noqa: E402

importlib.import_module("scanner.worker")  # the worker's own module and the agents it imports
shared_patterns()
warm_up()  # what recognisers build on first use, built here rather than in every worker
