"""Stopping a scan on request: drain within a grace period, or at once.

The first SIGINT or SIGTERM asks the scan to stop: no more work is handed out, items
being read may finish within the grace period, then they are stopped (their rows say
"interrupted") and the inventory is closed, readable and marked incomplete. A second
signal stops at once: the workers are killed and nothing more is written, which leaves
the folder as a killed scan leaves it (its committed parts, resumable).

Only the scan's own process handles these signals. The workers and the fork server
ignore them (:mod:`scanner.quiet_signals`): a Ctrl-C reaches every process of the
terminal's process group, and systemd signals every process of the service.
"""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from typing import Callable, Iterator

DEFAULT_GRACE = 10.0


class ScanAborted(BaseException):
    """The scan was stopped at once (a second signal); raised where the scan's process was.

    A BaseException like KeyboardInterrupt, so that no ``except Exception`` on the way
    mistakes it for one item's failure. ``scan_dir`` is set once the scan folder is known.
    """

    def __init__(self, reason: str, exit_code: int):
        super().__init__(reason)
        self.reason, self.exit_code = reason, exit_code
        self.scan_dir: str | None = None


class StopRequest:
    """Whether, and how, the running scan has been asked to stop.

    Shared by the code that asks (signal handlers, an unattended audit's own limits) and
    the executor that obeys. ``exit_code`` is what the command exits with once stopped:
    128 + the signal's number, as shells report a process ended by that signal.
    """

    def __init__(self, grace: float = DEFAULT_GRACE):
        self.grace = grace
        self.reason: str | None = None
        self.exit_code = 0
        self.deadline = float("inf")
        self._on_abort: list[Callable[[], None]] = []

    @property
    def requested(self) -> bool:
        """Whether the scan should hand out no more work."""
        return self.reason is not None

    def request(self, reason: str, exit_code: int) -> None:
        """Ask for a stop: the items being read get ``grace`` seconds more."""
        if self.reason is None:
            self.reason, self.exit_code = reason, exit_code
            self.deadline = time.monotonic() + self.grace

    def grace_over(self) -> bool:
        """Whether items still being read must now be stopped."""
        return time.monotonic() >= self.deadline

    def on_abort(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` (e.g. kill the workers) when the scan is stopped at once; returns a
        function that unregisters it."""
        self._on_abort.append(callback)
        return lambda: self._on_abort.remove(callback) if callback in self._on_abort else None

    def abort(self, reason: str, exit_code: int) -> None:
        """Stop at once: run the abort callbacks, then raise :class:`ScanAborted`."""
        self.request(reason, exit_code)
        for callback in list(self._on_abort):
            callback()
        raise ScanAborted(reason, exit_code)


@contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[StopRequest]:
    """While inside, SIGINT and SIGTERM ask ``stop`` to stop; a second one aborts."""

    def handle(signum, frame):
        name = signal.Signals(signum).name
        if stop.requested:
            stop.abort(f"stopped at once by a second {name}", 128 + signum)
        stop.request(f"interrupted by {name}", 128 + signum)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
