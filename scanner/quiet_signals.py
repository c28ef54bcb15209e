"""Imported first by the fork server: it and every worker forked from it ignore SIGINT and SIGTERM.

A Ctrl-C reaches every process of the terminal's process group, and systemd signals
every process of a service; a worker that died of it (or printed a KeyboardInterrupt
traceback) would lose the item it was reading. The scan's own process alone decides
when workers stop (:mod:`scanner.stopping`), and kills them when they must.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
