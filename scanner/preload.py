"""Imported once by the fork server that scan workers are forked from (see :mod:`scanner.fork`).

What every worker would otherwise import and build for itself: Presidio and our
recognisers, the pattern stage with its Hyperscan database, and what recognisers
build on first use (:mod:`detectors.warmup`). Format handlers are not among them:
a worker imports each on its format's first item (see scanner.extract.dispatch).
A forked worker shares these pages with the server until it writes to them.
"""

import gc
import importlib

from detectors.engine import shared_patterns
from detectors.warmup import warm_up

importlib.import_module("scanner.worker")  # the worker's own module and the agents it imports
shared_patterns()
warm_up()  # what recognisers build on first use, built here rather than in every worker
gc.freeze()  # keep the collector from touching (and so copying) the shared pages in each worker
