"""How scan workers are started: forked from a fork server that has imported the detectors.

A light module, so that the command line can start the server before it imports
anything heavy itself: the server then imports Presidio and builds the pattern
stage (:mod:`scanner.preload`) while the scan's own process is still importing
and enumerating, and the first worker is forked without waiting for either.
"""

from __future__ import annotations

import multiprocessing as mp


def _context():
    """The fork server where there is one (POSIX). The scan's own process is never forked:
    it holds threads (the progress display) and sockets. Elsewhere workers are spawned and
    build everything themselves."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["scanner.preload"])
    return ctx


CONTEXT = _context()


def start_server() -> None:
    """Start the fork server now rather than when the first worker is needed."""
    if CONTEXT.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
