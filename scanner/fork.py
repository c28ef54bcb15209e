"""How scan workers are started: forked from a fork server that has imported the detectors.

A light module, so that the command line can start the server before it imports
anything heavy itself: the server then imports the detectors and builds the
pattern stage (:mod:`scanner.preload`; spaCy too, :mod:`scanner.preload_ner`,
unless the scan is ``--no-ner``; :mod:`scanner.preload_done` freezes what they built)
while the scan's own process is still importing and enumerating, and the first worker
is forked without waiting for either.
"""

from __future__ import annotations

import multiprocessing as mp


def _context():
    """The fork server where there is one (POSIX). The scan's own process is never forked:
    it holds threads (the progress display) and sockets. Elsewhere workers are spawned and
    build everything themselves."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    return mp.get_context("forkserver")


CONTEXT = _context()


def preload_for(ner: bool) -> None:
    """Choose what the fork server loads, before it starts (no effect once it runs): the
    detectors, and spaCy with its pipeline only when workers will run NER."""
    if CONTEXT.get_start_method() == "forkserver":
        CONTEXT.set_forkserver_preload(["scanner.quiet_signals", "scanner.preload"]
                                       + (["scanner.preload_ner"] if ner else []) + ["scanner.preload_done"])


def start_server(ner: bool) -> None:
    """Start the fork server now rather than when the first worker is needed."""
    preload_for(ner)
    if CONTEXT.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
