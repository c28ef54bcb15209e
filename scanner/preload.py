"""Imported once by the fork server that scan workers are forked from (see :mod:`scanner.fork`).

What every worker would otherwise import and build for itself: Presidio and our
recognisers, every format handler, and the pattern stage with its Hyperscan
database. A forked worker shares these pages with the server until it writes to them.
"""

import gc
import importlib

from detectors.engine import shared_patterns
from scanner.extract import load_handlers

importlib.import_module("scanner.worker")  # the worker's own module and the agents it imports
load_handlers()
shared_patterns()
gc.freeze()  # keep the collector from touching (and so copying) the shared pages in each worker
